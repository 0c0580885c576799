//! Printing a plan: one line per file with its action and state, then diffs when asked.

use crate::output::{Printer, Style};
use crate::plan::lock::{LOCK_FILE, Lock};
use crate::plan::{Action, FilePlan, State, block, diff};
use crate::render::Placement;

/// Prints one line per file; with `diffs`, each change's unified diff after it.
pub(crate) fn print(plans: &[FilePlan], printer: &Printer, diffs: bool) {
    for plan in plans {
        let (word, style) = match plan.action {
            Action::Create => ("create", Style::Good),
            Action::Update => ("update", Style::Good),
            Action::Merge => ("merge", Style::Good),
            Action::Conflict => ("conflict", Style::Bad),
            Action::Unchanged => ("unchanged", Style::Dim),
            Action::Keep => ("keep", Style::Warn),
            Action::Delete => ("delete", Style::Warn),
            Action::Refuse => ("refuse", Style::Bad),
        };
        // A managed block lives in a file holding the user's lines: the file is never
        // created or deleted, only its block.
        let in_users_file = plan.placement == Placement::ManagedBlock
            && plan.before.as_deref().is_some_and(has_user_lines);
        let word = match plan.action {
            Action::Create if in_users_file => "merge block",
            Action::Update if in_users_file => "update block",
            Action::Delete if plan.after.is_some() => "remove block",
            _ => word,
        };
        if printer.quiet && !plan.action.writes() && !plan.needs_attention() {
            continue;
        }
        let note = match (plan.state, plan.action) {
            _ if plan.unresolved() => {
                " (conflict markers left from an earlier regen: resolve them)"
            }
            (State::Edited, _) => " (hand edits kept)",
            (State::EditedOutdated, Action::Merge) => " (hand edits merged with the new render)",
            (State::EditedOutdated, Action::Conflict) => {
                " (hand edits conflict with the new render: resolve the markers)"
            }
            (State::Foreign, Action::Refuse) => {
                " (exists and was not written by pybootstrap; --force overwrites)"
            }
            (State::Foreign, _) => " (not written by pybootstrap; overwritten by --force)",
            (State::Orphan, Action::Keep) => {
                " (no longer generated, but edited by hand: delete it yourself)"
            }
            (State::Orphan, Action::Delete) if plan.after.is_some() => {
                " (no longer generated: your lines stay)"
            }
            (State::New, Action::Create) if in_users_file => " (your lines stay)",
            (State::Orphan, _) => " (no longer generated)",
            _ => "",
        };
        println!(
            "{} {}{note}",
            printer.paint(style, &format!("{word:>9}")),
            plan.path
        );
        if diffs && plan.action.writes() {
            print!("{}", diff::unified(plan));
        }
    }
}

/// The lock's line of the plan: `create`/`update pybootstrap.lock`, nothing when this run
/// leaves it as it is.
pub(crate) fn lock_line(before: Option<&Lock>, after: &Lock, printer: &Printer) {
    let word = match before {
        None => "create",
        Some(before) if before == after => return,
        Some(_) => "update",
    };
    if printer.quiet {
        return;
    }
    println!(
        "{} {LOCK_FILE}",
        printer.paint(Style::Good, &format!("{word:>9}"))
    );
}

/// Every change's unified diff, after the one-line-per-file summary.
pub(crate) fn diffs(plans: &[FilePlan]) {
    for plan in plans.iter().filter(|plan| plan.action.writes()) {
        println!();
        print!("{}", diff::unified(plan));
    }
}

/// Whether `text` has lines outside pybootstrap's block.
fn has_user_lines(text: &str) -> bool {
    block::remove(text).is_ok_and(|rest| !rest.trim().is_empty())
}
