//! One file per subcommand; `dispatch` is the one `match` that picks it.

mod detect;
mod lint;

use crate::cli::Command;
use crate::error::{Error, Outcome};
use crate::output::Printer;

/// Runs the chosen subcommand.
pub fn dispatch(command: Command, printer: &Printer) -> Result<Outcome, Error> {
    match command {
        Command::Detect(args) => detect::run(&args, printer),
        Command::Lint(args) => lint::run(&args, printer),
    }
}
