//! What the repository declares and already holds, read into typed facts by one small
//! reader per file kind (a malformed file is a warning for the caller, never a failure); the
//! decisions that use them (`plan::placement`, the inferred answers) are pure functions.

pub(crate) mod ci;
pub(crate) mod docs;
pub(crate) mod gitlab;
pub(crate) mod hatch;
pub(crate) mod lint_tools;
pub(crate) mod makefile;
pub(crate) mod pdm;
pub(crate) mod poetry;
pub(crate) mod requirements;
pub(crate) mod setup_cfg;
pub(crate) mod setup_py;
pub(crate) mod task_sources;
pub(crate) mod tasks;
pub(crate) mod test_task;
pub(crate) mod tox;

use std::path::{Path, PathBuf};

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
    /// The repository the answers' dependency files are read from when rendering (the
    /// files requirement files pull in, tox's and Hatch's test environments); `None`
    /// renders the answers alone.
    pub(crate) repo: Option<PathBuf>,
}

impl Project {
    /// Reads the facts of the repository at `repo`; a file it cannot read is a file it
    /// does not have (the write that follows reports the error with its path).
    pub(crate) fn read(repo: &Path) -> Self {
        Self {
            existing: Existing {
                makefile: Makefile::read(repo),
                ci: Ci::read(repo),
                gitlab: gitlab::GitlabRoot::read(repo),
                repo: Some(repo.to_path_buf()),
            },
        }
    }
}
