//! `pybootstrap lint`: every place in a repository that would install into a system Python
//! or switch PEP 668 off; with `--fix` or `--diff`, the fixes for them.

use std::path::Path;

use similar::TextDiff;

use crate::cli::LintArgs;
use crate::error::{Error, Outcome};
use crate::lint::{self, Applicability, FixMode, Report};
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
    let allowed = if args.unsafe_fixes {
        Applicability::Unsafe
    } else {
        Applicability::Safe
    };
    let mode = if args.fix || args.diff {
        FixMode::Apply(allowed)
    } else {
        FixMode::Off
    };
    let walking = Progress::start(printer, &format!("linting {}…", root.display()));
    let report = lint::lint(root, mode)?;
    walking.finish();
    for warning in &report.warnings {
        printer.note(&format!("warning: {warning}, skipped"));
    }
    if args.diff {
        for file in &report.fixed {
            print!("{}", unified(&file.path, &file.before, &file.after));
        }
        let fixable = fixable_in(&report, allowed);
        printer.note(&format!(
            "Would fix {} in {}; {} in all.",
            plural(fixable, "finding"),
            plural(report.fixed.len(), "file"),
            plural(report.findings.len(), "finding"),
        ));
        return Ok(Outcome::action_needed_if(!report.findings.is_empty()));
    }
    let report = if args.fix && !report.fixed.is_empty() {
        for file in &report.fixed {
            fs_err::write(&file.location, &file.after)?;
        }
        let after = lint::lint(root, FixMode::Off)?;
        printer.note(&format!(
            "Fixed {} in {}.",
            plural(
                report.findings.len().saturating_sub(after.findings.len()),
                "finding"
            ),
            plural(report.fixed.len(), "file"),
        ));
        after
    } else {
        report
    };
    if args.json {
        println!("{}", lint::render_json(&report));
    } else {
        print!("{}", lint::render_text(&report, printer));
    }
    Ok(Outcome::action_needed_if(!report.findings.is_empty()))
}

/// The findings a fix up to `allowed` rewrites.
fn fixable_in(report: &Report, allowed: Applicability) -> usize {
    report
        .findings
        .iter()
        .filter(|finding| finding.fixable.is_some_and(|fixable| fixable <= allowed))
        .count()
}

/// A git-style unified diff of one fixed file.
fn unified(path: &str, before: &str, after: &str) -> String {
    TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string()
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
