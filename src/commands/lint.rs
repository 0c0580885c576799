//! `pybootstrap lint`: every place in a repository that would install into a system Python
//! or switch PEP 668 off.

use std::path::Path;

use crate::cli::LintArgs;
use crate::error::{Error, Outcome};
use crate::lint;
use crate::output::Printer;
use crate::progress::Progress;

pub(super) fn run(args: &LintArgs, printer: &Printer) -> Result<Outcome, Error> {
    // Without a path, the whole repository whose `pybootstrap.toml` governs this directory
    // (its `lint.ignore` applies), as `cargo clippy` checks the whole package from `src/`.
    let cwd = std::env::current_dir()?;
    let found = match &args.path {
        Some(_) => None,
        None => crate::workspace::find_repo(&cwd).filter(|repo| *repo != cwd),
    };
    let root = args
        .path
        .as_deref()
        .or(found.as_deref())
        .unwrap_or(Path::new("."));
    let walking = Progress::start(printer, &format!("linting {}…", root.display()));
    let report = lint::lint(root)?;
    walking.finish();
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
