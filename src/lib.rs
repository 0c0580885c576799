//! pybootstrap: tells what pip will decide about PEP 668 for every Python on a machine, and
//! writes a team-standard venv bootstrap into a repository.
//!
//! `run` parses the command line, dispatches to one function in `commands`, and maps the
//! result to the exit code: 0 success, 1 something the user must act on, 2 bad input.

// Public: what the binary and the integration tests reach. The rest is private, so the
// compiler reports what nothing uses.
pub mod answers;
mod block;
mod bundle;
mod ci;
pub mod cli;
mod commands;
mod error;
#[allow(
    clippy::case_sensitive_file_extension_comparisons,
    clippy::match_same_arms,
    clippy::trivially_copy_pass_by_ref,
    clippy::unused_self,
    reason = "lint's readers: names are lowercased before comparing, and its decision tables keep one arm per row"
)]
mod lint;
mod network;
mod output;
mod packed;
mod plan;
mod platform;
mod progress;
mod project;
mod prompt;
pub mod python;
pub mod render;
mod source;
mod workspace;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;

use error::Outcome;

/// Runs pybootstrap with the given command line and returns the process exit code.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match cli::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help and version to stdout with exit 0, usage errors with exit 2.
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() { 2 } else { 0 });
        }
    };
    let printer = output::Printer::new(&cli.global);
    match commands::dispatch(cli.command, &printer) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::ActionNeeded) => ExitCode::from(1),
        Err(err) => {
            printer.error(&err);
            ExitCode::from(err.exit_code())
        }
    }
}
