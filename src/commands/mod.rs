//! One file per subcommand; `dispatch` is the one `match` that picks it. `apply` is the
//! write pipeline `init` and `regen` share.

mod apply;
mod bundle;
mod completions;
mod detect;
mod doctor;
mod init;
mod lint;
mod regen;
mod snippet;
mod templates;

use crate::cli::Command;
use crate::error::{Error, Outcome};
use crate::output::Printer;

/// Runs the chosen subcommand.
pub(crate) fn dispatch(command: Command, printer: &Printer) -> Result<Outcome, Error> {
    match command {
        Command::Detect(args) => detect::run(&args, printer),
        Command::Doctor(args) => doctor::run(&args, printer),
        Command::Init(args) => init::run(&args, printer),
        Command::Regen(args) => regen::run(&args, printer),
        Command::Lint(args) => lint::run(&args, printer),
        Command::Templates(command) => templates::run(&command, printer),
        Command::Snippet(args) => snippet::run(&args, printer),
        Command::Completions(args) => completions::completions(&args),
        Command::Man(args) => completions::man(&args),
        Command::Bundle(args) => bundle::run(&args, printer),
    }
}
