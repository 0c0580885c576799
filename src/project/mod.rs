//! What the repository declares and already holds, read into typed facts by one small
//! reader per file kind (a malformed file is a warning for the caller, never a failure); the
//! decisions that use them (`plan::placement`, the inferred answers) are pure functions.

pub(crate) mod ci;
pub(crate) mod docs;
pub(crate) mod gitlab;
pub(crate) mod lint_tools;
pub(crate) mod makefile;
pub(crate) mod poetry;
pub(crate) mod setup_cfg;
pub(crate) mod setup_py;
pub(crate) mod task_sources;
pub(crate) mod tasks;
pub(crate) mod test_task;

use std::path::Path;

pub(crate) use ci::Ci;
pub(crate) use makefile::Makefile;

/// The facts read from a repository.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Project {
    /// What the repo already has that generated files must fit around.
    pub(crate) existing: Existing,
}

/// Files the repo had before pybootstrap (or beside its blocks) that it must not break.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Existing {
    /// The user's own `Makefile` lines (outside pybootstrap's block), when there is one.
    pub(crate) makefile: Option<Makefile>,
    /// The repo's own CI (pybootstrap's workflow left out).
    pub(crate) ci: Ci,
    /// The repo's `.gitlab-ci.yml`, when there is one.
    pub(crate) gitlab: Option<gitlab::GitlabRoot>,
}

impl Project {
    /// Reads the facts of the repository at `repo`; a file it cannot read is a file it
    /// does not have (the write that follows reports the error with its path).
    pub(crate) fn read(repo: &Path) -> Self {
        let makefile = fs_err::read_to_string(repo.join("Makefile"))
            .ok()
            .map(|text| Makefile::parse(&text));
        Self {
            existing: Existing {
                makefile,
                ci: Ci::read(repo),
                gitlab: gitlab::GitlabRoot::read(repo),
            },
        }
    }
}
