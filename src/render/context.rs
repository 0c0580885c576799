//! The typed context every template renders from: the answers, checked once more for what
//! the generated files rely on, plus the few values derived from them (so templates need
//! no logic beyond `if` and `for`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::answers::{Answers, Backend, DepsSource, Provider};

use super::Error;

/// The file every stamp lives in, inside the env dir, so removing the env drops it too.
pub const STAMP_FILE: &str = ".pybootstrap-stamp";

/// The action refs the built-in GitHub workflow needs.
pub const REQUIRED_ACTIONS: &[&str] = &["actions/checkout", "actions/setup-python"];

#[derive(Debug, Clone, Serialize)]
pub struct Context {
    pub project: ProjectContext,
    pub python: PythonContext,
    pub env: EnvContext,
    pub deps: DepsContext,
    pub tasks: TasksContext,
    pub ci: CiContext,
    pub make: MakeContext,
    pub docs: DocsContext,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectContext {
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PythonContext {
    /// Oldest first, as in the answers.
    pub versions: Vec<String>,
    /// The order the bootstrap tries `python3.N` in: the newest allowed first.
    pub versions_newest_first: Vec<String>,
    /// The allowed versions as one space-separated word list (`3.11 3.12`).
    pub versions_words: String,
    pub newest: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnvContext {
    /// `venv`, `uv` or `virtualenv`.
    pub backend: String,
    pub uv: bool,
    pub virtualenv: bool,
    /// Relative, `/`-separated.
    pub dir: String,
    /// `<dir>/.pybootstrap-stamp`.
    pub stamp: String,
    /// Whether the env has pip in it (uv creates envs without pip).
    pub has_pip: bool,
    /// The POSIX shell command that activates the env (`. '.venv'/bin/activate`).
    pub activate_sh: String,
    /// The PowerShell command that activates the env.
    pub activate_ps: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DepsContext {
    /// `requirements`, `pyproject`, `uv-lock` or `none`.
    pub source: String,
    pub requirements: bool,
    pub pyproject: bool,
    pub uv_lock: bool,
    pub files: Vec<String>,
    pub extras: Vec<String>,
    /// The pip requirement that installs the project with its extras: `.[dev,test]` or `.`.
    pub project_requirement: String,
    /// The files whose content decides what gets installed: the stamp and the CI caches
    /// are keyed on them.
    pub inputs: Vec<String>,
    /// At most two of `inputs`: GitLab's `cache:key:files` takes no more.
    pub cache_key_files: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TasksContext {
    pub test: String,
    pub lint: String,
    pub fmt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CiContext {
    pub github: bool,
    pub gitlab: bool,
    pub os: Vec<String>,
    /// Whether the matrix has Windows runners, and runners of any other OS.
    pub windows: bool,
    pub unix: bool,
    pub pep668_job: bool,
    /// The distro image whose own `python3` is externally managed and an allowed version;
    /// `""` when no such image is known (the PEP 668 job is then left out).
    pub pep668_image: String,
    /// Every pinned action, by name.
    pub actions: BTreeMap<String, ActionPin>,
    pub checkout: ActionPin,
    pub setup_python: ActionPin,
}

/// `uses: {{ name }}@{{ sha }} # {{ version }}`.
#[derive(Debug, Clone, Serialize)]
pub struct ActionPin {
    pub name: String,
    pub sha: String,
    /// The human version from the pin's comment, `""` when the pin has none.
    pub version: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MakeContext {
    pub enabled: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocsContext {
    pub path: String,
}

impl Context {
    /// Builds the context, refusing values no generated file could hold safely.
    pub fn new(answers: &Answers) -> Result<Self, Error> {
        check_relative_path("env.dir", &answers.env.dir)?;
        check_relative_path("docs.path", &answers.docs.path)?;
        for file in &answers.deps.files {
            check_relative_path("deps.files", file)?;
        }
        if answers.python.versions.is_empty() {
            return Err(Error::answer(
                "python.versions",
                "[]",
                "list at least one `3.N` version",
            ));
        }
        for version in &answers.python.versions {
            check_python_version(version)?;
        }
        for (key, command) in [
            ("tasks.test", &answers.tasks.test),
            ("tasks.lint", &answers.tasks.lint),
            ("tasks.fmt", &answers.tasks.fmt),
        ] {
            if command.trim().is_empty() || command.chars().any(char::is_control) {
                return Err(Error::answer(
                    key,
                    command,
                    "a task is one non-empty line without control characters",
                ));
            }
        }

        let backend = match answers.env.backend {
            Backend::Venv => "venv",
            Backend::Uv => "uv",
            Backend::Virtualenv => "virtualenv",
        };
        let (source, inputs) = match answers.deps.source {
            DepsSource::Requirements => ("requirements", answers.deps.files.clone()),
            DepsSource::Pyproject => ("pyproject", vec!["pyproject.toml".to_string()]),
            DepsSource::UvLock => (
                "uv-lock",
                vec!["pyproject.toml".to_string(), "uv.lock".to_string()],
            ),
            DepsSource::None => ("none", Vec::new()),
        };
        let project_requirement = if answers.deps.extras.is_empty() {
            ".".to_string()
        } else {
            format!(".[{}]", answers.deps.extras.join(","))
        };

        let mut actions = BTreeMap::new();
        for (name, pin) in &answers.ci.actions {
            actions.insert(name.clone(), ActionPin::parse(name, pin)?);
        }
        let github = answers.ci.providers.contains(&Provider::Github);
        let required = |name: &str| -> Result<ActionPin, Error> {
            match actions.get(name) {
                Some(pin) => Ok(pin.clone()),
                None if github => Err(Error::MissingAction {
                    action: name.to_string(),
                }),
                // Unused without a GitHub workflow; a placeholder keeps the context typed.
                None => Ok(ActionPin {
                    name: name.to_string(),
                    sha: String::new(),
                    version: String::new(),
                }),
            }
        };
        let checkout = required(REQUIRED_ACTIONS[0])?;
        let setup_python = required(REQUIRED_ACTIONS[1])?;
        let windows = answers
            .ci
            .os
            .iter()
            .any(|os| os.to_ascii_lowercase().starts_with("windows"));
        let unix = answers
            .ci
            .os
            .iter()
            .any(|os| !os.to_ascii_lowercase().starts_with("windows"));

        let mut versions_newest_first = answers.python.versions.clone();
        versions_newest_first.reverse();
        Ok(Self {
            project: ProjectContext {
                name: answers.project.name.clone(),
            },
            python: PythonContext {
                versions: answers.python.versions.clone(),
                newest: versions_newest_first[0].clone(),
                versions_newest_first,
                versions_words: answers.python.versions.join(" "),
            },
            env: EnvContext {
                backend: backend.to_string(),
                uv: answers.env.backend == Backend::Uv,
                virtualenv: answers.env.backend == Backend::Virtualenv,
                dir: answers.env.dir.clone(),
                stamp: format!("{}/{STAMP_FILE}", answers.env.dir),
                has_pip: answers.env.backend != Backend::Uv,
                activate_sh: format!(
                    ". {}/bin/activate",
                    quote(super::filters::sh, &answers.env.dir)?
                ),
                activate_ps: format!(
                    "& (Join-Path {} 'Scripts/Activate.ps1')",
                    quote(super::filters::powershell, &answers.env.dir)?
                ),
            },
            deps: DepsContext {
                source: source.to_string(),
                requirements: answers.deps.source == DepsSource::Requirements,
                pyproject: answers.deps.source == DepsSource::Pyproject,
                uv_lock: answers.deps.source == DepsSource::UvLock,
                files: answers.deps.files.clone(),
                extras: answers.deps.extras.clone(),
                project_requirement,
                cache_key_files: inputs.iter().take(2).cloned().collect(),
                inputs,
            },
            tasks: TasksContext {
                test: answers.tasks.test.clone(),
                lint: answers.tasks.lint.clone(),
                fmt: answers.tasks.fmt.clone(),
            },
            ci: CiContext {
                github,
                gitlab: answers.ci.providers.contains(&Provider::Gitlab),
                os: answers.ci.os.clone(),
                windows,
                unix,
                pep668_job: answers.ci.pep668_job,
                pep668_image: pep668_image(&answers.python.versions).to_string(),
                actions,
                checkout,
                setup_python,
            },
            make: MakeContext {
                enabled: answers.make.enabled,
            },
            docs: DocsContext {
                path: answers.docs.path.clone(),
            },
        })
    }
}

impl ActionPin {
    /// Parses `"<40 hex sha> # <version>"` (the comment optional) for action `name`.
    fn parse(name: &str, pin: &str) -> Result<Self, Error> {
        let key = format!("ci.actions.\"{name}\"");
        let name_ok = !name.is_empty()
            && name.split('/').count() >= 2
            && name.split('/').all(|part| {
                !part.is_empty()
                    && part != ".."
                    && part
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            });
        if !name_ok {
            return Err(Error::answer(
                &key,
                name,
                "an action is named `owner/repo` or `owner/repo/path`",
            ));
        }
        let (sha, comment) = match pin.split_once('#') {
            Some((sha, comment)) => (sha.trim(), comment.trim()),
            None => (pin.trim(), ""),
        };
        if sha.len() != 40
            || !sha
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        {
            return Err(Error::answer(
                &key,
                pin,
                "pin actions to a full 40-character commit SHA, e.g. `<sha> # v5.0.0`",
            ));
        }
        if comment.chars().any(char::is_control) {
            return Err(Error::answer(
                &key,
                pin,
                "the version comment must fit on one line",
            ));
        }
        Ok(Self {
            name: name.to_string(),
            sha: sha.to_string(),
            version: comment.to_string(),
        })
    }
}

/// Images whose `python3` carries the PEP 668 marker, by that Python's version; the first
/// whose version the project allows is used.
const PEP668_IMAGES: &[(&str, &str)] = &[
    ("3.11", "debian:bookworm"),
    ("3.12", "ubuntu:24.04"),
    ("3.13", "debian:trixie"),
];

fn pep668_image(versions: &[String]) -> &'static str {
    PEP668_IMAGES
        .iter()
        .find(|(version, _)| versions.iter().any(|allowed| allowed == version))
        .map_or("", |(_, image)| image)
}

fn quote(escape: fn(&str) -> Result<String, String>, value: &str) -> Result<String, Error> {
    escape(value).map_err(|reason| Error::answer("env.dir", value, &reason))
}

/// A path the generated files may create or delete: relative, inside the repo, plain.
pub fn check_relative_path(key: &str, path: &str) -> Result<(), Error> {
    let reason = if path.is_empty() {
        Some("a path cannot be empty")
    } else if path.starts_with('/') || path.contains('\\') || path.contains(':') {
        Some("use a relative, `/`-separated path inside the repo")
    } else if path.chars().any(char::is_control) {
        Some("a path cannot hold control characters")
    } else if path
        .split('/')
        .any(|part| part.is_empty() || part == "." || part == "..")
    {
        Some("use a normalised path inside the repo (no `.`, `..` or empty parts)")
    } else if path == ".git" || path.starts_with(".git/") {
        Some("a path cannot be inside `.git`")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(Error::answer(key, path, reason)),
        None => Ok(()),
    }
}

fn check_python_version(version: &str) -> Result<(), Error> {
    let ok = version.strip_prefix("3.").is_some_and(|minor| {
        !minor.is_empty() && minor.len() <= 2 && minor.chars().all(|c| c.is_ascii_digit())
    });
    if ok {
        Ok(())
    } else {
        Err(Error::answer(
            "python.versions",
            version,
            "versions are written `3.N`",
        ))
    }
}
