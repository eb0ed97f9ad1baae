//! The `sgd-anim` binary: parse, convert to library settings, run, report.

#[cfg(test)]
mod canonical;
mod cli;
mod console;
mod defaults;
mod docs;
mod flags;
mod parse;
mod progress;

use clap::Parser;
use cli::{Cli, Command};
use sgd_anim::cli::{summary_json, summary_table};
use sgd_anim::{render, replay, run_grid, Error, Field};
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match parse::parse_from(std::env::args_os().collect()) {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with 0, usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    // Ctrl-C and SIGTERM: the work stops before its next frame, removes its unfinished files
    // and exits 130. Where it cannot get there soon (blocked reading standard input, a long
    // step), the handler removes them itself and ends the process.
    let _ = ctrlc::set_handler(|| {
        progress::request_stop();
        std::thread::sleep(std::time::Duration::from_millis(300));
        sgd_anim::cli::remove_unfinished();
        std::process::exit(130);
    });
    let command = cli.command.unwrap_or_else(|| match Cli::parse_from(["sgd-anim", "grid"]).command {
        Some(c) => c,
        None => unreachable!("grid was given"),
    });
    match run(command) {
        Ok(code) => code,
        // A read cut short by the signal fails in its own way; the user's stop is what happened.
        Err(_) if progress::stop_requested() => {
            console::err_line("error: interrupted");
            ExitCode::from(130)
        }
        Err(e) => {
            console::err_line(&format!("error: {}", flags::describe(&e)));
            match e {
                e if e.is_usage() => ExitCode::from(2),
                Error::Interrupted => ExitCode::from(130),
                _ => ExitCode::FAILURE,
            }
        }
    }
}

fn run(command: Command) -> Result<ExitCode, Error> {
    match command {
        Command::Completions { shell } => {
            console::out(&docs::completion_script(shell));
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            console::out(&docs::man_page()?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Render(args) => {
            let trace_path = "a file path (standard output carries the GIF alone, with -o -)";
            refuse_dash(Field::Trace, args.trace.as_deref(), trace_path)?;
            let settings = args.common.to_settings(args.lr, args.batch_size);
            let mut warnings = args.common.warnings();
            if args.common.frames.show_batch && args.batch_size == sgd_anim::BatchSize::Full {
                warnings.push("--show-batch has nothing to show with --batch-size full (every point is used)".into());
            }
            warn(&warnings, args.common.general.quiet);
            let frames = (settings.train.steps as u64 + 1) * u64::from(!args.common.general.quiet);
            let progress = progress::Reporter::new(frames, args.common.general.quiet);
            if args.output.as_os_str() == "-" {
                let trace = args.trace.as_deref();
                let write = |out| sgd_anim::render_to_writer(&settings, out, trace, &progress);
                return to_stdout(write, &progress, args.common.general.quiet, one_row);
            }
            let outcome = render(&settings, &args.output, args.trace.as_deref(), &progress)?;
            progress.finish();
            if !args.common.general.quiet {
                console::out(&summary_table(std::slice::from_ref(&outcome)));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Replay(args) => {
            let settings = args.to_settings();
            let quiet = args.general.quiet;
            warn(&args.warnings(), quiet);
            // The bar learns its length once the log is read.
            let progress = progress::Reporter::new(0, quiet);
            if args.output.as_os_str() == "-" {
                let write = |out| sgd_anim::replay_to_writer(&settings, out, &progress);
                return to_stdout(write, &progress, quiet, one_row);
            }
            let outcome = replay(&settings, &args.output, &progress)?;
            progress.finish();
            if !quiet {
                console::out(&summary_table(std::slice::from_ref(&outcome)));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Compare(args) => {
            let settings = args.to_settings();
            let quiet = args.common.general.quiet;
            warn(&args.warnings(), quiet);
            let progress = progress::Reporter::new(0, quiet);
            let (lrs, sizes) = (&args.lrs, &args.batch_sizes);
            if args.output.as_os_str() == "-" {
                let write = |out| sgd_anim::compare_to_writer(&settings, lrs, sizes, out, &progress);
                return to_stdout(write, &progress, quiet, |o: &Vec<_>| sgd_anim::cli::summary_runs_table(o));
            }
            let outcomes = sgd_anim::compare(&settings, lrs, sizes, &args.output, &progress)?;
            progress.finish();
            if !quiet {
                console::out(&sgd_anim::cli::summary_runs_table(&outcomes));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Info(args) => {
            let info = sgd_anim::inspect(&args.file)?;
            console::out(&info.text(&args.file));
            Ok(ExitCode::SUCCESS)
        }
        Command::Grid(args) => {
            let folder = "a folder path ('-', standard output, cannot hold a set of files)";
            refuse_dash(Field::GridOutDir, Some(&args.out), folder)?;
            refuse_dash(Field::GridTraceDir, args.trace_dir.as_deref(), folder)?;
            refuse_dash(Field::GridCheck, args.check.as_deref(), folder)?;
            if args.check.is_some() {
                return check(&args);
            }
            let settings = args.to_settings();
            warn(&args.common.warnings(), args.common.general.quiet);
            let jobs = sgd_anim::cli::plan(&settings).len() as u64;
            let frames = jobs * (settings.base.train.steps as u64 + 1);
            let progress = progress::Reporter::new(frames, args.common.general.quiet);
            let report = run_grid(&settings, &progress)?;
            progress.finish();
            let quiet = args.common.general.quiet;
            if args.json {
                console::out(&summary_json(&report.outcomes));
            } else if !quiet {
                console::out(&summary_table(&report.outcomes));
            }
            if !quiet {
                console::err_line(&wrote(&report, &settings.out_dir));
            }
            report.error().map_or(Ok(ExitCode::SUCCESS), Err)
        }
    }
}

/// The grid's last word: what it wrote, by kind, and where to look first.
fn wrote(report: &sgd_anim::GridReport, dir: &std::path::Path) -> String {
    let mut text = format!("wrote {} into {}", report.written(), dir.display());
    let page = |name: &str| report.pages.iter().any(|p| p.file_name().is_some_and(|n| n == name));
    if page("index.html") {
        text += &format!("\nlook first: {} in a browser", dir.join("index.html").display());
        if page("index.md") {
            text += &format!("; {} is the fragment to paste into a post", dir.join("index.md").display());
        }
    }
    text
}

/// `grid --check DIR`: the set made in memory and compared with DIR's files; the files that
/// do not match go to stderr as an error (exit 1), "all N files match" to stdout.
fn check(args: &cli::GridArgs) -> Result<ExitCode, Error> {
    let settings = args.to_settings();
    warn(&args.common.warnings(), args.common.general.quiet);
    let jobs = sgd_anim::cli::plan(&settings).len() as u64;
    let progress = progress::Reporter::new(jobs * (settings.base.train.steps as u64 + 1), args.common.general.quiet);
    let scope = if args.gifs_only { sgd_anim::CheckScope::Gifs } else { sgd_anim::CheckScope::Everything };
    let report = sgd_anim::check_grid(&settings, scope, &progress)?;
    progress.finish();
    let mismatches = report.mismatches();
    let total = report.files.len();
    if mismatches.is_empty() {
        if !args.common.general.quiet {
            console::out(&format!("all {total} files match\n"));
        }
        return Ok(ExitCode::SUCCESS);
    }
    let version = sgd_anim::VERSION;
    console::err_line(&format!(
        "error: {} of {total} files do not match what sgd-anim {version} makes for these options:",
        mismatches.len()
    ));
    mismatches.iter().for_each(|line| console::err_line(&format!("  {line}")));
    Ok(ExitCode::FAILURE)
}

/// The standard output `-o -` writes to, buffered.
type Stdout = std::io::BufWriter<std::io::StdoutLock<'static>>;

/// `-o -` (render, replay, compare): `write` sends the GIF to standard output, so the summary
/// (`table` of what `write` returns) goes to stderr. A reader that stops early
/// (`| head -c 100`) is not an error.
fn to_stdout<T>(
    write: impl FnOnce(Stdout) -> Result<(T, Stdout), Error>,
    progress: &progress::Reporter,
    quiet: bool,
    table: fn(&T) -> String,
) -> Result<ExitCode, Error> {
    let stdout = std::io::stdout();
    if stdout.is_terminal() {
        return Err(Error::invalid(
            Field::Output,
            "-",
            "a file, or '-' with standard output redirected (> x.gif) or piped; a GIF is not for a terminal",
        ));
    }
    let out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    match write(out) {
        Ok((outcome, _)) => {
            progress.finish();
            if !quiet {
                console::err(&table(&outcome));
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) if e.is_broken_pipe() => {
            progress.finish();
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Err(e),
    }
}

/// One outcome's table.
fn one_row(outcome: &sgd_anim::Outcome) -> String {
    summary_table(std::slice::from_ref(outcome))
}

/// Refuses `-` for an output that cannot be standard output (a folder, or a second stream
/// beside the GIF), naming the option; `-` is standard output wherever it can be.
fn refuse_dash(field: Field, path: Option<&std::path::Path>, what: &str) -> Result<(), Error> {
    match path {
        Some(p) if p.as_os_str() == "-" => Err(Error::invalid(field, "-", what)),
        _ => Ok(()),
    }
}

/// Prints each warning to stderr, unless `--quiet`.
fn warn(warnings: &[String], quiet: bool) {
    if !quiet {
        warnings.iter().for_each(|w| console::err_line(&format!("warning: {w}")));
    }
}
