//! The resolved answers: every key of `pybootstrap.toml`, each with a value.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What `init` asked and `regen` re-renders from; one field per dotted key of the spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answers {
    pub schema: u32,
    pub project: Project,
    pub python: Python,
    pub env: Env,
    pub deps: Deps,
    pub tasks: Tasks,
    pub ci: Ci,
    pub make: Make,
    pub lint: Lint,
    pub docs: Docs,
    /// Path of a team template pack, relative to the repo or absolute; `None` = built-in.
    pub templates: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Python {
    /// `3.N` strings, oldest first: the bootstrap accepts any of them, CI runs all of them.
    pub versions: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Backend {
    Venv,
    Uv,
    Virtualenv,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Env {
    pub backend: Backend,
    /// Relative path inside the repo, `/`-separated.
    pub dir: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DepsSource {
    Requirements,
    Pyproject,
    UvLock,
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deps {
    pub source: DepsSource,
    /// Requirement files, relative to the repo (used when `source = requirements`).
    pub files: Vec<String>,
    /// Extras / dependency groups (used when `source` is `pyproject` or `uv-lock`).
    pub extras: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tasks {
    pub test: String,
    pub lint: String,
    pub fmt: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provider {
    Github,
    Gitlab,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ci {
    pub providers: Vec<Provider>,
    /// Runner OS labels (`ubuntu-latest`, `macos-latest`, `windows-latest`, ...).
    pub os: Vec<String>,
    pub pep668_job: bool,
    /// Action name → pinned ref, e.g. `"actions/checkout" = "<sha> # v5.0.0"`.
    pub actions: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Make {
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lint {
    /// Rule ids (`PB101`) and path globs that `lint` skips.
    pub ignore: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Docs {
    pub path: String,
}
