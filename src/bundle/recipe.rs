//! What a kit holds for a set of answers, decided from the same context the bootstrap is
//! rendered from: how its pins are found (pip resolving what the bootstrap's own `pip
//! install` would, or the lock's tool exporting its lock), whether the project's wheel and
//! build requirements go in, and which tools the bootstrap fetches on top.

use crate::answers::{Answers, Backend, DepsSource};
use crate::render::DepsContext;

/// One word of the `pip download` that gathers what the bootstrap's `pip install` would
/// install.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Word {
    Text(String),
    /// The project itself with its extras (`.[dev]`): pip downloads nothing for a source
    /// directory, so the project's freshly built wheel stands in for it (`wheels/x.whl[dev]`).
    Project {
        extras: Vec<String>,
    },
}

/// How the kit's pins are found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pins {
    /// pip resolves these words, as the bootstrap's own `pip install` does (requirement
    /// files, the project, tox's and Hatch's test environments, an unlocked `Pipfile`), and
    /// the `--group`s after them.
    Pip {
        words: Vec<Word>,
        groups: Vec<String>,
    },
    /// The lock's own tool exports its pins into the kit's `requirements.txt`, which the
    /// offline bootstrap installs instead of running the tool: `uv sync` and Poetry do not
    /// read a wheelhouse.
    Export(Export),
    /// `Pipfile.lock`, turned into requirement files by the bootstrap's own reader, for the
    /// `default` section and these groups.
    PipfileLock { groups: Vec<String> },
    /// `deps.source = none`: only the tools.
    Nothing,
}

/// A lock tool's export command, run in pybootstrap's own venv.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Export {
    pub(crate) tool: &'static str,
    /// What pip installs into that venv to have the tool: the version the bootstrap pins,
    /// and for Poetry its export plugin (Poetry 2 no longer ships `export`).
    pub(crate) install: Vec<String>,
    /// Its arguments; the output file follows `output_flag`.
    pub(crate) args: Vec<String>,
    pub(crate) output_flag: &'static str,
}

/// Everything `bundle` fetches for one set of answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Recipe {
    pub(crate) pins: Pins,
    /// The bootstrap installs the project itself (editable): its wheel goes into the kit,
    /// and its build requirements, since an editable install builds it offline.
    pub(crate) project: bool,
    /// Requirements the bootstrap installs on top of the pins, or fetches to run: uv, a pip
    /// new enough for `--group`, the tasks' tools.
    pub(crate) extra: Vec<String>,
    /// The lock whose SHA-256 the manifest records, when the source has one.
    pub(crate) lock_file: Option<&'static str>,
}

/// The export plugin Poetry 2 needs for `poetry export`.
const POETRY_EXPORT_PLUGIN: &str = "poetry-plugin-export>=1.8";

impl Recipe {
    /// The recipe for the bootstrap rendered from `deps` and `answers`. `project_builds`:
    /// `pyproject.toml` has a `[build-system]` and is a package (what the bootstrap checks
    /// before installing a locked project); `pipfile_lock`: `Pipfile.lock` exists.
    pub(crate) fn new(
        deps: &DepsContext,
        answers: &Answers,
        project_builds: bool,
        pipfile_lock: bool,
    ) -> Self {
        let uv = answers.env.backend == Backend::Uv;
        let mut extra = Vec::new();
        if uv || deps.uv_lock {
            extra.push(format!("uv=={}", crate::render::UV_VERSION));
        }
        let (pins, project, lock_file) = match deps.source {
            DepsSource::UvLock | DepsSource::Poetry | DepsSource::Pdm => (
                Pins::Export(export(deps)),
                project_builds,
                Some(deps.lock_file),
            ),
            DepsSource::Pipenv if pipfile_lock => (
                Pins::PipfileLock {
                    groups: deps.groups.clone(),
                },
                false,
                Some("Pipfile.lock"),
            ),
            DepsSource::None => (Pins::Nothing, false, None),
            _ => {
                let words = pip_words(deps);
                let project = deps.editable
                    || words
                        .iter()
                        .any(|word| matches!(word, Word::Project { .. }));
                let mut words = words;
                if deps.editable {
                    words.push(Word::Project {
                        extras: deps.extras.clone(),
                    });
                }
                // The bootstrap's env pip is upgraded for `--group` (uv needs no upgrade).
                if !deps.groups.is_empty() && !uv {
                    extra.push("pip>=25.1".to_string());
                }
                (
                    Pins::Pip {
                        words,
                        groups: deps.groups.clone(),
                    },
                    project,
                    None,
                )
            }
        };
        extra.extend(answers.deps.tools.iter().map(ToString::to_string));
        Self {
            pins,
            project,
            extra,
            lock_file,
        }
    }
}

/// `deps.pip_args` as `pip download` words: the project's editable install becomes the
/// project; any other option keeps its flag.
fn pip_words(deps: &DepsContext) -> Vec<Word> {
    let mut words = Vec::new();
    for arg in &deps.pip_args {
        match arg.option {
            "--editable" if arg.value == deps.project_requirement => words.push(Word::Project {
                extras: deps.extras.clone(),
            }),
            // pip download has no `--editable`: another local project is downloaded as
            // what it is, a requirement.
            "" | "--editable" => words.push(Word::Text(arg.value.clone())),
            option => {
                words.push(Word::Text(option.to_string()));
                words.push(Word::Text(arg.value.clone()));
            }
        }
    }
    words
}

/// The export that writes what the bootstrap's `uv sync`, `poetry install` or `pdm sync`
/// installs, without the project itself (installed editable from its directory).
fn export(deps: &DepsContext) -> Export {
    let mut args: Vec<String> = Vec::new();
    let mut push = |flag: &str, value: &str| {
        args.push(flag.to_string());
        args.push(value.to_string());
    };
    let tool = deps.tool;
    let (install, output_flag) = match deps.source {
        DepsSource::UvLock => {
            for extra in &deps.extras {
                push("--extra", extra);
            }
            for group in &deps.groups {
                push("--group", group);
            }
            args.splice(
                0..0,
                [
                    "export",
                    "--frozen",
                    "--no-hashes",
                    "--no-header",
                    "--no-emit-project",
                    "--format",
                    "requirements-txt",
                ]
                .map(String::from),
            );
            (vec![format!("uv=={}", deps.tool_version)], "--output-file")
        }
        DepsSource::Poetry => {
            for group in &deps.groups {
                push("--with", group);
            }
            for extra in &deps.extras {
                push("--extras", extra);
            }
            args.splice(
                0..0,
                ["export", "--format", "requirements.txt", "--without-hashes"].map(String::from),
            );
            (
                vec![
                    format!("poetry=={}", deps.tool_version),
                    POETRY_EXPORT_PLUGIN.to_string(),
                ],
                "--output",
            )
        }
        _ => {
            for group in deps.groups.iter().chain(&deps.extras) {
                push("-G", group);
            }
            args.splice(
                0..0,
                ["export", "--format", "requirements", "--no-hashes"].map(String::from),
            );
            let mut install = vec![format!("pdm=={}", deps.tool_version)];
            install.extend(deps.tool_constraints.iter().map(ToString::to_string));
            (install, "--output")
        }
    };
    Export {
        tool,
        install,
        args,
        output_flag,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{self, DepsSource};
    use crate::render::Context;

    fn answers_with(source: DepsSource, sets: &[&str]) -> Answers {
        let mut answers = answers::builtin("demo");
        answers.deps.source = source;
        for set in sets {
            let assignment = answers::parse_set(set).expect("valid --set");
            answers = answers::with_value(&answers, &assignment.key, &assignment.value)
                .expect("set applies");
        }
        answers
    }

    fn recipe(answers: &Answers, builds: bool, pipfile_lock: bool) -> Recipe {
        let context = Context::new(answers).expect("context");
        Recipe::new(&context.deps, answers, builds, pipfile_lock)
    }

    #[test]
    fn requirement_files_are_resolved_by_pip_with_the_project_in_place() {
        let answers = answers_with(
            DepsSource::Requirements,
            &["deps.files=requirements-dev.txt", "deps.editable=true"],
        );
        let recipe = recipe(&answers, true, false);
        assert_eq!(
            recipe.pins,
            Pins::Pip {
                words: vec![
                    Word::Text("--requirement".into()),
                    Word::Text("requirements-dev.txt".into()),
                    Word::Project { extras: vec![] },
                ],
                groups: vec![],
            }
        );
        assert!(recipe.project);
        assert_eq!(recipe.lock_file, None);
    }

    #[test]
    fn a_uv_lock_is_exported_without_the_project_and_uv_is_fetched() {
        let answers = answers_with(DepsSource::UvLock, &["deps.groups=dev", "deps.extras=cli"]);
        let recipe = recipe(&answers, true, false);
        let Pins::Export(export) = &recipe.pins else {
            panic!("an export: {recipe:?}");
        };
        assert_eq!(export.tool, "uv");
        assert_eq!(
            export.args.join(" "),
            "export --frozen --no-hashes --no-header --no-emit-project --format requirements-txt --extra cli --group dev"
        );
        assert!(recipe.project);
        assert_eq!(recipe.lock_file, Some("uv.lock"));
        assert!(recipe.extra.iter().any(|extra| extra.starts_with("uv==")));
    }

    #[test]
    fn poetry_gets_its_export_plugin_and_pdm_its_constraints() {
        let poetry = recipe(
            &answers_with(DepsSource::Poetry, &["deps.groups=test"]),
            false,
            false,
        );
        let Pins::Export(export) = &poetry.pins else {
            panic!("an export");
        };
        assert!(
            export
                .install
                .iter()
                .any(|req| req.starts_with("poetry-plugin-export"))
        );
        assert!(
            export
                .args
                .ends_with(&["--with".to_string(), "test".to_string()])
        );
        assert!(
            !poetry.project,
            "a project that does not build is not installed"
        );
        let pdm = recipe(&answers_with(DepsSource::Pdm, &[]), true, false);
        let Pins::Export(export) = &pdm.pins else {
            panic!("an export");
        };
        assert!(export.install.iter().any(|req| req == "hishel<2"));
    }

    #[test]
    fn groups_installed_by_pip_bring_a_new_pip_and_a_pipfile_lock_is_read_as_is() {
        let answers = answers_with(DepsSource::Pyproject, &["deps.groups=dev"]);
        let recipe_pyproject = recipe(&answers, true, false);
        assert!(recipe_pyproject.extra.contains(&"pip>=25.1".to_string()));
        let answers = answers_with(DepsSource::Pipenv, &[]);
        assert_eq!(
            recipe(&answers, false, true).pins,
            Pins::PipfileLock { groups: vec![] }
        );
        assert_eq!(
            recipe(&answers_with(DepsSource::None, &[]), false, false).pins,
            Pins::Nothing
        );
    }
}
