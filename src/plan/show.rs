//! Printing a plan: one line per file with its action and state, then diffs when asked.

use crate::block;
use crate::output::{Printer, Style};
use crate::plan::lock::{LOCK_FILE, Lock};
use crate::plan::{Action, FilePlan, State, diff};
use crate::render::Placement;

/// The narrowest the action column gets: the widest one-word action (`unchanged`), so a
/// plan without a block row keeps the width every earlier plan printed with.
const MIN_WIDTH: usize = 9;

/// Prints one line per file; with `diffs`, each change's unified diff after it.
pub(crate) fn print(plans: &[FilePlan], printer: &Printer, diffs: bool) {
    let width = width(plans);
    for plan in plans {
        row(plan, printer, width);
        if diffs && plan.action.writes() {
            print!("{}", diff::unified(plan));
        }
    }
}

/// The width of the action column for `plans`: their longest action word (`merge block`,
/// `remove block`, …), so the paths after it line up.
pub(crate) fn width<'a>(plans: impl IntoIterator<Item = &'a FilePlan>) -> usize {
    plans
        .into_iter()
        .map(|plan| action(plan).0.len())
        .max()
        .unwrap_or_default()
        .max(MIN_WIDTH)
}

/// The word for what happens to `plan`'s file, and its colour.
fn action(plan: &FilePlan) -> (&'static str, Style) {
    // A managed block lives in a file holding the user's lines: the file is never
    // created or deleted, only its block.
    let in_users_file = in_users_file(plan);
    match plan.action {
        Action::Create if in_users_file => ("merge block", Style::Good),
        Action::Update if in_users_file => ("update block", Style::Good),
        Action::Delete if plan.after.is_some() => ("remove block", Style::Warn),
        Action::Create => ("create", Style::Good),
        Action::Update => ("update", Style::Good),
        Action::Merge => ("merge", Style::Good),
        Action::Conflict => ("conflict", Style::Bad),
        Action::Unchanged => ("unchanged", Style::Dim),
        Action::Keep => ("keep", Style::Warn),
        Action::Delete => ("delete", Style::Warn),
        Action::Refuse => ("refuse", Style::Bad),
    }
}

fn in_users_file(plan: &FilePlan) -> bool {
    plan.placement == Placement::ManagedBlock && plan.before.as_deref().is_some_and(has_user_lines)
}

/// One file's line: its action right-aligned in a column `width` wide, its path, a note.
pub(crate) fn row(plan: &FilePlan, printer: &Printer, width: usize) {
    if printer.quiet && !plan.action.writes() && !plan.needs_attention() {
        return;
    }
    let (word, style) = action(plan);
    let note = match (plan.state, plan.action) {
        _ if plan.unresolved() => " (conflict markers left from an earlier regen: resolve them)",
        (State::Orphan, Action::Refuse) => " (no longer generated, but read-only; --force deletes)",
        (_, Action::Refuse) if plan.read_only => " (read-only; --force overwrites)",
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
        (State::New, Action::Create) if in_users_file(plan) => " (your lines stay)",
        (State::Orphan, _) => " (no longer generated)",
        _ => "",
    };
    println!(
        "{} {}{note}",
        printer.paint(style, &format!("{word:>width$}")),
        plan.path
    );
}

/// The lock's line of the plan, in the plan's action column `width` wide:
/// `create`/`update pybootstrap.lock`, nothing when this run leaves it as it is.
pub(crate) fn lock_line(before: Option<&Lock>, after: &Lock, printer: &Printer, width: usize) {
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
        printer.paint(Style::Good, &format!("{word:>width$}"))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(action: Action, placement: Placement, before: Option<&str>, after: bool) -> FilePlan {
        FilePlan {
            path: "Makefile".to_string(),
            group: None,
            state: State::New,
            action,
            before: before.map(str::to_string),
            after: after.then(String::new),
            base: None,
            placement,
            executable: false,
            read_only: false,
        }
    }

    #[test]
    fn a_block_in_the_users_file_is_merged_updated_or_removed() {
        let users = "test:\n\tpytest\n";
        let block_only = format!("{}\nx:\n{}\n", block::BEGIN, block::END);
        let rows = [
            (
                Action::Create,
                Placement::ManagedBlock,
                Some(users),
                true,
                "merge block",
            ),
            (
                Action::Update,
                Placement::ManagedBlock,
                Some(users),
                true,
                "update block",
            ),
            (
                Action::Delete,
                Placement::ManagedBlock,
                Some(users),
                true,
                "remove block",
            ),
            (
                Action::Create,
                Placement::ManagedBlock,
                None,
                true,
                "create",
            ),
            (
                Action::Update,
                Placement::ManagedBlock,
                Some(block_only.as_str()),
                true,
                "update",
            ),
            (
                Action::Delete,
                Placement::ManagedBlock,
                Some(block_only.as_str()),
                false,
                "delete",
            ),
            (Action::Create, Placement::Whole, None, true, "create"),
            (
                Action::Update,
                Placement::Whole,
                Some(users),
                true,
                "update",
            ),
            (
                Action::Unchanged,
                Placement::Whole,
                Some(users),
                true,
                "unchanged",
            ),
            (
                Action::Conflict,
                Placement::Whole,
                Some(users),
                true,
                "conflict",
            ),
        ];
        for (action_, placement, before, after, expected) in rows {
            let plan = plan(action_, placement, before, after);
            assert_eq!(action(&plan).0, expected, "{plan:?}");
        }
    }

    #[test]
    fn the_action_column_is_as_wide_as_its_longest_word() {
        let create = plan(Action::Create, Placement::Whole, None, true);
        let merge = plan(Action::Create, Placement::ManagedBlock, Some("a:\n"), true);
        let remove = plan(Action::Delete, Placement::ManagedBlock, Some("a:\n"), true);
        assert_eq!(width([] as [&FilePlan; 0]), MIN_WIDTH);
        assert_eq!(width([&create]), MIN_WIDTH);
        assert_eq!(width([&create, &merge]), "merge block".len());
        assert_eq!(width([&merge, &remove]), "remove block".len());
    }
}
