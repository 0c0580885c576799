//! `pybootstrap detect`: pip's PEP 668 verdict for every Python on the machine.

use crate::cli::DetectArgs;
use crate::error::{Error, Outcome};
use crate::output::Printer;

pub fn run(_args: &DetectArgs, _printer: &Printer) -> Result<Outcome, Error> {
    Ok(Outcome::Success)
}
