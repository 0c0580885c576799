//! The typed context every template renders from: the answers (valid by their types), plus
//! the few values derived from them (so templates need no logic beyond `if` and `for`).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::answers::{
    self, ActionName, Answers, Backend, Choice, DepsSource, Provider, PythonMinor, PythonRequires,
    RunnerLabel,
};

use super::Error;
use crate::ci::{CiFile, Own};
use crate::project::Project;
use crate::project::requirements::PipArg;

/// The file every stamp lives in, inside the env dir, so removing the env drops it too.
pub const STAMP_FILE: &str = ".pybootstrap-stamp";

/// The uv a bootstrap fetches into its own tools venv when none is on `PATH`: pinned, so
/// every contributor resolves `uv.lock` with the same uv (the one CI tests with).
pub(crate) const UV_VERSION: &str = "0.13.9";

/// The Poetry and PDM a bootstrap fetches the same way for a Poetry or PDM project: pinned,
/// so every contributor installs the lock with the tool version CI uses.
const POETRY_VERSION: &str = "2.5.1";
const PDM_VERSION: &str = "2.29.4";
/// Installed beside the pinned PDM: hishel 2.0 dropped an API PDM 2.29.4 calls, and PDM
/// only asks for `hishel>=1.4`.
const PDM_CONSTRAINTS: &[&str] = &["hishel<2"];

/// pipenv's lock, read by the bootstrap when it runs.
const PIPFILE_LOCK: &str = "Pipfile.lock";

/// The Python that turns `Pipfile.lock` into pip's requirement files, as `pipenv sync`
/// does: run by the env's own interpreter, so it uses only the standard library of the
/// oldest Python a range may allow.
const PIPFILE_LOCK_READER: &str = include_str!("pipfile_lock.py");

/// The action refs the built-in GitHub workflow needs.
pub(super) const REQUIRED_ACTIONS: &[&str] = &["actions/checkout", "actions/setup-python"];

#[derive(Debug, Clone, Serialize)]
pub struct Context {
    /// Every answer as it is, for templates that need one with no derived value.
    pub answers: Answers,
    pub project: ProjectContext,
    pub python: PythonContext,
    pub env: EnvContext,
    pub deps: DepsContext,
    pub tasks: TasksContext,
    pub ci: CiContext,
    pub make: MakeContext,
    pub scripts: ScriptsContext,
    pub docs: DocsContext,
    pub network: NetworkContext,
    /// The services the tests need (empty when none).
    pub services: ServicesContext,
}

/// `services.*`: the services the tests need, as each kind of job and a contributor's
/// machine reach them. Every value was checked when it was read; templates escape it for
/// the file it lands in.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ServicesContext {
    /// Whether pybootstrap's CI jobs on a runner that run the tests start them.
    pub ci: bool,
    /// Whether its jobs in a container that run the tests start them (GitHub's PEP 668
    /// job, GitLab's jobs): not when the settings reach them at `localhost`.
    pub container: bool,
    pub list: Vec<ServiceContext>,
    /// The variables as a job beside the services reaches them (GitLab's jobs, a GitHub
    /// job in a container): a service's host is its name.
    pub beside: Vec<VariableContext>,
    /// The variables as a job on the runner or a contributor's machine reaches them, the
    /// services publishing their ports: `localhost`.
    pub runner: Vec<VariableContext>,
    /// Where they were read, in Markdown words.
    pub source_md: String,
    /// Variables not copied (secrets, values set at run time), and those the settings read
    /// that nothing gives a value.
    pub left_out: Vec<String>,
    pub unknown: Vec<String>,
}

/// One service container.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceContext {
    pub name: String,
    /// `PostgreSQL`, else the image's repository.
    pub label: String,
    pub image: String,
    pub env: Vec<VariableContext>,
    /// `HOST:CONTAINER`.
    pub ports: Vec<String>,
    pub options: String,
    /// The `docker run` command that starts it on a contributor's machine, shell-quoted.
    pub docker_run: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct VariableContext {
    pub name: String,
    pub value: String,
    /// `export NAME='value'`, shell-quoted.
    pub export: String,
}

impl VariableContext {
    fn new(variable: &crate::project::services::Variable) -> Result<Self, Error> {
        let quoted = super::filters::sh(&variable.value).map_err(services_error)?;
        Ok(Self {
            name: variable.name.clone(),
            value: variable.value.clone(),
            export: format!("export {}={quoted}", variable.name),
        })
    }
}

/// A value the shell filter refuses; the readers' checks leave none.
fn services_error(reason: String) -> Error {
    Error::Render {
        id: "services".to_string(),
        chain: reason,
    }
}

impl ServicesContext {
    /// The context of `needs`; empty for `None`.
    pub(crate) fn new(needs: Option<&crate::project::services::Needs>) -> Result<Self, Error> {
        use crate::project::services::{Variable, on_runner};
        let Some(needs) = needs else {
            return Ok(Self::default());
        };
        let variables = |list: &[Variable]| -> Result<Vec<VariableContext>, Error> {
            list.iter().map(VariableContext::new).collect()
        };
        let runner: Vec<Variable> = needs
            .variables
            .iter()
            .map(|variable| Variable {
                name: variable.name.clone(),
                value: on_runner(variable, &needs.services),
            })
            .collect();
        let sh = |text: &str| super::filters::sh(text).map_err(services_error);
        let list = needs
            .services
            .iter()
            .map(|service| {
                let ports: Vec<String> = service
                    .published()
                    .iter()
                    .map(|(host, container)| format!("{host}:{container}"))
                    .collect();
                let mut run = format!("docker run -d --rm --name {}", sh(&service.name)?);
                for port in &ports {
                    run.push_str(&format!(" -p {port}"));
                }
                for variable in &service.env {
                    run.push_str(&format!(
                        " -e {}",
                        sh(&format!("{}={}", variable.name, variable.value))?
                    ));
                }
                run.push_str(&format!(" {}", sh(&service.image)?));
                Ok(ServiceContext {
                    name: service.name.clone(),
                    label: service.label(),
                    image: service.image.clone(),
                    env: variables(&service.env)?,
                    ports,
                    options: service.options.clone(),
                    docker_run: run,
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Self {
            ci: needs.in_ci(),
            container: needs.in_containers(),
            list,
            beside: variables(&needs.variables)?,
            runner: variables(&runner)?,
            source_md: needs
                .source
                .words(&|name| super::filters::markdown_code(name).unwrap_or_default()),
            left_out: needs.left_out.clone(),
            unknown: needs.unknown.clone(),
        })
    }
}

/// `network.*`: the team's index and CA bundle, as the scripts and CI hand them to tools.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkContext {
    /// Any network key set; with none, no generated file mentions the network.
    pub set: bool,
    /// `network.index`, empty for each tool's default.
    pub index: String,
    pub extra_indexes: Vec<String>,
    /// The extra indexes space-separated, as `PIP_EXTRA_INDEX_URL` and `UV_INDEX` take them.
    pub extra_indexes_joined: String,
    /// `network.ca_bundle` as written, empty for none.
    pub ca_bundle: String,
    /// Whether it is absolute, else relative to the project's root.
    pub ca_absolute: bool,
}

impl NetworkContext {
    fn new(network: &crate::answers::Network) -> Self {
        let ca_bundle = network.ca_bundle.path().unwrap_or_default().to_string();
        let ca_absolute = network.ca_bundle.is_absolute();
        Self {
            set: network.is_set(),
            index: network.index.url().unwrap_or_default().to_string(),
            extra_indexes: texts(&network.extra_indexes),
            extra_indexes_joined: texts(&network.extra_indexes).join(" "),
            ca_bundle,
            ca_absolute,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectContext {
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PythonContext {
    /// The CI matrix, oldest first, as in the answers.
    pub versions: Vec<String>,
    /// `python.requires`: the range the bootstrap accepts.
    pub requires: String,
    /// The range as a Python expression over `v = tuple(sys.version_info[:3])`, which the
    /// bootstrap hands each candidate interpreter.
    pub range_check: String,
    /// The `3.N` inside the range, newest first.
    pub accepted_newest_first: Vec<String>,
    /// `python.preferred` when there is one: the `3.N` the bootstrap tries first.
    pub preferred: Option<String>,
    /// The other `3.N` inside the range, in the order the bootstrap tries them after
    /// `.python-version`'s: the nearest to `python.preferred` first, newer before older
    /// (an app's old pins build on the next Python more often than on the newest); newest
    /// first without a preference.
    pub fallbacks: Vec<String>,
    /// The newest version of the CI matrix.
    pub newest: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnvContext {
    pub backend: Backend,
    pub uv: bool,
    /// The uv the bootstrap fetches when none is on `PATH`.
    pub uv_version: &'static str,
    pub virtualenv: bool,
    /// Relative, `/`-separated.
    pub dir: String,
    /// `<dir>/.pybootstrap-stamp`.
    pub stamp: String,
    /// Whether the env has pip in it (uv creates envs without pip).
    pub has_pip: bool,
    /// The POSIX shell command that activates the env (`. '.venv'/bin/activate`).
    pub activate_sh: String,
    /// The env's interpreter as a PowerShell command (`.venv\Scripts\python.exe`). The docs
    /// call it instead of `Activate.ps1`, which the default execution policy of client
    /// editions of Windows refuses to run.
    pub python_ps: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DepsContext {
    pub source: DepsSource,
    pub requirements: bool,
    pub pyproject: bool,
    pub uv_lock: bool,
    /// `uv sync --all-packages`: the project is a virtual uv workspace's root, whose own
    /// sync installs no member without it. Read from the repository at render, as the
    /// workspace's lock is: a member added later is installed without a `regen`.
    pub all_packages: bool,
    pub poetry: bool,
    pub pdm: bool,
    /// `Pipfile.lock`, installed by pip: the script turns the lock into requirement files
    /// with `pipfile_lock_reader` when it runs, so a new lock needs no `regen`.
    pub pipenv: bool,
    pub pipfile_lock_reader: &'static str,
    /// The tool that installs from the project's lock (`uv`, `poetry`, `pdm`), fetched when
    /// it is not on `PATH`; `""` when pip (or the backend's uv) installs.
    pub tool: &'static str,
    /// Its pinned version, and the lock file it installs from.
    pub tool_version: &'static str,
    pub lock_file: &'static str,
    /// Requirements installed beside the pinned tool, where its own bounds let a broken
    /// dependency release in.
    pub tool_constraints: &'static [&'static str],
    /// The project itself is installed editable, with its extras.
    pub editable: bool,
    pub files: Vec<String>,
    pub extras: Vec<String>,
    /// PEP 735 dependency groups.
    pub groups: Vec<String>,
    /// The pip requirement that installs the project with its extras: `.[dev,test]` or `.`.
    pub project_requirement: String,
    /// The files whose content decides what gets installed: the stamp and the CI caches
    /// are keyed on them.
    pub inputs: Vec<String>,
    /// Files that decide what gets installed when they exist (`setup.py`, `setup.cfg`).
    pub optional_inputs: Vec<String>,
    /// At most two of `inputs`: GitLab's `cache:key:files` takes no more.
    pub cache_key_files: Vec<String>,
    /// What `pip install` gets for `requirements`, `tox` and `hatch`: `--requirement FILE`,
    /// requirements, `--editable .[extras]` (the groups follow apart).
    pub(crate) pip_args: Vec<PipArg>,
    /// The requirement files pip reads (with those they pull in): the bootstrap upgrades
    /// the environment's pip before installing when one of them holds hashes.
    pub requirement_files: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TasksContext {
    pub test: String,
    /// `""` when the project has no lint task, so templates test it with `{% if %}`.
    pub lint: String,
    /// `""` when the project has no format task.
    pub fmt: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CiContext {
    /// `github`, `gitlab`, ...: whether each provider is chosen (`ci.github` in templates).
    #[serde(flatten)]
    pub providers: BTreeMap<String, bool>,
    pub os: Vec<String>,
    /// Whether the matrix has Windows runners, and runners of any other OS.
    pub windows: bool,
    pub unix: bool,
    pub pep668_job: bool,
    /// The whole pipeline (`true`), or only what the repo's own CI lacks.
    pub full: bool,
    /// Each provider's own variables (`gitlab_stage`, ...), built by its module.
    #[serde(flatten)]
    pub(crate) provider_vars: serde_json::Map<String, serde_json::Value>,
    /// The files of the chosen providers, where they go in this repository.
    #[serde(skip)]
    pub(crate) files: Vec<CiFile>,
    /// The project's directory from the repository root (`backend`), where a monorepo's
    /// pipeline runs its steps; `""` at the root.
    pub dir: String,
    /// The prefix that makes a project path a root path (`backend/`); `""` at the root.
    pub dir_prefix: String,
    /// The shell command that enters the project's directory from the root, quoted.
    pub cd: String,
    /// Put before job names, so that each project of a monorepo has its own (`backend-`).
    pub job_prefix: String,
    /// The root paths whose changes run the pipeline of a project in a subdirectory: its
    /// directory and the pipeline file itself.
    pub paths: Vec<String>,
    /// `deps.inputs` and `deps.cache_key_files` as paths from the repository root, where
    /// CI caches are keyed (`backend/requirements.txt`; a workspace's `uv.lock` from
    /// `backend/../uv.lock` is `uv.lock`).
    pub inputs: Vec<String>,
    pub cache_key_files: Vec<String>,
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
    /// The makefile the block goes into: the one `make` reads in this repo.
    pub file: String,
    /// The name each of pybootstrap's targets has in this repo's `Makefile`.
    pub targets: MakeTargets,
}

/// pybootstrap's `Makefile` targets by role, each under the name it takes in this repo
/// (`test`, or `venv-test` where the user's `Makefile` has a `test` of its own).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MakeTargets {
    pub bootstrap: String,
    pub test: String,
    pub lint: String,
    pub fmt: String,
    pub clean: String,
    pub doctor: String,
}

impl MakeTargets {
    /// The roles, in the order the `Makefile` block defines them.
    pub const ROLES: [&'static str; 6] = ["bootstrap", "test", "lint", "fmt", "clean", "doctor"];

    /// Every target under its role's own name.
    pub fn plain() -> Self {
        Self::named(ToString::to_string)
    }

    /// The name each target takes beside the user's `targets`: the user's target wins, and
    /// pybootstrap's variant moves to `venv-<role>` (or `pybootstrap-<role>` when that is
    /// taken too), so make never sees a second recipe.
    pub(crate) fn around(user: &BTreeSet<String>) -> Self {
        Self::named(|role| {
            [
                role.to_string(),
                format!("venv-{role}"),
                format!("pybootstrap-{role}"),
            ]
            .into_iter()
            .find(|name| !user.contains(name))
            .unwrap_or_else(|| format!("pybootstrap-venv-{role}"))
        })
    }

    /// `(user's target, pybootstrap's name for it)` for every role the user's `Makefile` owns.
    pub(crate) fn renamed(&self) -> Vec<(&'static str, &str)> {
        self.pairs()
            .into_iter()
            .filter(|(role, name)| role != name)
            .collect()
    }

    /// Every target under the name `name` gives its role.
    pub fn named(mut name: impl FnMut(&str) -> String) -> Self {
        Self {
            bootstrap: name("bootstrap"),
            test: name("test"),
            lint: name("lint"),
            fmt: name("fmt"),
            clean: name("clean"),
            doctor: name("doctor"),
        }
    }

    /// (role, name) for every target, in `ROLES` order.
    pub fn pairs(&self) -> [(&'static str, &str); 6] {
        let names = [
            &self.bootstrap,
            &self.test,
            &self.lint,
            &self.fmt,
            &self.clean,
            &self.doctor,
        ];
        let mut pairs = [("", ""); 6];
        for (index, role) in Self::ROLES.into_iter().enumerate() {
            pairs[index] = (role, names[index].as_str());
        }
        pairs
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DocsContext {
    pub path: String,
}

/// Where the bootstrap scripts live (`scripts.dir`).
#[derive(Debug, Clone, Serialize)]
pub struct ScriptsContext {
    /// `scripts/bootstrap.sh`.
    pub sh: String,
    /// `scripts/bootstrap.ps1`.
    pub ps1: String,
    /// `scripts\bootstrap.ps1`, as a Windows shell takes it.
    pub ps1_windows: String,
    /// `scripts/bootstrap.cmd`.
    pub cmd: String,
    /// `scripts\bootstrap.cmd`, what Windows users run.
    pub cmd_windows: String,
    /// From the scripts' directory back to the repository root: `..`, `../..`.
    pub to_root: String,
}

impl ScriptsContext {
    fn new(dir: &str) -> Self {
        let depth = dir.split('/').filter(|part| !part.is_empty()).count();
        let windows = dir.replace('/', "\\");
        Self {
            sh: format!("{dir}/bootstrap.sh"),
            ps1: format!("{dir}/bootstrap.ps1"),
            ps1_windows: format!("{windows}\\bootstrap.ps1"),
            cmd: format!("{dir}/bootstrap.cmd"),
            cmd_windows: format!("{windows}\\bootstrap.cmd"),
            to_root: vec![".."; depth].join("/"),
        }
    }
}

/// Each item as the text a template shows.
fn texts<T: ToString>(items: &[T]) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

impl Context {
    /// Builds the context: the answers are valid by their types, so this is a plain
    /// mapping plus the values derived from them.
    pub fn new(answers: &Answers) -> Result<Self, Error> {
        let versions: Vec<String> = answers
            .python
            .versions
            .iter()
            .map(ToString::to_string)
            .collect();
        let files = texts(&answers.deps.files);
        let extras = texts(&answers.deps.extras);
        let groups = texts(&answers.deps.groups);
        let project_requirement = if extras.is_empty() {
            ".".to_string()
        } else {
            format!(".[{}]", extras.join(","))
        };
        let inputs = match answers.deps.source {
            // Groups live in pyproject.toml, so it decides what gets installed too.
            DepsSource::Requirements if !groups.is_empty() => files
                .iter()
                .cloned()
                .chain(["pyproject.toml".to_string()])
                .collect(),
            DepsSource::Requirements => files.clone(),
            // Poetry's and PDM's lock may not exist yet: it is an optional input.
            DepsSource::Pyproject | DepsSource::Poetry | DepsSource::Pdm => {
                vec!["pyproject.toml".to_string()]
            }
            DepsSource::UvLock => vec!["pyproject.toml".to_string(), "uv.lock".to_string()],
            DepsSource::Pipenv => vec!["Pipfile".to_string()],
            DepsSource::Setuptools | DepsSource::Tox | DepsSource::Hatch | DepsSource::None => {
                Vec::new()
            }
        };
        let (tool, tool_version, lock_file) = lock_tool(answers.deps.source);
        // setup.py and setup.cfg decide what gets installed when they exist; either may be
        // absent, so the stamp reads the ones that are there. A Poetry or PDM project
        // without its lock yet gets one from the tool's first install.
        let mut optional_inputs = match answers.deps.source {
            DepsSource::Setuptools => vec!["setup.py".to_string(), "setup.cfg".to_string()],
            DepsSource::Poetry | DepsSource::Pdm => vec![lock_file.to_string()],
            // Installed from the lock when there is one, else from the Pipfile's ranges.
            DepsSource::Pipenv => vec![PIPFILE_LOCK.to_string()],
            _ => Vec::new(),
        };
        let mut pip_args: Vec<PipArg> = Vec::new();
        let mut requirement_files: Vec<String> = Vec::new();
        if answers.deps.source == DepsSource::Requirements {
            requirement_files.clone_from(&files);
            for file in &files {
                pip_args.push(PipArg::option("--requirement", file.clone()));
            }
        }
        let beside = matches!(
            answers.deps.source,
            DepsSource::Requirements | DepsSource::Tox | DepsSource::Hatch
        );
        if beside && answers.deps.editable {
            pip_args.push(PipArg::option("--editable", project_requirement.clone()));
            for file in ["pyproject.toml", "setup.py", "setup.cfg"] {
                if !inputs.iter().any(|input| input == file) {
                    optional_inputs.push(file.to_string());
                }
            }
        }

        let actions: BTreeMap<String, ActionPin> = answers
            .ci
            .actions
            .iter()
            .map(|(name, pin)| (name.to_string(), ActionPin::new(name, pin)))
            .collect();
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
        let windows = answers.ci.os.iter().any(RunnerLabel::is_windows);
        let unix = answers.ci.os.iter().any(|os| !os.is_windows());

        let accepted_newest_first: Vec<String> = answers
            .python
            .requires
            .minors()
            .iter()
            .rev()
            .map(|minor| format!("3.{minor}"))
            .collect();
        let preferred = answers
            .python
            .preferred
            .minor()
            .map(crate::answers::PythonMinor::minor);
        let fallbacks = fallback_order(&answers.python.requires.minors(), preferred)
            .into_iter()
            .map(|minor| format!("3.{minor}"))
            .collect();
        let dir = answers.env.dir.to_string();
        let mut context = Self {
            answers: answers.clone(),
            project: ProjectContext {
                name: answers.project.name.to_string(),
            },
            python: PythonContext {
                newest: versions.last().cloned().unwrap_or_default(),
                requires: answers.python.requires.to_string(),
                range_check: answers.python.requires.python_check(),
                accepted_newest_first,
                preferred: preferred.map(|minor| format!("3.{minor}")),
                fallbacks,
                versions,
            },
            env: EnvContext {
                backend: answers.env.backend,
                uv: answers.env.backend == Backend::Uv,
                uv_version: UV_VERSION,
                virtualenv: answers.env.backend == Backend::Virtualenv,
                stamp: format!("{dir}/{STAMP_FILE}"),
                has_pip: answers.env.backend != Backend::Uv,
                activate_sh: format!(". {}/bin/activate", quote(super::filters::sh, &dir)?),
                python_ps: windows_python(&dir)?,
                dir,
            },
            deps: DepsContext {
                source: answers.deps.source,
                requirements: answers.deps.source == DepsSource::Requirements,
                pyproject: answers.deps.source == DepsSource::Pyproject,
                editable: matches!(
                    answers.deps.source,
                    DepsSource::Pyproject | DepsSource::Setuptools
                ),
                uv_lock: answers.deps.source == DepsSource::UvLock,
                all_packages: false,
                poetry: answers.deps.source == DepsSource::Poetry,
                pdm: answers.deps.source == DepsSource::Pdm,
                pipenv: answers.deps.source == DepsSource::Pipenv,
                pipfile_lock_reader: PIPFILE_LOCK_READER,
                tool,
                tool_version,
                lock_file,
                tool_constraints: if answers.deps.source == DepsSource::Pdm {
                    PDM_CONSTRAINTS
                } else {
                    &[]
                },
                files,
                extras,
                groups,
                project_requirement,
                cache_key_files: inputs
                    .iter()
                    .chain(&optional_inputs)
                    .take(2)
                    .cloned()
                    .collect(),
                optional_inputs,
                inputs,
                pip_args,
                requirement_files,
            },
            tasks: TasksContext {
                test: answers.tasks.test.to_string(),
                lint: answers.tasks.lint.to_string(),
                fmt: answers.tasks.fmt.to_string(),
            },
            ci: CiContext {
                providers: Provider::ALL
                    .iter()
                    .map(|provider| (provider.name(), answers.ci.providers.contains(provider)))
                    .collect(),
                os: texts(&answers.ci.os),
                windows,
                unix,
                pep668_job: answers.ci.pep668_job,
                full: true,
                dir: String::new(),
                dir_prefix: String::new(),
                cd: String::new(),
                job_prefix: String::new(),
                paths: Vec::new(),
                inputs: Vec::new(),
                cache_key_files: Vec::new(),
                provider_vars: serde_json::Map::new(),
                files: Vec::new(),
                pep668_image: pep668_image(&answers.python.requires).to_string(),
                actions,
                checkout,
                setup_python,
            },
            make: MakeContext {
                enabled: answers.make.enabled,
                file: "Makefile".to_string(),
                targets: MakeTargets::plain(),
            },
            scripts: ScriptsContext::new(&answers.scripts.dir),
            docs: DocsContext {
                path: answers.docs.path.to_string(),
            },
            network: NetworkContext::new(&answers.network),
            services: ServicesContext::default(),
        };
        context.ci.fit(&Own::default());
        Ok(context)
    }
}

impl DepsContext {
    /// Adds what `project` declares for the answers: the files requirement files pull in
    /// (stamp inputs, so editing one reinstalls), and for `tox` and `hatch` the test
    /// environment's requirements, written into the scripts (`regen --check` reports a
    /// script behind its tox or Hatch file).
    pub(crate) fn read_repo(&mut self, project: &Project, answers: &Answers) -> Result<(), Error> {
        use crate::project::requirements;
        let declared = |reason: String, hint: &str| Error::Declared {
            reason,
            hint: hint.to_string(),
        };
        let mut top: Vec<String> = Vec::new();
        match answers.deps.source {
            DepsSource::Requirements => top.clone_from(&self.files),
            DepsSource::Tox => {
                let hint = "fix tox's configuration, or change `deps.source` in `pybootstrap.toml`";
                let (file, env) = project
                    .tox
                    .clone()
                    .map_err(|reason| declared(reason, hint))?
                    .ok_or_else(|| {
                        declared(
                            "`deps.source` is `tox`, and the repository has no `tox.ini`, `tox.toml` or `[tool.tox]`".into(),
                            hint,
                        )
                    })?;
                if let Some(missing) = env
                    .files
                    .iter()
                    .find(|path| matches!(project.files.text(path), Ok(None)))
                {
                    return Err(declared(
                        format!(
                            "`{}` installs `{missing}` with -r/-c, and `{missing}` does not exist",
                            file.path()
                        ),
                        "create that file, or remove the line that names it",
                    ));
                }
                self.inputs.push(file.path().to_string());
                self.pip_args.extend(env.args);
                top = env.files;
            }
            DepsSource::Pipenv => {
                let pipfile = project
                    .files
                    .text("Pipfile")
                    .ok()
                    .flatten()
                    .ok_or_else(|| {
                        declared(
                            "`deps.source` is `pipenv`, and the repository has no `Pipfile`".into(),
                            "create it with `pipenv install`, or change `deps.source` in `pybootstrap.toml`",
                        )
                    })?;
                self.pip_args =
                    crate::project::pipenv::pip_args(pipfile, &self.groups).map_err(|reason| {
                        declared(
                            reason,
                            "fix the `Pipfile`, or change `deps.source` in `pybootstrap.toml`",
                        )
                    })?;
            }
            DepsSource::Hatch => {
                let hint =
                    "fix the Hatch configuration, or change `deps.source` in `pybootstrap.toml`";
                let (file, env) = project
                    .hatch
                    .clone()
                    .map_err(|reason| declared(reason, hint))?
                    .ok_or_else(|| {
                        declared(
                            "`deps.source` is `hatch`, and no `[tool.hatch.envs]` declares a `hatch-test`, `test`, `tests` or `default` environment".into(),
                            hint,
                        )
                    })?;
                self.inputs.push(file.to_string());
                self.optional_inputs.retain(|input| input != file);
                self.pip_args
                    .extend(env.requirements.into_iter().map(PipArg::requirement));
            }
            DepsSource::UvLock => {
                self.all_packages = project.uv_members.is_some();
                if let Some(lock) = &project.workspace_lock {
                    for input in &mut self.inputs {
                        if input == "uv.lock" {
                            input.clone_from(lock);
                        }
                    }
                }
            }
            _ => {}
        }
        let read = |path: &str| project.files.owned_text(path);
        let nested = requirements::nested(&top, &read).map_err(|error| {
            declared(
                error.to_string(),
                "create that file, or remove the line that pulls it in",
            )
        })?;
        self.requirement_files = top.iter().chain(&nested).cloned().collect();
        for file in top.into_iter().chain(nested) {
            if !self.inputs.contains(&file) {
                self.optional_inputs.retain(|input| *input != file);
                self.inputs.push(file);
            }
        }
        self.cache_key_files = self
            .inputs
            .iter()
            .chain(&self.optional_inputs)
            .take(2)
            .cloned()
            .collect();
        Ok(())
    }
}

impl CiContext {
    /// Runs the pipeline in the project's directory when it is below the repository root,
    /// with its files at the root (`place.ci_path`), keyed on `deps`' files from there.
    pub(crate) fn place(&mut self, place: &crate::project::place::Place, deps: &DepsContext) {
        self.inputs = deps
            .inputs
            .iter()
            .map(|file| place.root_path(file))
            .collect();
        self.cache_key_files = deps
            .cache_key_files
            .iter()
            .map(|file| place.root_path(file))
            .collect();
        if !place.is_below() {
            return;
        }
        self.dir.clone_from(&place.dir);
        self.dir_prefix = format!("{}/", place.dir);
        // A directory name no shell quoting can carry is one no script could enter either.
        self.cd = super::filters::sh(&place.dir)
            .map(|quoted| format!("cd {quoted}"))
            .unwrap_or_default();
        self.job_prefix = format!("{}-", place.slug());
        self.paths = std::iter::once(format!("{}/**", place.dir))
            .chain(self.files.iter().filter(|file| !file.block).map(|file| {
                let path = place.ci_path(file.path);
                path.trim_start_matches("../").to_string()
            }))
            .collect();
    }

    /// Whether the answers choose the provider named `name`.
    pub(crate) fn uses(&self, name: &str) -> bool {
        self.providers.get(name).copied().unwrap_or(false)
    }

    /// Takes each provider's variables for the templates, and the files of the chosen
    /// ones where they go in this repo (`own`: what each made of its pipelines).
    pub(crate) fn fit(&mut self, own: &Own) {
        self.provider_vars.clear();
        self.files.clear();
        for (name, facts) in own.iter() {
            self.provider_vars.extend(facts.fit.context.clone());
            if self.uses(name) {
                self.files.extend(facts.fit.files.iter().cloned());
            }
        }
    }
}

impl ActionPin {
    fn new(name: &ActionName, pin: &answers::ActionPin) -> Self {
        Self {
            name: name.to_string(),
            sha: pin.sha().to_string(),
            version: pin.version().unwrap_or_default().to_string(),
        }
    }
}

/// Images whose `python3` carries the PEP 668 marker, by that Python's version; the first
/// whose version is inside `python.requires` is used (the matrix does not matter: the job
/// proves the bootstrap on a distro's own Python, whatever CI tests).
const PEP668_IMAGES: &[(&str, &str)] = &[
    ("3.11", "debian:bookworm"),
    ("3.12", "ubuntu:24.04"),
    ("3.13", "debian:trixie"),
];

pub(crate) fn pep668_image(requires: &PythonRequires) -> &'static str {
    PEP668_IMAGES
        .iter()
        .find(|(version, _)| {
            version
                .parse::<PythonMinor>()
                .is_ok_and(|minor| requires.allows(minor))
        })
        .map_or("", |(_, image)| image)
}

/// The tool that installs a lock-based source, its pin, and its lock file.
fn lock_tool(source: DepsSource) -> (&'static str, &'static str, &'static str) {
    match source {
        DepsSource::UvLock => ("uv", UV_VERSION, "uv.lock"),
        DepsSource::Poetry => ("poetry", POETRY_VERSION, "poetry.lock"),
        DepsSource::Pdm => ("pdm", PDM_VERSION, "pdm.lock"),
        DepsSource::Requirements
        | DepsSource::Pyproject
        | DepsSource::Setuptools
        | DepsSource::Pipenv
        | DepsSource::Tox
        | DepsSource::Hatch
        | DepsSource::None => ("", "", ""),
    }
}

/// `<dir>\Scripts\python.exe`, bare when PowerShell reads it as a path as it is, else
/// quoted and run with `&`.
fn windows_python(dir: &str) -> Result<String, Error> {
    let path = format!("{}\\Scripts\\python.exe", dir.replace('/', "\\"));
    let bare = dir
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/'));
    if bare {
        Ok(path)
    } else {
        Ok(format!("& {}", quote(super::filters::powershell, &path)?))
    }
}

fn quote(escape: fn(&str) -> Result<String, String>, value: &str) -> Result<String, Error> {
    escape(value).map_err(|reason| Error::answer("env.dir", value, &reason))
}

/// The minors of `accepted` the bootstrap tries after the preferred one: with a
/// preference, the newer ones nearest first, then the older ones nearest first; without
/// one, newest first.
fn fallback_order(accepted: &[u32], preferred: Option<u32>) -> Vec<u32> {
    let mut newest_first: Vec<u32> = accepted.to_vec();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    let Some(preferred) = preferred else {
        return newest_first;
    };
    let newer = newest_first
        .iter()
        .rev()
        .filter(|minor| **minor > preferred);
    let older = newest_first.iter().filter(|minor| **minor < preferred);
    newer.chain(older).copied().collect()
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_bootstrap_tries_the_nearest_to_the_preferred_python_first() {
        let accepted = [9, 10, 11, 12, 13];
        assert_eq!(fallback_order(&accepted, None), [13, 12, 11, 10, 9]);
        assert_eq!(fallback_order(&accepted, Some(11)), [12, 13, 10, 9]);
        assert_eq!(fallback_order(&accepted, Some(9)), [10, 11, 12, 13]);
        assert_eq!(fallback_order(&accepted, Some(13)), [12, 11, 10, 9]);
    }
    use super::*;

    #[test]
    fn the_windows_interpreter_is_a_path_powershell_runs() {
        let path = |dir: &str| windows_python(dir).expect("valid");
        assert_eq!(path(".venv"), ".venv\\Scripts\\python.exe");
        assert_eq!(path("build/env"), "build\\env\\Scripts\\python.exe");
        assert_eq!(path("my env"), "& 'my env\\Scripts\\python.exe'");
        assert_eq!(path("it's"), "& 'it''s\\Scripts\\python.exe'");
    }

    fn names(user: &[&str]) -> Vec<(&'static str, String)> {
        let user = user.iter().map(ToString::to_string).collect();
        let targets = MakeTargets::around(&user);
        targets
            .renamed()
            .into_iter()
            .map(|(role, name)| (role, name.to_string()))
            .collect()
    }

    #[test]
    fn the_users_targets_win() {
        type Row<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
        let rows: &[Row<'_>] = &[
            (&[], &[]),
            (&["all", "docs"], &[]),
            (&["test"], &[("test", "venv-test")]),
            (
                &["test", "clean", "fmt"],
                &[
                    ("test", "venv-test"),
                    ("fmt", "venv-fmt"),
                    ("clean", "venv-clean"),
                ],
            ),
            (&["lint", "venv-lint"], &[("lint", "pybootstrap-lint")]),
            (&["bootstrap"], &[("bootstrap", "venv-bootstrap")]),
        ];
        for (user, expected) in rows {
            let expected: Vec<(&str, String)> = expected
                .iter()
                .map(|(role, name)| (*role, (*name).to_string()))
                .collect();
            assert_eq!(names(user), expected, "{user:?}");
        }
    }

    #[test]
    fn templates_see_every_answer_and_each_provider() {
        let answers = crate::answers::builtin("demo");
        let context = Context::new(&answers).expect("built-in answers map");
        let json = serde_json::to_value(&context).expect("serialises");
        assert_eq!(json["answers"]["deps"]["source"], "none");
        assert_eq!(json["answers"]["python"]["requires"], ">=3.9");
        assert_eq!(json["python"]["versions"][0], "3.9");
        assert_eq!(json["python"]["accepted_newest_first"][0], "3.15");
        assert_eq!(json["python"]["fallbacks"][0], "3.15");
        assert_eq!(json["python"]["preferred"], serde_json::Value::Null);
        assert_eq!(json["ci"]["pep668_image"], "debian:bookworm");
        assert_eq!(json["env"]["backend"], "venv");
        assert_eq!(json["ci"]["github"], true);
        assert_eq!(json["ci"]["gitlab"], false);
        assert!(context.ci.uses("github"));
    }

    #[test]
    fn each_lock_source_names_its_tool_and_lock() {
        assert_eq!(lock_tool(DepsSource::UvLock), ("uv", UV_VERSION, "uv.lock"));
        assert_eq!(
            lock_tool(DepsSource::Poetry),
            ("poetry", POETRY_VERSION, "poetry.lock")
        );
        assert_eq!(lock_tool(DepsSource::Pdm), ("pdm", PDM_VERSION, "pdm.lock"));
        assert_eq!(lock_tool(DepsSource::Pyproject), ("", "", ""));
        assert_eq!(lock_tool(DepsSource::Requirements), ("", "", ""));
        assert_eq!(lock_tool(DepsSource::Setuptools), ("", "", ""));
        assert_eq!(lock_tool(DepsSource::None), ("", "", ""));
    }

    #[test]
    fn the_package_beside_requirement_files_and_the_nested_files_as_inputs() {
        let directory = tempfile::tempdir().expect("temp dir");
        let write = |name: &str, text: &str| {
            let path = directory.path().join(name);
            fs_err::create_dir_all(path.parent().expect("parent")).expect("dir");
            fs_err::write(path, text).expect("write");
        };
        write(
            "requirements/test.txt",
            "-r base.txt\n-c ../constraints.txt\n",
        );
        write("requirements/base.txt", "-r test.txt\n");
        write("constraints.txt", "");
        let mut answers = crate::answers::builtin("demo");
        answers.deps.source = DepsSource::Requirements;
        answers.deps.files =
            crate::answers::List::try_from(vec!["requirements/test.txt".parse().expect("path")])
                .expect("list");
        answers.deps.editable = true;
        let mut context = Context::new(&answers).expect("maps");
        let words = |context: &Context| -> Vec<String> {
            context
                .deps
                .pip_args
                .iter()
                .flat_map(|arg| [arg.option.to_string(), arg.value.clone()])
                .collect()
        };
        assert_eq!(
            words(&context),
            ["--requirement", "requirements/test.txt", "--editable", "."]
        );
        assert_eq!(
            context.deps.optional_inputs,
            ["pyproject.toml", "setup.py", "setup.cfg"]
        );
        context
            .deps
            .read_repo(&Project::read(directory.path()), &answers)
            .expect("every file is there");
        assert_eq!(
            context.deps.inputs,
            [
                "requirements/test.txt",
                "requirements/base.txt",
                "constraints.txt"
            ]
        );
        answers.deps.source = DepsSource::Tox;
        let mut context = Context::new(&answers).expect("maps");
        let error = context
            .deps
            .read_repo(&Project::read(directory.path()), &answers)
            .expect_err("no tox configuration");
        assert!(error.to_string().contains("no `tox.ini`"), "{error}");
    }
}
