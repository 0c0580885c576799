//! The answers: every key of `pybootstrap.toml` as one typed definition — its field (type
//! and serde name), its default (the section's `Default`), and its entry in `KEYS` (help,
//! valid values in words, the type that checks it). Reading and writing a key by its dotted
//! name goes through serde (`resolve.rs`), so nothing else names a key to handle it.

use std::collections::BTreeMap;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::error::Problem;
use super::keys::{KeyInfo, Kind};
pub use crate::ci::Provider;

use super::value::{
    ActionName, ActionPin, CaBundle, Choice, Command, ExtraName, IgnoreEntry, IndexUrl, Item, List,
    MakePath, OptionalCommand, OptionalIndexUrl, PackageName, PreferredPython, ProjectName,
    PythonRequires, PythonVersions, RepoPath, RunnerLabel, Schema, choice,
};

/// What `init` asked and `regen` re-renders from; one field per dotted key of the spec.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answers {
    pub schema: Schema,
    pub project: Project,
    pub python: Python,
    pub env: Env,
    pub deps: Deps,
    pub tasks: Tasks,
    pub ci: Ci,
    pub make: Make,
    pub lint: Lint,
    /// A file written before the key has none: the scripts stay in `scripts`.
    #[serde(default)]
    pub scripts: Scripts,
    pub docs: Docs,
    /// The team's package index and CA bundle; a file written before the keys has none.
    #[serde(default)]
    pub network: Network,
    /// Path of a team template pack, relative to the repo or absolute; `None` = built-in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub templates: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub name: ProjectName,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Python {
    /// The interpreters the bootstrap accepts. A file written before this key existed has
    /// none: `resolve` derives it from that file's `versions` (`>=oldest`).
    #[serde(default = "PythonRequires::any_supported")]
    pub requires: PythonRequires,
    /// The minor the project states (`.python-version`, its CI, its Dockerfile), tried first
    /// by the bootstrap. A file written before this key has none: the newest comes first.
    #[serde(default)]
    pub preferred: PreferredPython,
    /// The CI matrix; not an allow-list.
    pub versions: PythonVersions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", try_from = "String")]
pub enum Backend {
    Venv,
    Uv,
    Virtualenv,
}
choice!(Backend: Venv, Uv, Virtualenv);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Env {
    pub backend: Backend,
    pub dir: MakePath,
}

impl Default for Env {
    fn default() -> Self {
        Self {
            backend: Backend::Venv,
            dir: builtin_value(".venv"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", try_from = "String")]
pub enum DepsSource {
    Requirements,
    Pyproject,
    /// `setup.py` / `setup.cfg` without a `[project]` table: the project installed editable.
    Setuptools,
    UvLock,
    /// `poetry.lock` / `[tool.poetry]`: installed by Poetry, from its lock.
    Poetry,
    /// `pdm.lock` / `[tool.pdm]`: installed by PDM, from its lock.
    Pdm,
    /// `Pipfile.lock` (or a `Pipfile` not locked yet): installed by pip from the lock's
    /// pins and hashes, as `pipenv sync` installs them.
    Pipenv,
    /// tox's test environment (`[testenv] deps`), read when files are rendered.
    Tox,
    /// Hatch's test environment (`[tool.hatch.envs.*]`), read when files are rendered.
    Hatch,
    None,
}
choice!(DepsSource: Requirements, Pyproject, Setuptools, UvLock, Poetry, Pdm, Pipenv, Tox, Hatch, None);

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deps {
    pub source: DepsSource,
    /// Requirement files (used when `source = requirements`).
    pub files: List<MakePath>,
    /// Extras of the project (`[project.optional-dependencies]`, `extras_require`).
    pub extras: List<ExtraName>,
    /// PEP 735 dependency groups (`[dependency-groups]`).
    #[serde(default = "List::empty")]
    pub groups: List<ExtraName>,
    /// The project itself, editable with its extras, beside what `requirements`, `tox`
    /// and `hatch` install (`pyproject` and `setuptools` always install it).
    #[serde(default)]
    pub editable: bool,
    /// Tools the tasks run that no dependency of the project declares (`pytest` in a new
    /// repository), installed into the environment after the dependencies.
    #[serde(default = "List::empty")]
    pub tools: List<PackageName>,
}

impl Default for Deps {
    fn default() -> Self {
        Self {
            source: DepsSource::None,
            files: List::empty(),
            extras: List::empty(),
            groups: List::empty(),
            editable: false,
            tools: List::empty(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tasks {
    pub test: Command,
    /// Empty when the project configures no linter: no `lint` target, CI step or docs line.
    pub lint: OptionalCommand,
    /// Empty when the project configures no formatter.
    pub fmt: OptionalCommand,
}

impl Default for Tasks {
    fn default() -> Self {
        Self {
            test: builtin_value("pytest"),
            lint: OptionalCommand::absent(),
            fmt: OptionalCommand::absent(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ci {
    pub providers: List<Provider>,
    pub os: List<RunnerLabel>,
    pub pep668_job: bool,
    /// Action name → pinned ref, e.g. `"actions/checkout" = "<sha> # v5.0.0"`.
    pub actions: BTreeMap<ActionName, ActionPin>,
}

impl Default for Ci {
    fn default() -> Self {
        Self {
            providers: builtin_list(vec![Provider::Github]),
            os: builtin_list(vec![builtin_value("ubuntu-latest")]),
            pep668_job: true,
            actions: super::defaults::default_actions(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Make {
    pub enabled: bool,
    /// Every recipe of the Makefile, the project's own too, runs inside the environment
    /// (its `bin` first on `PATH`, `VIRTUAL_ENV` exported). A lock written before the key
    /// reads as `true`, which is what a regen then writes.
    #[serde(default = "yes")]
    pub export_env: bool,
}

impl Default for Make {
    fn default() -> Self {
        Self {
            enabled: true,
            export_env: true,
        }
    }
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Lint {
    /// Rule ids (`PB101`) and path globs that `lint` skips.
    pub ignore: List<IgnoreEntry>,
}

impl Default for Lint {
    fn default() -> Self {
        Self {
            ignore: List::empty(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scripts {
    /// The directory `bootstrap.sh` and `bootstrap.ps1` are written to.
    pub dir: MakePath,
}

impl Default for Scripts {
    fn default() -> Self {
        Self {
            dir: builtin_value("scripts"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Docs {
    pub path: RepoPath,
}

impl Default for Docs {
    fn default() -> Self {
        Self {
            path: builtin_value("docs/python-environment.md"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Network {
    /// The index every tool installs from; empty for each tool's default (PyPI).
    #[serde(default = "OptionalIndexUrl::absent")]
    pub index: OptionalIndexUrl,
    /// Indexes searched besides it.
    #[serde(default = "List::empty")]
    pub extra_indexes: List<IndexUrl>,
    /// CA certificates (PEM) every tool verifies TLS with, in place of its own store (e.g. a
    /// TLS-intercepting proxy's root); empty for each tool's own store.
    #[serde(default = "CaBundle::absent")]
    pub ca_bundle: CaBundle,
}

impl Default for Network {
    fn default() -> Self {
        Self {
            index: OptionalIndexUrl::absent(),
            extra_indexes: List::empty(),
            ca_bundle: CaBundle::absent(),
        }
    }
}

impl Network {
    /// Whether any key is set: with none, the generated files are what they were before
    /// these keys existed.
    pub fn is_set(&self) -> bool {
        self.index.url().is_some()
            || !self.extra_indexes.is_empty()
            || self.ca_bundle.path().is_some()
    }
}

/// A built-in default, which the built-in answers' unit test proves valid.
fn builtin_value<T: FromStr<Err = Problem>>(text: &str) -> T {
    text.parse().expect("a built-in default is valid")
}

/// A built-in list, which the built-in answers' unit test proves valid.
fn builtin_list<T: Item>(items: Vec<T>) -> List<T> {
    items.try_into().expect("a built-in list is valid")
}

/// Every dotted key, in the spec's order: help (the comment above the key in the saved
/// file), the TOML kind, the valid values in words, and the field's type, which checks a
/// value (`KeyInfo::of::<T>`).
pub(super) static KEYS: &[KeyInfo] = &[
    KeyInfo::of::<Schema>(
        "schema",
        "Format version of this file.",
        Kind::Integer,
        "`1`",
    ),
    KeyInfo::of::<ProjectName>(
        "project.name",
        "Project name, shown in generated files and docs.",
        Kind::String,
        "a name of letters, digits, `.`, `_` and `-`, starting with a letter or digit, at most 100 characters",
    ),
    KeyInfo::of::<PythonRequires>(
        "python.requires",
        "Python versions the bootstrap accepts (a PEP 440 specifier).",
        Kind::String,
        "a PEP 440 version specifier allowing a supported CPython, e.g. `>=3.10` or `>=3.9,<3.13`",
    ),
    KeyInfo::of::<PreferredPython>(
        "python.preferred",
        "CPython version the bootstrap tries first (the one the project states); empty for the newest in python.requires.",
        Kind::String,
        "a `3.N` version inside `python.requires`, e.g. `3.11`, or `\"\"` for none",
    ),
    KeyInfo::of::<PythonVersions>(
        "python.versions",
        "CPython versions CI tests, oldest first (the bootstrap accepts any in python.requires).",
        Kind::List,
        "a list of `3.N` versions from `3.9` to `3.15`, e.g. `3.12,3.13`",
    ),
    KeyInfo::of::<Backend>(
        "env.backend",
        "Tool that creates the environment.",
        Kind::String,
        "`venv`, `uv` or `virtualenv`",
    )
    .choices::<Backend>(),
    KeyInfo::of::<MakePath>(
        "env.dir",
        "Where the environment lives, relative to the repository root.",
        Kind::String,
        "a relative path inside the repository, `/`-separated, e.g. `.venv`",
    ),
    KeyInfo::of::<DepsSource>(
        "deps.source",
        "Where dependencies are declared.",
        Kind::String,
        "`requirements`, `pyproject`, `setuptools`, `uv-lock`, `poetry`, `pdm`, `pipenv`, `tox`, `hatch` or `none`",
    )
    .choices::<DepsSource>(),
    KeyInfo::of::<List<MakePath>>(
        "deps.files",
        "Requirement files installed, in order (when deps.source = \"requirements\").",
        Kind::List,
        "a list of relative paths inside the repository, e.g. `requirements.txt,requirements-dev.txt`",
    ),
    KeyInfo::of::<List<ExtraName>>(
        "deps.extras",
        "Extras of the project installed with it (when the project is installed: deps.source \"pyproject\", \"setuptools\", \"uv-lock\", or deps.editable).",
        Kind::List,
        "a list of extra names (letters, digits, `.`, `_`, `-`), e.g. `test`",
    ),
    KeyInfo::of::<List<ExtraName>>(
        "deps.groups",
        "Dependency groups installed (PEP 735 `[dependency-groups]`, or Poetry's and PDM's groups).",
        Kind::List,
        "a list of dependency-group names (letters, digits, `.`, `_`, `-`), e.g. `dev`",
    ),
    KeyInfo::of::<bool>(
        "deps.editable",
        "Also install the project itself, editable with deps.extras (when deps.source is \"requirements\", \"tox\" or \"hatch\").",
        Kind::Bool,
        "`true` or `false`",
    ),
    KeyInfo::of::<List<PackageName>>(
        "deps.tools",
        "Tools the tasks run that the project's dependencies leave out, installed into the environment after them (latest release).",
        Kind::List,
        "a list of distribution names (letters, digits, `.`, `_`, `-`), e.g. `pytest,ruff`",
    ),
    KeyInfo::of::<Command>(
        "tasks.test",
        "Command that runs the tests, inside the environment.",
        Kind::String,
        "a non-empty, single-line command",
    ),
    KeyInfo::of::<OptionalCommand>(
        "tasks.lint",
        "Command that runs the linters, inside the environment; \"\" = no lint task.",
        Kind::String,
        "a single-line command, or empty for no lint task",
    ),
    KeyInfo::of::<OptionalCommand>(
        "tasks.fmt",
        "Command that formats the code, inside the environment; \"\" = no format task.",
        Kind::String,
        "a single-line command, or empty for no format task",
    ),
    KeyInfo::of::<List<Provider>>(
        "ci.providers",
        "CI systems to generate pipelines for; empty for none.",
        Kind::List,
        crate::ci::PROVIDER_VALUES,
    )
    .choices::<Provider>(),
    KeyInfo::of::<List<RunnerLabel>>(
        "ci.os",
        "Runner OS labels the CI matrix covers.",
        Kind::List,
        "a non-empty list of runner labels (letters, digits, `.`, `_`, `-`), e.g. `ubuntu-latest,windows-latest`",
    ),
    KeyInfo::of::<bool>(
        "ci.pep668_job",
        "Add a CI job on a distro image whose system Python is externally managed (PEP 668).",
        Kind::Bool,
        "`true` or `false`",
    ),
    KeyInfo::of::<BTreeMap<ActionName, ActionPin>>(
        "ci.actions",
        "GitHub Actions used by the workflow, pinned by full commit SHA (the comment names the release).",
        Kind::Table,
        "`OWNER/REPO` = \"<40 lowercase hex digits>\", optionally followed by ` # vX.Y.Z`",
    ),
    KeyInfo::of::<bool>(
        "make.enabled",
        "Maintain a block of targets in the Makefile.",
        Kind::Bool,
        "`true` or `false`",
    ),
    KeyInfo::of::<bool>(
        "make.export_env",
        "Run every recipe of the Makefile, the project's own too, inside the environment (its bin first on PATH, VIRTUAL_ENV set).",
        Kind::Bool,
        "`true` or `false`",
    ),
    KeyInfo::of::<List<IgnoreEntry>>(
        "lint.ignore",
        "Rule ids (PB101) and path globs that `pybootstrap lint` skips.",
        Kind::List,
        "a list of rule ids in any case (`PB101`), globs over rule ids (`PB2*`) and path globs in `.gitignore` syntax (`vendor/**`)",
    ),
    KeyInfo::of::<MakePath>(
        "scripts.dir",
        "The directory the bootstrap scripts (bootstrap.sh, bootstrap.ps1) are written to, relative to the repository root.",
        Kind::String,
        "a relative path inside the repository, `/`-separated, e.g. `scripts` or `tools/dev`",
    ),
    KeyInfo::of::<RepoPath>(
        "docs.path",
        "Where the contributor guide is written, relative to the repository root.",
        Kind::String,
        "a relative path inside the repository, `/`-separated, e.g. `docs/python-environment.md`",
    ),
    KeyInfo::of::<OptionalIndexUrl>(
        "network.index",
        "Package index every tool installs from (no credentials: they come from the environment, .netrc or keyring); \"\" = PyPI.",
        Kind::String,
        "an `http(s)://` URL without a user, password or token, e.g. `https://pypi.corp.example/simple/`, or empty for PyPI",
    ),
    KeyInfo::of::<List<IndexUrl>>(
        "network.extra_indexes",
        "Package indexes searched besides network.index (no credentials).",
        Kind::List,
        "a list of `http(s)://` URLs without a user, password or token",
    ),
    KeyInfo::of::<CaBundle>(
        "network.ca_bundle",
        "CA certificates (PEM) every tool verifies TLS with, in place of its own store (e.g. the root of a TLS-intercepting proxy); \"\" = each tool's own store.",
        Kind::String,
        "a PEM file: a relative path inside the repository (`certs/corp-root.pem`) or an absolute one, or empty for none",
    ),
    KeyInfo::new(
        "templates",
        "Team template pack: a directory (relative to the repository, or absolute) or a git source (`git+https://…@TAG`, `gh:org/pack@TAG`); unset for the built-in templates.",
        Kind::String,
        "a directory holding `pack.toml`, or a git source: `git+https://…@REF`, `git+ssh://…@REF`, `file://…@REF`, `gh:org/pack@REF` (empty for the built-in templates)",
        check_templates,
    ),
];

/// `templates` stays text in the answers (it is saved as written); its rules are those of
/// the pack source it names.
fn check_templates(value: &toml::Value) -> Result<(), Problem> {
    let text = value.as_str().unwrap_or_default();
    match text.parse::<crate::source::PackSource>() {
        Ok(_) => Ok(()),
        Err(crate::source::SourceError::Parse { reason, .. }) => {
            Err(Problem::invalid(text, reason))
        }
        Err(other) => Err(Problem::invalid(text, other.to_string())),
    }
}
