//! The commands that make or check animations: each turns its options into the library's
//! settings, warns about options that do nothing, runs with a progress bar and reports.

use crate::cli::{CompareArgs, GridArgs, RenderArgs, ReplayArgs};
use crate::console;
use crate::progress::Reporter;
use sgd_anim::cli::{summary_json, summary_runs_table, summary_table};
use sgd_anim::{BatchSize, Error, Field, FrameThreads, Outcome};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

/// `sgd-anim render`.
pub fn render(args: &RenderArgs) -> Result<ExitCode, Error> {
    let trace_path = "a file path (standard output carries the GIF alone, with -o -)";
    refuse_dash(Field::Trace, args.trace.as_deref(), trace_path)?;
    let threads = frame_threads(args.jobs)?;
    let settings = args.common.to_settings(args.lr, args.batch_size);
    let quiet = args.common.general.quiet;
    let mut warnings = args.common.warnings();
    if args.common.frames.show_batch && args.batch_size == BatchSize::Full {
        warnings.push("--show-batch has nothing to show with --batch-size full (every point is used)".into());
    }
    warn(&warnings, quiet);
    let frames = (settings.train.steps as u64 + 1) * u64::from(!quiet);
    let progress = Reporter::new(frames, quiet);
    let trace = args.trace.as_deref();
    write_animation(
        &args.output,
        (&progress, quiet),
        |out| sgd_anim::render_to_writer_on(&settings, out, trace, &progress, threads),
        || sgd_anim::render_on(&settings, &args.output, trace, &progress, threads),
        one_row,
    )
}

/// `render --jobs N`: N threads in all (one encodes, the others draw), from 1 to grid's most;
/// by default the library's choice for a job that runs alone.
fn frame_threads(jobs: Option<usize>) -> Result<FrameThreads, Error> {
    let most = sgd_anim::cli::MAX_THREADS;
    match jobs {
        None => Ok(FrameThreads::for_a_lone_job()),
        Some(n) if (1..=most).contains(&n) => Ok(FrameThreads::for_jobs(n)),
        Some(n) => Err(Error::invalid(Field::GridThreads, n, format!("from 1 to {most} threads"))),
    }
}

/// `sgd-anim replay`.
pub fn replay(args: &ReplayArgs) -> Result<ExitCode, Error> {
    let settings = args.to_settings();
    let quiet = args.general.quiet;
    warn(&args.warnings(), quiet);
    // The bar learns its length once the log is read.
    let progress = Reporter::new(0, quiet);
    write_animation(
        &args.output,
        (&progress, quiet),
        |out| sgd_anim::replay_to_writer(&settings, out, &progress),
        || sgd_anim::replay(&settings, &args.output, &progress),
        one_row,
    )
}

/// `sgd-anim compare`.
pub fn compare(args: &CompareArgs) -> Result<ExitCode, Error> {
    let settings = args.to_settings();
    let quiet = args.common.general.quiet;
    warn(&args.warnings(), quiet);
    let progress = Reporter::new(0, quiet);
    let (lrs, sizes) = (&args.lrs, &args.batch_sizes);
    write_animation(
        &args.output,
        (&progress, quiet),
        |out| sgd_anim::compare_to_writer(&settings, lrs, sizes, out, &progress),
        || sgd_anim::compare(&settings, lrs, sizes, &args.output, &progress),
        |outcomes: &Vec<Outcome>| summary_runs_table(outcomes),
    )
}

/// `sgd-anim grid`, or with `--check`, [`check`].
pub fn grid(args: &GridArgs) -> Result<ExitCode, Error> {
    let folder = "a folder path ('-', standard output, cannot hold a set of files)";
    refuse_dash(Field::GridOutDir, Some(&args.out), folder)?;
    refuse_dash(Field::GridTraceDir, args.trace_dir.as_deref(), folder)?;
    refuse_dash(Field::GridCheck, args.check.as_deref(), folder)?;
    if args.check.is_some() {
        return check(args);
    }
    let settings = args.to_settings();
    let quiet = args.common.general.quiet;
    let mut warnings = args.common.warnings();
    warnings.extend(folder_named_like_a_file(&args.out));
    warn(&warnings, quiet);
    let progress = Reporter::new(grid_frames(&settings), quiet);
    let report = sgd_anim::run_grid(&settings, &progress);
    progress.finish();
    progress.report_stale();
    let report = report?;
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

/// `grid -o x.gif`, typed as `render -o x.gif` is: a new folder named like an animation is
/// made, so the user is told what it will hold (an existing path of that name is left to the
/// checks: a folder is theirs to name, a file is refused).
fn folder_named_like_a_file(out: &Path) -> Option<String> {
    let named = sgd_anim::Format::of_path(out).is_some() && !out.exists();
    named.then(|| {
        format!(
            "--out {} is a folder: grid writes its set of files into it; for one animation use 'sgd-anim render -o'",
            out.display()
        )
    })
}

/// The frames a grid draws, for the progress bar.
fn grid_frames(settings: &sgd_anim::GridSettings) -> u64 {
    let jobs = sgd_anim::cli::plan(settings).len() as u64;
    jobs * (settings.base.train.steps as u64 + 1)
}

/// The grid's last word: what it wrote, by kind, and where to look first.
fn wrote(report: &sgd_anim::GridReport, dir: &Path) -> String {
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
fn check(args: &GridArgs) -> Result<ExitCode, Error> {
    let settings = args.to_settings();
    warn(&args.common.warnings(), args.common.general.quiet);
    let progress = Reporter::new(grid_frames(&settings), args.common.general.quiet);
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

/// Writes one animation (render, replay, compare) to `output`: with `-`, through `to_writer`
/// to standard output ([`to_stdout`]); else through `to_file`, then its summary (`table` of
/// what it returns) to standard output unless quiet.
fn write_animation<T>(
    output: &Path,
    (progress, quiet): (&Reporter, bool),
    to_writer: impl FnOnce(Stdout) -> Result<(T, Stdout), Error>,
    to_file: impl FnOnce() -> Result<T, Error>,
    table: fn(&T) -> String,
) -> Result<ExitCode, Error> {
    if output.as_os_str() == "-" {
        return to_stdout(to_writer, progress, quiet, table);
    }
    let outcome = to_file();
    progress.finish();
    progress.report_stale();
    let outcome = outcome?;
    if !quiet {
        console::out(&table(&outcome));
    }
    Ok(ExitCode::SUCCESS)
}

/// `-o -` (render, replay, compare): `write` sends the GIF to standard output, so the summary
/// (`table` of what `write` returns) goes to stderr. A reader that stops early
/// (`| head -c 100`) is not an error.
fn to_stdout<T>(
    write: impl FnOnce(Stdout) -> Result<(T, Stdout), Error>,
    progress: &Reporter,
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
    let written = write(out);
    progress.report_stale();
    match written {
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
fn one_row(outcome: &Outcome) -> String {
    summary_table(std::slice::from_ref(outcome))
}

/// Refuses `-` for an output that cannot be standard output (a folder, or a second stream
/// beside the GIF), naming the option; `-` is standard output wherever it can be.
fn refuse_dash(field: Field, path: Option<&Path>, what: &str) -> Result<(), Error> {
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
