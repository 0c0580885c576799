//! The state table: what happens to one generated file, decided from its three texts (on
//! disk, as last written, freshly rendered) alone. Reading and writing happen around it.

use super::{Action, State, conflict};
use crate::render::Placement;

/// Whether hand edits and files pybootstrap did not write are protected (`--force` not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Overwrite {
    /// Keep hand edits (3-way merge), refuse foreign files, keep edited orphans.
    Protect,
    /// `--force`: the fresh render replaces whatever is there.
    Force,
}

impl Overwrite {
    /// `Force` when `--force` was given.
    pub(crate) fn from_force(force: bool) -> Self {
        if force { Self::Force } else { Self::Protect }
    }
}

/// The texts one file is decided from, each the part pybootstrap owns, normalised.
#[derive(Debug, Clone, Copy)]
pub(super) struct Texts<'a> {
    /// On disk now; `None` when the file (or its block) is not there.
    pub(super) disk: Option<&'a str>,
    /// As pybootstrap last wrote it (the lock's base); `None` when the lock has no entry.
    pub(super) base: Option<&'a str>,
    /// The new render.
    pub(super) fresh: &'a str,
}

/// The state, the action, and the owned text after the action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Decision {
    pub(super) state: State,
    pub(super) action: Action,
    pub(super) owned_after: String,
}

/// One row of the spec's state table.
pub(super) fn decide(texts: Texts<'_>, placement: Placement, overwrite: Overwrite) -> Decision {
    let Texts { disk, base, fresh } = texts;
    let force = overwrite == Overwrite::Force;
    let fresh_row = |state, action| Decision {
        state,
        action,
        owned_after: fresh.to_string(),
    };
    let (disk, base) = match (disk, base) {
        (None, _) => return fresh_row(State::New, Action::Create),
        (Some(disk), _) if disk == fresh => return fresh_row(State::Current, Action::Unchanged),
        // A block between our markers is ours even without a lock entry.
        (Some(_), None) if placement == Placement::ManagedBlock => {
            return fresh_row(State::Outdated, Action::Update);
        }
        (Some(_), None) if force => return fresh_row(State::Foreign, Action::Update),
        (Some(disk), None) => {
            return Decision {
                state: State::Foreign,
                action: Action::Refuse,
                owned_after: disk.to_string(),
            };
        }
        (Some(disk), Some(base)) => (disk, base),
    };
    let edited = disk != base;
    let outdated = fresh != base;
    match (edited, outdated) {
        (false, _) => fresh_row(State::Outdated, Action::Update),
        (true, false) if force => fresh_row(State::Edited, Action::Update),
        (true, false) => Decision {
            state: State::Edited,
            action: Action::Keep,
            owned_after: disk.to_string(),
        },
        (true, true) if force => fresh_row(State::EditedOutdated, Action::Update),
        // Markers still in the file from an earlier conflict would merge "cleanly" into the
        // new render: it stays a conflict until the user resolves it.
        (true, true) if conflict::unresolved(disk) => {
            let merged = diffy::merge(base, disk, fresh).unwrap_or_else(|marked| marked);
            Decision {
                state: State::EditedOutdated,
                action: Action::Conflict,
                owned_after: conflict::relabel(&merged),
            }
        }
        (true, true) => match diffy::merge(base, disk, fresh) {
            Ok(merged) => Decision {
                state: State::EditedOutdated,
                action: Action::Merge,
                owned_after: merged,
            },
            Err(marked) => Decision {
                state: State::EditedOutdated,
                action: Action::Conflict,
                owned_after: conflict::relabel(&marked),
            },
        },
    }
}

/// A file (or block) the lock lists but no answer calls for any more, still on disk:
/// deleted when untouched or forced, kept when edited.
pub(super) fn decide_orphan(owned: &str, base: &str, overwrite: Overwrite) -> Action {
    if owned == base || overwrite == Overwrite::Force {
        Action::Delete
    } else {
        Action::Keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "one\ntwo\nthree\nfour\nfive\n";
    const FRESH: &str = "one\ntwo\nthree\nfour\nFIVE\n";
    const EDITED: &str = "ONE\ntwo\nthree\nfour\nfive\n";

    fn row(
        disk: Option<&str>,
        base: Option<&str>,
        fresh: &str,
        placement: Placement,
        overwrite: Overwrite,
    ) -> Decision {
        decide(Texts { disk, base, fresh }, placement, overwrite)
    }

    fn whole(disk: Option<&str>, base: Option<&str>, fresh: &str) -> Decision {
        row(disk, base, fresh, Placement::Whole, Overwrite::Protect)
    }

    fn forced(disk: Option<&str>, base: Option<&str>, fresh: &str) -> Decision {
        row(disk, base, fresh, Placement::Whole, Overwrite::Force)
    }

    fn expect(decision: &Decision, state: State, action: Action, owned_after: &str) {
        assert_eq!(
            (
                decision.state,
                decision.action,
                decision.owned_after.as_str()
            ),
            (state, action, owned_after)
        );
    }

    #[test]
    fn missing_file_is_new_and_created() {
        expect(&whole(None, None, FRESH), State::New, Action::Create, FRESH);
        expect(
            &whole(None, Some(BASE), FRESH),
            State::New,
            Action::Create,
            FRESH,
        );
    }

    #[test]
    fn disk_equal_to_the_render_is_current() {
        expect(
            &whole(Some(FRESH), Some(BASE), FRESH),
            State::Current,
            Action::Unchanged,
            FRESH,
        );
        expect(
            &whole(Some(FRESH), None, FRESH),
            State::Current,
            Action::Unchanged,
            FRESH,
        );
    }

    #[test]
    fn unlocked_block_between_our_markers_is_updated() {
        let decision = row(
            Some(EDITED),
            None,
            FRESH,
            Placement::ManagedBlock,
            Overwrite::Protect,
        );
        expect(&decision, State::Outdated, Action::Update, FRESH);
    }

    #[test]
    fn unlocked_whole_file_is_foreign_and_refused() {
        expect(
            &whole(Some(EDITED), None, FRESH),
            State::Foreign,
            Action::Refuse,
            EDITED,
        );
    }

    #[test]
    fn forced_foreign_file_is_overwritten() {
        expect(
            &forced(Some(EDITED), None, FRESH),
            State::Foreign,
            Action::Update,
            FRESH,
        );
    }

    #[test]
    fn unedited_file_with_a_new_render_is_updated() {
        expect(
            &whole(Some(BASE), Some(BASE), FRESH),
            State::Outdated,
            Action::Update,
            FRESH,
        );
    }

    #[test]
    fn edited_file_with_the_same_render_is_kept() {
        expect(
            &whole(Some(EDITED), Some(BASE), BASE),
            State::Edited,
            Action::Keep,
            EDITED,
        );
    }

    #[test]
    fn forced_edited_file_is_restored() {
        expect(
            &forced(Some(EDITED), Some(BASE), BASE),
            State::Edited,
            Action::Update,
            BASE,
        );
    }

    #[test]
    fn edited_and_outdated_merges_cleanly() {
        expect(
            &whole(Some(EDITED), Some(BASE), FRESH),
            State::EditedOutdated,
            Action::Merge,
            "ONE\ntwo\nthree\nfour\nFIVE\n",
        );
    }

    #[test]
    fn edited_and_outdated_on_the_same_line_conflicts() {
        let decision = whole(Some("one\nmine\n"), Some("one\ntwo\n"), "one\ntheirs\n");
        assert_eq!(
            (decision.state, decision.action),
            (State::EditedOutdated, Action::Conflict)
        );
        assert!(
            conflict::unresolved(&decision.owned_after),
            "{}",
            decision.owned_after
        );
    }

    #[test]
    fn unresolved_markers_stay_a_conflict() {
        let marked = whole(Some("one\nmine\n"), Some("one\ntwo\n"), "one\ntheirs\n").owned_after;
        // The render moves on elsewhere: the old markers would merge cleanly, and must not.
        let fresh = format!("{}\nextra\n", "one\ntwo");
        let decision = whole(Some(&marked), Some("one\ntwo\n"), &fresh);
        assert_eq!(
            (decision.state, decision.action),
            (State::EditedOutdated, Action::Conflict)
        );
        assert!(conflict::unresolved(&decision.owned_after));
    }

    #[test]
    fn forced_edited_and_outdated_takes_the_render() {
        expect(
            &forced(Some(EDITED), Some(BASE), FRESH),
            State::EditedOutdated,
            Action::Update,
            FRESH,
        );
    }

    #[test]
    fn orphans_are_deleted_unless_edited() {
        assert_eq!(
            decide_orphan(BASE, BASE, Overwrite::Protect),
            Action::Delete
        );
        assert_eq!(
            decide_orphan(EDITED, BASE, Overwrite::Protect),
            Action::Keep
        );
        assert_eq!(
            decide_orphan(EDITED, BASE, Overwrite::Force),
            Action::Delete
        );
    }
}
