//! `pybootstrap lint`: every place in a repository that would install into a system Python
//! or switch PEP 668 off.

use std::path::Path;

use crate::cli::LintArgs;
use crate::error::{Error, Outcome};
use crate::lint::{self, LintError};
use crate::output::Printer;

pub fn run(args: &LintArgs, printer: &Printer) -> Result<Outcome, Error> {
    let root = args.path.as_deref().unwrap_or(Path::new("."));
    let report = lint::lint(root).map_err(into_error)?;
    for warning in &report.warnings {
        printer.note(&format!("warning: {warning}, skipped"));
    }
    if args.json {
        println!("{}", lint::render_json(&report));
    } else {
        print!("{}", lint::render_text(&report, printer));
    }
    Ok(Outcome::action_needed_if(!report.findings.is_empty()))
}

fn into_error(error: LintError) -> Error {
    let hint = error.hint();
    let mut message = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    Error::Input { message, hint }
}
