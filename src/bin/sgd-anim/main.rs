//! The `sgd-anim` binary: parse, convert to library settings, run, report.

#[cfg(test)]
mod canonical;
mod cli;
mod commands;
mod console;
mod defaults;
mod docs;
mod flags;
mod parse;
mod progress;

use clap::Parser;
use cli::{Cli, Command};
use sgd_anim::Error;
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

/// Runs one command; its outcome as the exit code, or the error to report.
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
        Command::Render(args) => commands::render(&args),
        Command::Replay(args) => commands::replay(&args),
        Command::Compare(args) => commands::compare(&args),
        Command::Info(args) => {
            let info = sgd_anim::inspect(&args.file)?;
            console::out(&info.text(&args.file));
            Ok(ExitCode::SUCCESS)
        }
        Command::Grid(args) => commands::grid(&args),
    }
}
