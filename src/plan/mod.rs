//! The file plan: for every generated file, its state (from the base in the lock, the disk
//! and a fresh render), what will happen to it, and its contents before and after.
//! `--dry-run`, `--check` and the real write all consume the same plan.

mod base;
pub(crate) mod bumps;
pub(crate) mod conflict;
mod decide;
pub(crate) mod diff;
pub(crate) mod lock;
pub(crate) mod placement;
pub(crate) mod show;
pub(crate) mod why;
pub(crate) mod write;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::block;
use crate::render::{Group, Placement, RenderedFile};
pub(crate) use decide::Overwrite;
use decide::{Decision, Texts, decide, decide_orphan};
use lock::{Lock, normalize};

/// What a run does with its plan: one mode, where the command line has several flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Apply the plan.
    Write,
    /// `--dry-run`: show the plan and its diffs, write nothing.
    DryRun,
    /// `--check`: report drift and write nothing; `strict` counts hand edits as drift.
    Check { strict: bool },
}

impl Mode {
    /// The mode the flags select; `--check` wins over `--dry-run`, which it implies.
    pub(crate) fn from_flags(check: bool, strict: bool, dry_run: bool) -> Self {
        if check {
            Self::Check { strict }
        } else if dry_run {
            Self::DryRun
        } else {
            Self::Write
        }
    }
}

/// Where a file stands, as the spec defines the states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum State {
    /// Not on disk (or, for a block, not in the file) yet.
    New,
    /// disk = base = new render.
    Current,
    /// disk = base, the new render differs.
    Outdated,
    /// disk differs from the base, the new render = base: hand edits, kept.
    Edited,
    /// Both differ: a 3-way merge.
    #[serde(rename = "edited+outdated")]
    EditedOutdated,
    /// On disk, but not written by pybootstrap.
    Foreign,
    /// Written by pybootstrap, but no answer calls for it any more.
    Orphan,
}

/// What applying the plan does to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Action {
    Create,
    Update,
    /// A clean 3-way merge of the hand edits and the new render.
    Merge,
    /// A 3-way merge with conflict markers for the user to resolve.
    Conflict,
    Unchanged,
    /// Hand edits kept as they are.
    Keep,
    Delete,
    /// Not pybootstrap's file: left alone; `--force` overwrites.
    Refuse,
}

impl Action {
    /// Whether applying it changes the disk.
    pub(crate) fn writes(self) -> bool {
        matches!(
            self,
            Self::Create | Self::Update | Self::Merge | Self::Conflict | Self::Delete
        )
    }
}

/// One file of the plan.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FilePlan {
    pub path: String,
    /// `None` for `pybootstrap.toml` itself.
    pub group: Option<Group>,
    pub state: State,
    pub action: Action,
    /// The whole file on disk now.
    #[serde(skip)]
    pub before: Option<String>,
    /// The whole file after applying; `None` when it is deleted.
    #[serde(skip)]
    pub after: Option<String>,
    /// The base to record in the lock; `None` drops the file from the lock.
    #[serde(skip)]
    pub base: Option<String>,
    #[serde(skip)]
    pub placement: Placement,
    #[serde(skip)]
    pub executable: bool,
    /// A generated file someone made read-only (no write bit): refused without `--force`,
    /// as a file nobody meant to change.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
}

impl FilePlan {
    /// A file outside the template set that pybootstrap writes as is (`pybootstrap.toml`).
    pub(crate) fn plain(path: &str, before: Option<String>, after: String) -> Self {
        let (state, action) = match &before {
            None => (State::New, Action::Create),
            Some(text) if normalize(text) == normalize(&after) => {
                (State::Current, Action::Unchanged)
            }
            Some(_) => (State::Outdated, Action::Update),
        };
        Self {
            path: path.into(),
            group: None,
            state,
            action,
            before,
            after: Some(after),
            base: None,
            placement: Placement::Whole,
            executable: false,
            read_only: false,
        }
    }

    /// Conflict markers (new, or left unresolved from an earlier regen), a refused file, or
    /// an edited orphan: the user must act.
    pub(crate) fn needs_attention(&self) -> bool {
        matches!(self.action, Action::Conflict | Action::Refuse)
            || (self.state == State::Orphan && self.action == Action::Keep)
            || self.unresolved()
    }

    /// Kept hand edits that still hold conflict markers: not edits, an unfinished merge.
    pub(crate) fn unresolved(&self) -> bool {
        self.action == Action::Keep
            && self.state == State::Edited
            && self.after.as_deref().is_some_and(conflict::unresolved)
    }

    /// The text to hash for the lock: the block for a managed block, else the whole file.
    pub(crate) fn written_part(&self) -> Option<String> {
        let after = self.after.as_ref()?;
        match self.placement {
            Placement::Whole => Some(after.clone()),
            Placement::ManagedBlock => block::extract(after).ok().flatten(),
        }
    }
}

/// A file the plan cannot be made for.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PlanError {
    #[error("failed to read `{path}`")]
    Read {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{path}`: {problem}")]
    Markers {
        path: String,
        problem: block::BrokenMarkers,
    },
    #[error(
        "`{path}` is not UTF-8 text; pybootstrap edits only UTF-8 files, so it is left as it is"
    )]
    NotUtf8 { path: String },
    #[error(transparent)]
    Lock(#[from] lock::LockError),
}

impl PlanError {
    /// The `hint:` line for the error.
    pub(crate) fn hint(&self) -> Option<String> {
        match self {
            Self::Read { .. } | Self::Markers { .. } => None,
            Self::NotUtf8 { .. } => {
                Some("convert it to UTF-8, or move it aside and run again".into())
            }
            Self::Lock(error) => Some(error.hint()),
        }
    }
}

/// A target of the plan as it is on disk before the run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct OnDisk {
    pub text: String,
    /// Whether the file has no write bit (see `plan::write::mode_of`).
    pub read_only: bool,
}

/// The targets' state on disk, by repo-relative path; a path not in it has no file.
pub(crate) type Disk = BTreeMap<String, OnDisk>;

/// What to plan.
pub(crate) struct Inputs<'a> {
    pub rendered: &'a [RenderedFile],
    pub lock: Option<&'a Lock>,
    /// Every path of `targets` as it is on disk.
    pub disk: &'a Disk,
    /// Whether hand edits and foreign files are protected or overwritten.
    pub overwrite: Overwrite,
    /// Limit to these groups (empty: all).
    pub only: &'a [Group],
}

/// The paths a plan looks at on disk: every rendered file and every orphan of the lock in
/// the groups of `only` (all when empty).
pub(crate) fn targets<'a>(
    rendered: &'a [RenderedFile],
    lock: Option<&'a Lock>,
    only: &[Group],
) -> Vec<&'a str> {
    let in_scope = |group: Group| only.is_empty() || only.contains(&group);
    let orphans = lock
        .into_iter()
        .flat_map(|lock| &lock.files)
        .filter(|locked| in_scope(locked.group))
        .filter(|locked| !rendered.iter().any(|r| r.path == locked.path))
        .map(|locked| locked.path.as_str());
    rendered
        .iter()
        .filter(|file| in_scope(file.group))
        .map(|file| file.path.as_str())
        .chain(orphans)
        .collect()
}

/// The plan for every rendered file and every orphan of the lock.
pub(crate) fn build(inputs: &Inputs) -> Result<Vec<FilePlan>, PlanError> {
    let in_scope = |group: Group| inputs.only.is_empty() || inputs.only.contains(&group);
    let mut plans = Vec::new();
    for file in inputs.rendered.iter().filter(|f| in_scope(f.group)) {
        plans.push(plan_rendered(inputs, file)?);
    }
    if let Some(lock) = inputs.lock {
        for locked in lock.files.iter().filter(|f| in_scope(f.group)) {
            if inputs.rendered.iter().any(|r| r.path == locked.path) {
                continue;
            }
            plans.push(plan_orphan(inputs, locked)?);
        }
    }
    plans.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(plans)
}

fn plan_rendered(inputs: &Inputs, file: &RenderedFile) -> Result<FilePlan, PlanError> {
    let current = inputs.disk.get(&file.path);
    let before = current.map(|current| current.text.clone());
    let markers = |source| PlanError::Markers {
        path: file.path.clone(),
        problem: source,
    };
    // The part pybootstrap owns, as it is on disk now.
    let owned = match (file.placement, &before) {
        (_, None) => None,
        (Placement::Whole, Some(text)) => Some(normalize(text).into_owned()),
        (Placement::ManagedBlock, Some(text)) => block::extract(text)
            .map_err(markers)?
            .map(|b| normalize(&b).into_owned()),
    };
    let fresh = &file.contents;
    let locked = inputs.lock.and_then(|lock| lock.file(&file.path));
    let locked_base = || locked.map(lock::LockedFile::base).transpose();
    // The base decides only a file that differs from its render: an up-to-date file's is
    // never inflated.
    let base = match owned.as_deref() {
        Some(disk) if disk != fresh.as_str() => locked_base()?,
        _ => None,
    };
    let texts = Texts {
        disk: owned.as_deref(),
        base,
        fresh,
    };
    let Decision {
        state,
        action,
        owned_after,
    } = decide(texts, file.placement, inputs.overwrite);
    let read_only = current.is_some_and(|current| current.read_only);
    let action = protect_read_only(action, read_only, inputs.overwrite);
    let after = match file.placement {
        // A CRLF checkout stays CRLF: only the lines that change show in `git diff`.
        Placement::Whole => block::with_ending(
            &owned_after,
            block::line_ending(before.as_deref().unwrap_or("")),
        ),
        Placement::ManagedBlock => block::splice_after(
            before.as_deref().unwrap_or(""),
            &owned_after,
            file.anchor.as_deref(),
        )
        .map_err(markers)?,
    };
    let after = if action == Action::Unchanged || action == Action::Keep || action == Action::Refuse
    {
        before.clone().unwrap_or(after)
    } else {
        after
    };
    // An edited file keeps its old base, so the edits still count as edits next time.
    let base = match action {
        Action::Keep => locked_base()?.map(str::to_string),
        Action::Refuse if read_only => locked_base()?.map(str::to_string),
        Action::Refuse => None,
        _ => Some(fresh.clone()),
    };
    Ok(FilePlan {
        path: file.path.clone(),
        group: Some(file.group),
        state,
        action,
        before,
        after: Some(after),
        base,
        placement: file.placement,
        executable: file.executable,
        read_only,
    })
}

fn plan_orphan(inputs: &Inputs, locked: &lock::LockedFile) -> Result<FilePlan, PlanError> {
    let current = inputs.disk.get(&locked.path);
    let Some(before) = current.map(|current| current.text.clone()) else {
        return Ok(gone(locked));
    };
    let markers = |source| PlanError::Markers {
        path: locked.path.clone(),
        problem: source,
    };
    let owned = match locked.placement {
        Placement::Whole => Some(normalize(&before).into_owned()),
        Placement::ManagedBlock => block::extract(&before).map_err(markers)?,
    };
    let Some(owned) = owned else {
        return Ok(gone(locked));
    };
    let read_only = current.is_some_and(|current| current.read_only);
    let action = protect_read_only(
        decide_orphan(&normalize(&owned), locked.base()?, inputs.overwrite),
        read_only,
        inputs.overwrite,
    );
    let after = if action == Action::Delete {
        match locked.placement {
            Placement::Whole => None,
            // A file that held nothing but the block goes with it.
            Placement::ManagedBlock => Some(block::remove(&before).map_err(markers)?)
                .filter(|rest| !rest.trim().is_empty()),
        }
    } else {
        Some(before.clone())
    };
    Ok(FilePlan {
        path: locked.path.clone(),
        group: Some(locked.group),
        state: State::Orphan,
        action,
        before: Some(before),
        after,
        base: matches!(action, Action::Keep | Action::Refuse)
            .then(|| locked.base().map(str::to_string))
            .transpose()?,
        placement: locked.placement,
        executable: false,
        read_only,
    })
}

/// `action`, or `Refuse` when it would change a read-only file without `--force`.
fn protect_read_only(action: Action, read_only: bool, overwrite: Overwrite) -> Action {
    if read_only && action.writes() && overwrite == Overwrite::Protect {
        Action::Refuse
    } else {
        action
    }
}

/// An orphan the user already removed (the file, or the block from its file): nothing to
/// do on disk, and no `base`, so it leaves the lock.
fn gone(locked: &lock::LockedFile) -> FilePlan {
    FilePlan {
        path: locked.path.clone(),
        group: Some(locked.group),
        state: State::Orphan,
        action: Action::Unchanged,
        before: None,
        after: None,
        base: None,
        placement: locked.placement,
        executable: false,
        read_only: false,
    }
}

/// Whether the plan leaves something for the user to act on.
pub(crate) fn needs_attention(plans: &[FilePlan]) -> bool {
    plans.iter().any(FilePlan::needs_attention)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_select_one_mode() {
        assert_eq!(Mode::from_flags(false, false, false), Mode::Write);
        assert_eq!(Mode::from_flags(false, false, true), Mode::DryRun);
        assert_eq!(
            Mode::from_flags(true, false, false),
            Mode::Check { strict: false }
        );
        assert_eq!(
            Mode::from_flags(true, true, true),
            Mode::Check { strict: true }
        );
    }
}
