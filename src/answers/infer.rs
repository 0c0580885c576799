//! What the repository already says: `pyproject.toml` (`requires-python`, `[project]`,
//! extras and dependency groups), an application's pinned Python (`.python-version`,
//! `runtime.txt`, the `Dockerfile`, ...), `requirements*.txt`, `uv.lock`, and existing
//! GitHub or GitLab CI files. Nothing here fails: an unreadable or malformed file is a warning,
//! because the user may be in the middle of fixing it.

use serde::de::DeserializeOwned;

use super::error::Problem;
use super::keys::check_value;
use super::value::{
    Command, ExtraName, Item, List, MakePath, OptionalCommand, PreferredPython, ProjectName,
    PythonRequires, RepoPath, normalise_name,
};
use super::versions::{PinnedLine, SUPPORTED_MINORS, parse_pinned_line};
use super::{Answers, Backend, Choice, DepsSource, Provider};
use crate::project::Project;
use crate::project::files::TomlFile;
use crate::project::package::Build;

mod tasks;

pub(crate) use tasks::{task_warnings, tools_to_install};

/// One answer read from the repository, with the file that justified it.
#[derive(Debug, Clone, PartialEq)]
pub struct Found<T> {
    pub value: T,
    /// Why: the file it came from (`.python-version`, `requirements files`, …).
    pub why: String,
}

impl<T> Found<T> {
    fn new(value: T, why: &str) -> Option<Self> {
        Some(Self {
            value,
            why: why.to_string(),
        })
    }
}

/// Answers read from the repository, one field per key inference can answer, each with
/// the file that justified it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Inferred {
    pub project_name: Option<Found<ProjectName>>,
    pub python_requires: Option<Found<PythonRequires>>,
    pub python_preferred: Option<Found<PreferredPython>>,
    pub env_backend: Option<Found<Backend>>,
    pub deps_source: Option<Found<DepsSource>>,
    pub deps_files: Option<Found<List<MakePath>>>,
    pub deps_extras: Option<Found<List<ExtraName>>>,
    pub deps_groups: Option<Found<List<ExtraName>>>,
    pub deps_editable: Option<Found<bool>>,
    pub tasks_test: Option<Found<Command>>,
    pub tasks_lint: Option<Found<OptionalCommand>>,
    pub tasks_fmt: Option<Found<OptionalCommand>>,
    pub ci_providers: Option<Found<List<Provider>>>,
    pub docs_path: Option<Found<RepoPath>>,
    /// Files that could not be used, and why.
    pub warnings: Vec<String>,
}

impl Inferred {
    /// `value`, read from `why`, as the answer to `key`, checked by the key's type as a
    /// typed value is. A value it refuses is dropped with a warning rather than failing
    /// `init`.
    fn parse<T: DeserializeOwned>(
        &mut self,
        key: &str,
        value: toml::Value,
        why: &str,
    ) -> Option<Found<T>> {
        let parsed = check_value(key, &value).and_then(|()| {
            T::deserialize(value).map_err(|error| Problem::Detail(error.message().to_string()))
        });
        match parsed {
            Ok(value) => Found::new(value, why),
            Err(problem) => {
                let error = problem.at(key, super::Location::Answers);
                self.warnings
                    .push(format!("ignoring what `{why}` says: {error}"));
                None
            }
        }
    }

    /// `text`, read from `why`, as the answer to `key` (see `parse`).
    fn parse_text<T: DeserializeOwned>(
        &mut self,
        key: &str,
        text: &str,
        why: &str,
    ) -> Option<Found<T>> {
        self.parse(key, toml::Value::String(text.to_string()), why)
    }

    /// `items`, read from `why`, as the list answering `key` (see `parse`).
    fn parse_list<T: Item>(
        &mut self,
        key: &str,
        items: &[String],
        why: &str,
    ) -> Option<Found<List<T>>> {
        let value = toml::Value::Array(items.iter().cloned().map(toml::Value::String).collect());
        self.parse(key, value, why)
    }

    /// Puts every inferred answer into `answers`; returns the keys answered, each with why.
    pub(crate) fn apply(&self, answers: &mut Answers) -> Vec<(&'static str, String)> {
        fn put<T: Clone>(
            found: Option<&Found<T>>,
            key: &'static str,
            slot: &mut T,
            answered: &mut Vec<(&'static str, String)>,
        ) {
            if let Some(found) = found {
                *slot = found.value.clone();
                answered.push((key, found.why.clone()));
            }
        }
        let mut answered = Vec::new();
        let done = &mut answered;
        put(
            self.project_name.as_ref(),
            "project.name",
            &mut answers.project.name,
            done,
        );
        put(
            self.python_requires.as_ref(),
            "python.requires",
            &mut answers.python.requires,
            done,
        );
        put(
            self.python_preferred.as_ref(),
            "python.preferred",
            &mut answers.python.preferred,
            done,
        );
        put(
            self.env_backend.as_ref(),
            "env.backend",
            &mut answers.env.backend,
            done,
        );
        put(
            self.deps_source.as_ref(),
            "deps.source",
            &mut answers.deps.source,
            done,
        );
        put(
            self.deps_files.as_ref(),
            "deps.files",
            &mut answers.deps.files,
            done,
        );
        put(
            self.deps_extras.as_ref(),
            "deps.extras",
            &mut answers.deps.extras,
            done,
        );
        put(
            self.deps_groups.as_ref(),
            "deps.groups",
            &mut answers.deps.groups,
            done,
        );
        put(
            self.deps_editable.as_ref(),
            "deps.editable",
            &mut answers.deps.editable,
            done,
        );
        put(
            self.tasks_test.as_ref(),
            "tasks.test",
            &mut answers.tasks.test,
            done,
        );
        put(
            self.tasks_lint.as_ref(),
            "tasks.lint",
            &mut answers.tasks.lint,
            done,
        );
        put(
            self.tasks_fmt.as_ref(),
            "tasks.fmt",
            &mut answers.tasks.fmt,
            done,
        );
        put(
            self.ci_providers.as_ref(),
            "ci.providers",
            &mut answers.ci.providers,
            done,
        );
        put(
            self.docs_path.as_ref(),
            "docs.path",
            &mut answers.docs.path,
            done,
        );
        answered
    }

    /// The source inferred so far, `none` when there is none.
    fn source(&self) -> DepsSource {
        self.deps_source
            .as_ref()
            .map_or(DepsSource::None, |found| found.value)
    }
}

/// `found` in `slot`, when there is one: a value refused keeps the one found before.
fn keep<T>(slot: &mut Option<Found<T>>, found: Option<Found<T>>) {
    if found.is_some() {
        *slot = found;
    }
}

/// What `project` says.
pub(crate) fn infer(project: &Project) -> Inferred {
    let mut inferred = Inferred::default();
    let pyproject = pyproject_table(project, &mut inferred);
    infer_project_name(pyproject, &mut inferred);
    infer_python_requires(project, pyproject, &mut inferred);
    infer_python_preferred(project, &mut inferred);
    infer_dependencies(project, pyproject, &mut inferred);
    infer_test_environment(project, pyproject, &mut inferred);
    tasks::infer_tasks(project, pyproject, &mut inferred);
    infer_ci(project, &mut inferred);
    infer_docs_path(project, &mut inferred);
    inferred
}

/// The text of `name`, `None` when it does not exist; a file that could not be read is a
/// warning.
fn read<'a>(project: &'a Project, name: &str, inferred: &mut Inferred) -> Option<&'a str> {
    match project.files.text(name) {
        Ok(text) => text,
        Err(error) => {
            inferred
                .warnings
                .push(format!("ignoring `{name}`: {error}"));
            None
        }
    }
}

/// The strings of an array value; nothing for anything else.
fn strings(value: Option<&toml::Value>) -> Vec<String> {
    value
        .and_then(toml::Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|item| item.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The items of an inferred list, as written.
fn texts<T: Item>(found: Option<&Found<List<T>>>) -> Vec<String> {
    found
        .map(|found| found.value.iter().map(ToString::to_string).collect())
        .unwrap_or_default()
}

/// The parsed `pyproject.toml`; a file that could not be read or parsed is a warning.
fn pyproject_table<'a>(project: &'a Project, inferred: &mut Inferred) -> Option<&'a toml::Table> {
    match &project.pyproject {
        TomlFile::Missing => None,
        TomlFile::Unreadable(error) => {
            inferred
                .warnings
                .push(format!("ignoring `pyproject.toml`: {error}"));
            None
        }
        TomlFile::Invalid(invalid) => {
            let line = invalid
                .line
                .map(|line| format!(" (line {line})"))
                .unwrap_or_default();
            inferred.warnings.push(format!(
                "ignoring `pyproject.toml`: it is not valid TOML{line}: {}",
                invalid.message
            ));
            None
        }
        TomlFile::Parsed(table) => Some(table),
    }
}

fn project_table(pyproject: Option<&toml::Table>) -> Option<&toml::Table> {
    pyproject?.get("project")?.as_table()
}

fn infer_project_name(pyproject: Option<&toml::Table>, inferred: &mut Inferred) {
    if let Some(name) = project_table(pyproject)
        .and_then(|project| project.get("name"))
        .and_then(toml::Value::as_str)
    {
        let found = inferred.parse_text("project.name", name, "pyproject.toml");
        keep(&mut inferred.project_name, found);
    }
}

fn infer_python_requires(
    project: &Project,
    pyproject: Option<&toml::Table>,
    inferred: &mut Inferred,
) {
    // `.python-version` is the preferred interpreter, read by the bootstrap when it runs;
    // it narrows nothing, so it is not an answer.
    if let Some(text) = read(project, ".python-version", inferred) {
        for line in text.lines() {
            if let PinnedLine::Unusable(request) = parse_pinned_line(line) {
                inferred.warnings.push(format!(
                    "`{}` in `.python-version` is not a supported CPython version: the bootstrap will not prefer it",
                    request.escape_debug()
                ));
            }
        }
    }
    let poetry_python = pyproject
        .and_then(|pyproject| {
            pyproject
                .get("tool")?
                .get("poetry")?
                .get("dependencies")?
                .get("python")
        })
        .and_then(toml::Value::as_str);
    let mut declared: Vec<(Option<String>, &str)> = Vec::new();
    if let Some(requirement) = project_table(pyproject)
        .and_then(|project| project.get("requires-python"))
        .and_then(toml::Value::as_str)
    {
        declared.push((
            Some(requirement.to_string()),
            "requires-python in pyproject.toml",
        ));
    }
    // A virtual workspace root declares no range of its own; uv locks its members' common
    // one at the top of `uv.lock`.
    if project.uv_members.is_some()
        && let Some(requirement) = read(project, "uv.lock", inferred).and_then(lock_requires_python)
    {
        declared.push((
            Some(requirement),
            "requires-python in uv.lock, the uv workspace's members' range",
        ));
    }
    if let Some(constraint) = poetry_python {
        match crate::project::poetry::python_specifier(constraint) {
            Ok(specifier) => declared.push((specifier, "python in [tool.poetry.dependencies]")),
            Err(reason) => inferred.warnings.push(format!(
                "ignoring Poetry's `python = \"{}\"`: {reason}",
                constraint.escape_debug()
            )),
        }
    }
    if let Some(setup_cfg) = setup_cfg(project, inferred) {
        match setup_cfg {
            Ok(cfg) => declared.push((cfg.python_requires.clone(), "python_requires in setup.cfg")),
            Err(reason) => inferred
                .warnings
                .push(format!("ignoring `setup.cfg`: {reason}")),
        }
    }
    if let Some(text) = read(project, "setup.py", inferred) {
        declared.push((
            crate::project::setup_py::python_requires(text),
            "python_requires in setup.py",
        ));
    }
    // The first declaration wins, in the order packaging tools read them.
    let Some((Some(specifier), why)) = declared
        .into_iter()
        .find(|(specifier, _)| specifier.is_some())
    else {
        infer_python_from_pins(project, inferred);
        return;
    };
    let found = inferred.parse_text("python.requires", &specifier, why);
    keep(&mut inferred.python_requires, found);
}

/// The top-level `requires-python` of a `uv.lock`, before its first table: the range uv
/// resolved the lock for.
fn lock_requires_python(lock: &str) -> Option<String> {
    lock.lines()
        .take_while(|line| !line.trim_start().starts_with('['))
        .find_map(|line| {
            let (key, value) = line.split_once('=')?;
            (key.trim() == "requires-python").then(|| value.trim().trim_matches('"').to_string())
        })
        .filter(|requirement| !requirement.is_empty())
}

/// With no range declared, an application's pinned Python is the oldest it runs on: the
/// default `>=3.9` would let CI (the PEP 668 job) pick an interpreter its pins cannot use.
fn infer_python_from_pins(project: &Project, inferred: &mut Inferred) {
    let supported: Vec<_> = project
        .python_pins
        .iter()
        .filter(|pin| pin.supported())
        .collect();
    let Some(first) = supported.first() else {
        return;
    };
    for other in &supported[1..] {
        if other.minor != first.minor {
            inferred.warnings.push(format!(
                "`{}` names Python 3.{} but `{}` names 3.{}: `python.requires` follows `{}` (`>=3.{}`)",
                other.source, other.minor, first.source, first.minor, first.source, first.minor
            ));
        }
    }
    let why = format!("Python 3.{} in {}", first.minor, first.source);
    let found = inferred.parse_text("python.requires", &format!(">=3.{}", first.minor), &why);
    keep(&mut inferred.python_requires, found);
}

/// The Python the project states it runs on (`python_pins`: its files, then its CI; the
/// newest of a CI matrix, the newest it was tested on), inside the range: the bootstrap
/// tries it before the newest in the range, which an application's old pins may not build on.
fn infer_python_preferred(project: &Project, inferred: &mut Inferred) {
    let range = inferred
        .python_requires
        .as_ref()
        .map_or_else(PythonRequires::any_supported, |found| found.value.clone());
    // With the range taken from the first pin, its warning has named the disagreement.
    let range_from_pins = project
        .python_pins
        .iter()
        .find(|pin| pin.supported())
        .is_some_and(|first| {
            inferred
                .python_requires
                .as_ref()
                .map(|found| found.why.as_str())
                == Some(format!("Python 3.{} in {}", first.minor, first.source).as_str())
        });
    let oldest = *SUPPORTED_MINORS.start();
    let mut chosen: Option<(&crate::project::python_pins::Pin, u32)> = None;
    for pin in &project.python_pins {
        // An app made on a Python older than any supported builds best on the oldest one.
        let minor = pin.newest.max(oldest);
        let inside = super::PythonMinor::new(minor).is_some_and(|minor| range.allows(minor));
        match chosen {
            None if inside => chosen = Some((pin, minor)),
            None => inferred.warnings.push(format!(
                "`{}` names Python 3.{}, outside `python.requires = \"{range}\"`: the bootstrap does not prefer it",
                pin.source, pin.newest
            )),
            Some((first, _)) if first.newest != pin.newest && !range_from_pins => {
                inferred.warnings.push(format!(
                    "`{}` names Python 3.{} but `{}` names 3.{}: `python.preferred` follows `{}`",
                    pin.source, pin.newest, first.source, first.newest, first.source
                ));
            }
            Some(_) => {}
        }
    }
    if chosen.is_none() {
        infer_python_from_lock_wheels(project, &range, inferred);
    }
    if let Some((pin, minor)) = chosen {
        let why = if minor == pin.newest {
            format!("Python 3.{minor} in {}", pin.source)
        } else {
            format!(
                "Python 3.{} in {}; 3.{minor} is the oldest supported",
                pin.newest, pin.source
            )
        };
        let found = inferred.parse_text("python.preferred", &format!("3.{minor}"), &why);
        keep(&mut inferred.python_preferred, found);
    }
}

/// With no Python stated, the lock's wheels: when a binary-only package of `uv.lock` or
/// `poetry.lock` has no wheel for the newest minor in `range`, the newest it has wheels for
/// is preferred (an old lock's `greenlet` or `lxml` does not build on the newest CPython).
fn infer_python_from_lock_wheels(
    project: &Project,
    range: &PythonRequires,
    inferred: &mut Inferred,
) {
    use crate::project::lock_wheels::LockWheels;
    let Some((file, wheels)) = [("uv.lock", true), ("poetry.lock", false)]
        .into_iter()
        .find_map(|(file, uv)| {
            let text = project.files.text(file).ok().flatten()?;
            Some((file, LockWheels::read(text, uv)))
        })
    else {
        return;
    };
    let minors = range.minors();
    let Some(&newest) = minors.last() else {
        return;
    };
    let Some(package) = wheels.missing(newest) else {
        return;
    };
    match minors.iter().rev().find(|minor| wheels.missing(**minor).is_none()) {
        Some(minor) => {
            let why = format!("{file}: `{package}` has no wheel for 3.{newest}");
            let found = inferred.parse_text("python.preferred", &format!("3.{minor}"), &why);
            keep(&mut inferred.python_preferred, found);
        }
        None => inferred.warnings.push(format!(
            "`{file}` pins `{package}` with no wheel for 3.{newest}, and some binary-only package lacks a wheel for every Python inside `python.requires`"
        )),
    }
}

/// `setup.cfg`, read as setuptools does; `None` when it is absent; a file that could not
/// be read is a warning.
fn setup_cfg<'a>(
    project: &'a Project,
    inferred: &mut Inferred,
) -> Option<Result<&'a crate::project::setup_cfg::SetupCfg, &'a String>> {
    // The read's own warning, where it is not there to parse.
    read(project, "setup.cfg", inferred)?;
    project.setup_cfg.as_ref().map(Result::as_ref)
}

/// The repository's requirement files narrowed to the ones the test environment needs
/// (`project::requirements::choose`).
fn requirement_files(project: &Project, inferred: &mut Inferred) -> (Vec<String>, String) {
    use crate::project::requirements;
    inferred
        .warnings
        .extend(project.listing_warnings.iter().cloned());
    let read = |path: &str| project.files.owned_text(path);
    // A file pulled in that is missing is `init`'s error to report, when it renders.
    let nested = |file: &str| requirements::nested(&[file.to_string()], &read).unwrap_or_default();
    let chosen = requirements::choose(&project.requirement_candidates, nested);
    // What the project's CI (else its Dockerfile) installs: one of several alternatives (a
    // database driver's file), never all of them; docs or lint files a docs job installs
    // left out; the files named for tests beside them, which a pipeline may install apart.
    let Some((source, named)) = &project.installed_files else {
        return (chosen, "requirements files".to_string());
    };
    let mut all: Vec<String> = named
        .iter()
        .filter(|file| requirements::role(file) != requirements::Role::Skip)
        .cloned()
        .collect();
    if all.is_empty() {
        return (chosen, "requirements files".to_string());
    }
    // Unless they name a test file themselves: one compiled file per tox environment
    // (`requirements/tests.txt` beside `dev.txt`, each pinning everything) conflict.
    if !all
        .iter()
        .any(|file| requirements::role(file) == requirements::Role::Test)
    {
        all.extend(
            chosen
                .into_iter()
                .filter(|file| requirements::role(file) == requirements::Role::Test),
        );
    }
    let pulled_in: Vec<String> = all.iter().flat_map(|file| nested(file)).collect();
    let mut files: Vec<String> = Vec::new();
    for file in all {
        if !pulled_in.contains(&file) && !files.contains(&file) {
            files.push(file);
        }
    }
    (files, format!("the requirement files {source} installs"))
}

fn infer_dependencies(project: &Project, pyproject: Option<&toml::Table>, inferred: &mut Inferred) {
    let (files, files_why) = requirement_files(project, inferred);
    let has_project = project_table(pyproject).is_some();
    let exists = |name: &str| project.files.is_file(name);
    let workspace_lock = project.workspace_lock.is_some();
    let source = if exists("uv.lock") {
        Some((DepsSource::UvLock, "uv.lock"))
    } else if workspace_lock {
        Some((
            DepsSource::UvLock,
            "the uv workspace's uv.lock at the repository root",
        ))
    } else if let Some(found) = lock_tool_source(project, pyproject) {
        Some(found)
    } else if let Some(pipenv) = &project.pipenv {
        // A Pipfile makes pipenv the project's installer: a requirements.txt beside it is
        // most often exported from the lock for a deployment.
        Some((
            DepsSource::Pipenv,
            if pipenv.locked {
                "Pipfile.lock"
            } else {
                "Pipfile"
            },
        ))
    } else if !files.is_empty() {
        Some((DepsSource::Requirements, "requirements files"))
    } else if has_project {
        Some((DepsSource::Pyproject, "pyproject.toml"))
    } else {
        // The project installed as itself only when it builds: a `setup.cfg` of flake8
        // settings would make `pip install -e .` fail and stop the bootstrap.
        match project.build() {
            Build::Package("setup.py" | "setup.cfg") => {
                Some((DepsSource::Setuptools, "setup.py / setup.cfg"))
            }
            // A build backend without `[project]` (Poetry, Flit's old tables).
            Build::Package(why) => Some((DepsSource::Pyproject, why)),
            Build::NotPackage(why) => {
                inferred
                    .warnings
                    .push(format!("not installing the project itself: {why}"));
                None
            }
            Build::NoFiles => None,
        }
    };
    if let Some((source, why)) = source {
        inferred.deps_source = Found::new(source, why);
    }
    if exists("uv.lock") || workspace_lock {
        // A repo already locked with uv wants uv, even without a prompt.
        inferred.env_backend = Found::new(Backend::Uv, "uv.lock");
    }
    if !files.is_empty() {
        let found = inferred.parse_list("deps.files", &files, &files_why);
        keep(&mut inferred.deps_files, found);
    }
    if inferred.source() == DepsSource::Requirements
        && inferred.env_backend.is_none()
        && let Some(file) = uv_compiled(project, &texts(inferred.deps_files.as_ref()))
    {
        // pip refuses such a file's git and URL pins under the hashes it requires.
        let why = format!("`{file}` compiled by uv with hashes");
        inferred.env_backend = Found::new(Backend::Uv, &why);
    }
    let keys = |table: Option<&toml::Value>| -> Vec<String> {
        table
            .and_then(toml::Value::as_table)
            .map(|table| table.keys().cloned().collect())
            .unwrap_or_default()
    };
    let mut extras = test_names(keys(
        project_table(pyproject).and_then(|project| project.get("optional-dependencies")),
    ));
    let mut extras_why = "pyproject.toml";
    if extras.is_empty()
        && let Some(Ok(cfg)) = setup_cfg(project, inferred)
    {
        extras = test_names(cfg.extras.iter().map(|(name, _)| name.clone()).collect());
        extras_why = "setup.cfg";
    }
    if extras.is_empty()
        && let Some(setup_py) = setup_py_extras(project, inferred)
    {
        extras = test_names(setup_py.into_iter().map(|(name, _)| name).collect());
        extras_why = "extras_require in setup.py";
    }
    let runner_why;
    if let Some((chosen, file)) = runner_extras(project, pyproject, &extras, inferred) {
        extras = chosen;
        runner_why = format!("the extras {file} installs");
        extras_why = &runner_why;
    }
    if !extras.is_empty() {
        let found = inferred.parse_list("deps.extras", &extras, extras_why);
        keep(&mut inferred.deps_extras, found);
    }
    let groups = test_names(keys(
        pyproject.and_then(|pyproject| pyproject.get("dependency-groups")),
    ));
    if !groups.is_empty() {
        let found = inferred.parse_list(
            "deps.groups",
            &groups,
            "[dependency-groups] in pyproject.toml",
        );
        keep(&mut inferred.deps_groups, found);
    }
    infer_lock_tool_groups(pyproject, inferred);
    infer_pipenv_groups(project, inferred);
}

/// `deps.groups` of a pipenv project: its `[dev-packages]` (the lock's `develop`), where
/// pipenv projects keep their test runner and the packages only tests import, as
/// `pipenv install --dev` installs them.
fn infer_pipenv_groups(project: &Project, inferred: &mut Inferred) {
    let Some(pipenv) = &project.pipenv else {
        return;
    };
    inferred.warnings.extend(pipenv.warnings.iter().cloned());
    if inferred.source() != DepsSource::Pipenv {
        return;
    }
    let develop = crate::project::pipenv::DEVELOP;
    if !pipenv.packages(develop).is_empty() {
        let file = if pipenv.locked {
            "Pipfile.lock"
        } else {
            "Pipfile"
        };
        let why = format!("[dev-packages] in {file}");
        let found = inferred.parse_list("deps.groups", &[develop.to_string()], &why);
        keep(&mut inferred.deps_groups, found);
    }
}

/// The first of `files` (or a file they pull in) that `uv pip compile` wrote with hashes.
fn uv_compiled(project: &Project, files: &[String]) -> Option<String> {
    use crate::project::{installs, requirements};
    let read = |path: &str| project.files.owned_text(path);
    let nested = requirements::nested(files, &read).unwrap_or_default();
    files.iter().chain(&nested).find_map(|file| {
        let text = project.files.text(file).ok().flatten()?;
        installs::uv_compiled_with_hashes(text).then(|| file.clone())
    })
}

/// Poetry and PDM projects: the tool's lock, or the groups only that tool installs, make it
/// the source (after `uv.lock`, before requirement files, which such projects keep for
/// other uses). A `[tool.pdm]` that only configures the build backend does not count.
fn lock_tool_source(
    project: &Project,
    pyproject: Option<&toml::Table>,
) -> Option<(DepsSource, &'static str)> {
    if project.files.is_file("poetry.lock") {
        Some((DepsSource::Poetry, "poetry.lock"))
    } else if project.files.is_file("pdm.lock") {
        Some((DepsSource::Pdm, "pdm.lock"))
    } else if pyproject.is_some_and(crate::project::poetry::manages) {
        Some((DepsSource::Poetry, "[tool.poetry] in pyproject.toml"))
    } else if pyproject
        .is_some_and(|pyproject| !crate::project::pdm::dev_groups(pyproject).is_empty())
    {
        Some((
            DepsSource::Pdm,
            "[tool.pdm.dev-dependencies] in pyproject.toml",
        ))
    } else {
        None
    }
}

/// `deps.groups` of a Poetry or PDM project: the test/dev ones among the tool's own groups
/// and the PEP 735 groups it also reads.
fn infer_lock_tool_groups(pyproject: Option<&toml::Table>, inferred: &mut Inferred) {
    let Some(pyproject) = pyproject else {
        return;
    };
    let (mut names, why): (Vec<String>, &str) = match inferred.source() {
        DepsSource::Poetry => (
            crate::project::poetry::groups(pyproject)
                .into_iter()
                .map(|group| group.name)
                .collect(),
            "[tool.poetry.group] in pyproject.toml",
        ),
        DepsSource::Pdm => (
            crate::project::pdm::dev_groups(pyproject)
                .into_iter()
                .map(|(name, _)| name)
                .collect(),
            "[tool.pdm.dev-dependencies] in pyproject.toml",
        ),
        _ => return,
    };
    names.extend(
        pyproject
            .get("dependency-groups")
            .and_then(toml::Value::as_table)
            .into_iter()
            .flat_map(|table| table.keys().cloned()),
    );
    let groups = test_names(names);
    if !groups.is_empty() {
        let found = inferred.parse_list("deps.groups", &groups, why);
        keep(&mut inferred.deps_groups, found);
    }
}

/// What a Poetry or PDM install brings that the test task may call: Poetry installs its
/// main dependencies and every group that is not optional, plus the chosen ones; PDM its
/// chosen development groups, or all of them when none is chosen.
pub(super) fn lock_tool_declared(
    source: DepsSource,
    pyproject: &toml::Table,
    groups: &[String],
) -> Vec<String> {
    let chosen = |name: &str| groups.contains(&normalise_name(name));
    match source {
        DepsSource::Poetry => crate::project::poetry::groups(pyproject)
            .into_iter()
            .filter(|group| !group.optional || chosen(&group.name))
            .flat_map(|group| group.packages)
            .chain(crate::project::poetry::dependencies(pyproject))
            .collect(),
        DepsSource::Pdm => crate::project::pdm::dev_groups(pyproject)
            .into_iter()
            .filter(|(name, _)| groups.is_empty() || chosen(name))
            .flat_map(|(_, requirements)| requirements)
            .collect(),
        _ => Vec::new(),
    }
}

/// The project beside requirement files (`deps.editable`), and tox's or Hatch's test
/// environment as the source when nothing else names test dependencies. Runs after
/// `infer_dependencies`, whose answers it completes.
fn infer_test_environment(
    project: &Project,
    pyproject: Option<&toml::Table>,
    inferred: &mut Inferred,
) {
    use crate::project::requirements;
    let source = inferred.source();
    let is_package = project.build().is_package();
    let editable = |inferred: &mut Inferred, why: &str| {
        inferred.deps_editable = Found::new(true, why);
    };
    if source == DepsSource::Requirements {
        let files = texts(inferred.deps_files.as_ref());
        let read = |path: &str| project.files.owned_text(path);
        let nested = requirements::nested(&files, &read).unwrap_or_default();
        let installs_project = files.iter().chain(&nested).any(|file| {
            project
                .files
                .text(file)
                .is_ok_and(|text| text.is_some_and(requirements::installs_project))
        });
        // A project whose own tox runs the tests without installing it (`skipsdist`,
        // `skip_install`) may not build at all: its requirement files are the environment.
        let tox_skips_install = matches!(&project.tox, Ok(Some((_, env))) if env.skip_install);
        if is_package && !installs_project && !tox_skips_install {
            editable(inferred, "a package beside its requirement files");
        }
        return;
    }
    let names_tests = inferred.deps_extras.is_some() || inferred.deps_groups.is_some();
    if !matches!(
        source,
        DepsSource::Pyproject | DepsSource::Setuptools | DepsSource::None
    ) {
        return;
    }
    if names_tests {
        add_tox_extras(project, is_package, inferred);
        return;
    }
    let mut chosen: Option<(DepsSource, String, Vec<String>, bool)> = None;
    match &project.hatch {
        Ok(Some((file, env))) if !env.requirements.is_empty() || !env.features.is_empty() => {
            inferred.warnings.extend(env.warnings.iter().cloned());
            let why = format!("Hatch environment `{}` in {file}", env.name);
            chosen = Some((
                DepsSource::Hatch,
                why,
                env.features.clone(),
                !env.skip_install,
            ));
        }
        Ok(_) => {}
        // A malformed pyproject.toml has its warning already.
        Err(reason) if pyproject.is_none() && reason.starts_with("`pyproject.toml`") => {}
        Err(reason) => inferred
            .warnings
            .push(format!("ignoring Hatch's settings: {reason}")),
    }
    if chosen.is_none() {
        match &project.tox {
            Ok(Some((file, env))) if env.declares_deps() => {
                inferred.warnings.extend(env.warnings.iter().cloned());
                let why = format!("[testenv] deps in {}", file.path());
                chosen = Some((DepsSource::Tox, why, env.extras.clone(), !env.skip_install));
            }
            Ok(Some((file, env))) if !env.extras.is_empty() && !env.skip_install && is_package => {
                // Only extras: the project's own install, with tox's extras, is the whole
                // test environment; the source stays the project's.
                let why = format!("[testenv] extras in {}", file.path());
                let found = inferred.parse_list("deps.extras", &env.extras, &why);
                keep(&mut inferred.deps_extras, found);
                return;
            }
            Ok(_) => {}
            Err(reason) if pyproject.is_none() && reason.starts_with("`pyproject.toml`") => {}
            Err(reason) => inferred
                .warnings
                .push(format!("ignoring tox's settings: {reason}")),
        }
    }
    let Some((source, why, extras, installs)) = chosen else {
        return;
    };
    inferred.deps_source = Found::new(source, &why);
    if !extras.is_empty() {
        let found = inferred.parse_list("deps.extras", &extras, &why);
        keep(&mut inferred.deps_extras, found);
    }
    if is_package && installs {
        editable(inferred, &why);
    }
}

/// Beside the test extras or groups found, the extras tox's test environment installs with
/// the project (tox's own `extras = ["completion"]` beside its `test` group): its tests
/// import them.
fn add_tox_extras(project: &Project, is_package: bool, inferred: &mut Inferred) {
    let Ok(Some((file, env))) = &project.tox else {
        return;
    };
    if !is_package || env.skip_install {
        return;
    }
    let mut extras = texts(inferred.deps_extras.as_ref());
    let before = extras.len();
    for extra in &env.extras {
        let extra = normalise_name(extra);
        if !extras.contains(&extra) {
            extras.push(extra);
        }
    }
    if extras.len() == before {
        return;
    }
    let why = match &inferred.deps_extras {
        Some(found) => format!("{} and [testenv] extras in {}", found.why, file.path()),
        None => format!("[testenv] extras in {}", file.path()),
    };
    let found = inferred.parse_list("deps.extras", &extras, &why);
    keep(&mut inferred.deps_extras, found);
}

fn infer_docs_path(project: &Project, inferred: &mut Inferred) {
    if let (path, Some(tree)) = crate::plan::placement::docs_path(&project.docs) {
        let tool = match tree.tool {
            crate::project::docs::DocsTool::Sphinx => "conf.py",
            crate::project::docs::DocsTool::MkDocs => "mkdocs.yml",
        };
        let why = format!("{tool}: `{}/` is a docs build tree", tree.dir);
        let found = inferred.parse_text("docs.path", path, &why);
        keep(&mut inferred.docs_path, found);
    }
}

/// The requirements tox's or Hatch's test environment names, when it is the source.
pub(super) fn declared_by_tools(project: &Project, source: DepsSource) -> Vec<String> {
    use crate::project::requirements;
    match source {
        DepsSource::Tox => project
            .tox
            .as_ref()
            .ok()
            .and_then(Option::as_ref)
            .map(|(_, env)| {
                let read = |path: &str| project.files.owned_text(path);
                let nested = requirements::nested(&env.files, &read).unwrap_or_default();
                let mut lines: Vec<String> = env
                    .args
                    .iter()
                    .filter(|arg| arg.option.is_empty())
                    .map(|arg| arg.value.clone())
                    .collect();
                for file in env.files.iter().chain(&nested) {
                    if let Ok(Some(text)) = read(file) {
                        lines.extend(text.lines().map(str::to_string));
                    }
                }
                lines
            })
            .unwrap_or_default(),
        DepsSource::Hatch => project
            .hatch
            .as_ref()
            .ok()
            .and_then(Option::as_ref)
            .map(|(_, env)| env.requirements.clone())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// The names projects give the extras and groups that hold their test tools.
const TEST_NAMES: &[&str] = &["test", "tests", "testing"];

/// The extra or group that holds everything a contributor uses, tests included: installed
/// only when no test one exists, since it is heavier (docs, linters, release tools) and
/// can pin what the test one does not.
const DEV_NAME: &str = "dev";

/// The extras or groups among `names` the test environment installs: the test ones
/// (`TEST_NAMES`), else `dev`, else none.
fn test_names(names: Vec<String>) -> Vec<String> {
    let names: Vec<String> = names.iter().map(|name| normalise_name(name)).collect();
    let present = |wanted: &str| names.iter().any(|name| name == wanted);
    let tests: Vec<String> = TEST_NAMES
        .iter()
        .filter(|wanted| present(wanted))
        .map(|name| (*name).to_string())
        .collect();
    if tests.is_empty() && present(DEV_NAME) {
        vec![DEV_NAME.to_string()]
    } else {
        tests
    }
}

/// The files a project's own task runner is configured in, in the order they are read.
const RUNNER_FILES: &[&str] = &["Justfile", "justfile", "Makefile", "noxfile.py", "tox.ini"];

/// The extras the project's own task runner installs, with the file saying so, when they
/// replace `tests` (the test extras found): all of the project's extras when a runner file
/// installs all (`--all-extras`), whatever the test ones; the ones a runner names in
/// `.[…]` when there is no test extra.
fn runner_extras(
    project: &Project,
    pyproject: Option<&toml::Table>,
    tests: &[String],
    inferred: &mut Inferred,
) -> Option<(Vec<String>, &'static str)> {
    use crate::project::task_extras::{RunnerExtras, installed};
    let mut declared: Vec<String> = project_table(pyproject)
        .and_then(|project| project.get("optional-dependencies"))
        .and_then(toml::Value::as_table)
        .map(|table| table.keys().cloned().collect())
        .unwrap_or_default();
    if let Some(Ok(cfg)) = setup_cfg(project, inferred) {
        declared.extend(cfg.extras.iter().map(|(name, _)| name.clone()));
    }
    declared.extend(
        setup_py_extras(project, inferred)
            .unwrap_or_default()
            .into_iter()
            .map(|(name, _)| name),
    );
    let mut unique: Vec<String> = Vec::new();
    for name in declared.iter().map(|name| normalise_name(name)) {
        if !unique.contains(&name) {
            unique.push(name);
        }
    }
    let declared = unique;
    if declared.is_empty() {
        return None;
    }
    let mut named = None;
    for file in RUNNER_FILES {
        let Some(text) = read(project, file, inferred) else {
            continue;
        };
        match installed(text, &declared) {
            Some(RunnerExtras::All) => return Some((declared, file)),
            Some(RunnerExtras::Named(extras)) if named.is_none() => named = Some((extras, *file)),
            _ => {}
        }
    }
    named.filter(|_| tests.is_empty())
}

/// The extras of `extras_require` in `setup.py` when it is a literal (`None` when there is
/// no `setup.py` or it holds none).
fn setup_py_extras(
    project: &Project,
    inferred: &mut Inferred,
) -> Option<Vec<(String, Vec<String>)>> {
    crate::project::setup_py::extras_require(read(project, "setup.py", inferred)?)
}

fn infer_ci(project: &Project, inferred: &mut Inferred) {
    let mut providers = Vec::new();
    let mut why = Vec::new();
    for provider in Provider::ALL {
        let facts = project.existing.ci.of(provider.ci().name());
        if let Some(found) = facts.and_then(|facts| facts.detected) {
            providers.push(*provider);
            why.push(found);
        }
    }
    // Each provider at most once, so the list is one.
    if let Ok(providers) = List::try_from(providers)
        && !why.is_empty()
    {
        inferred.ci_providers = Found::new(providers, &why.join(" and "));
    }
}

#[cfg(test)]
impl Inferred {
    /// The inferred value of `key`, in its TOML form.
    pub(crate) fn get(&self, key: &str) -> Option<toml::Value> {
        let mut answers = super::builtin("inferred");
        let answered = self.apply(&mut answers);
        answered
            .iter()
            .any(|(answered, _)| *answered == key)
            .then(|| super::current_value(&answers, key))
            .flatten()
    }

    /// Why `key` was inferred.
    pub(crate) fn why(&self, key: &str) -> Option<String> {
        let mut answers = super::builtin("inferred");
        self.apply(&mut answers)
            .into_iter()
            .find(|(answered, _)| *answered == key)
            .map(|(_, why)| why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_locks_range_is_read_from_its_top_only() {
        let lock = "version = 1\nrevision = 3\nrequires-python = \">=3.10, <3.14\"\n\n[[package]]\nname = \"a\"\nrequires-python = \">=3.8\"\n";
        assert_eq!(lock_requires_python(lock).as_deref(), Some(">=3.10, <3.14"));
        let below = "version = 1\n\n[[package]]\nrequires-python = \">=3.8\"\n";
        assert_eq!(lock_requires_python(below), None);
        assert_eq!(lock_requires_python("requires-python = \"\"\n"), None);
    }

    pub(super) fn infer_at(repo: &std::path::Path) -> Inferred {
        infer(&Project::read(repo))
    }

    pub(super) fn repo(files: &[(&str, &str)]) -> tempfile::TempDir {
        let directory = tempfile::tempdir().expect("temp dir");
        for (name, text) in files {
            let path = directory.path().join(name);
            if let Some(parent) = path.parent() {
                fs_err::create_dir_all(parent).expect("create parent");
            }
            fs_err::write(path, text).expect("write file");
        }
        directory
    }

    pub(super) fn list(items: &[&str]) -> toml::Value {
        toml::Value::Array(
            items
                .iter()
                .map(|item| toml::Value::String((*item).into()))
                .collect(),
        )
    }

    #[test]
    fn empty_repo_says_only_that_it_has_no_tests_yet() {
        let directory = repo(&[]);
        let inferred = infer_at(directory.path());
        assert_eq!(
            inferred
                .tasks_test
                .as_ref()
                .map(|found| found.value.to_string()),
            Some("pytest || test $? -eq 5".to_string())
        );
        assert_eq!(
            Inferred {
                tasks_test: None,
                ..inferred
            },
            Inferred::default()
        );
    }

    #[test]
    fn python_version_file_is_a_preference_not_a_range() {
        let directory = repo(&[
            (".python-version", "3.12.4\ncpython-3.11\npypy3.10\n"),
            (
                "pyproject.toml",
                "[project]\nname = \"demo\"\nrequires-python = \">=3.9\"\n",
            ),
        ]);
        let inferred = infer_at(directory.path());
        assert_eq!(inferred.get("python.versions").as_ref(), None);
        assert_eq!(
            inferred.get("python.requires").as_ref(),
            Some(&toml::Value::String(">=3.9".into()))
        );
        assert_eq!(inferred.warnings.len(), 1, "{:?}", inferred.warnings);
        assert!(inferred.warnings[0].contains("pypy3.10"));
        assert_eq!(
            inferred.get("project.name").as_ref(),
            Some(&toml::Value::String("demo".into()))
        );
        assert_eq!(
            inferred.get("deps.source").as_ref(),
            Some(&toml::Value::String("pyproject".into()))
        );
    }

    #[test]
    fn every_way_to_declare_the_range() {
        let requires = |files: &[(&str, &str)]| {
            let directory = repo(files);
            let inferred = infer_at(directory.path());
            inferred.why("python.requires").map(|why| {
                let value = inferred
                    .get("python.requires")
                    .unwrap_or(toml::Value::Boolean(false));
                (value.as_str().unwrap_or_default().to_string(), why)
            })
        };
        let pair = |value: &str, why: &str| Some((value.to_string(), why.to_string()));
        assert_eq!(
            requires(&[(
                "pyproject.toml",
                "[project]\nrequires-python = \">=3.10\"\n"
            )]),
            pair(">=3.10", "requires-python in pyproject.toml")
        );
        assert_eq!(
            requires(&[(
                "pyproject.toml",
                "[tool.poetry.dependencies]\npython = \"^3.9\"\n"
            )]),
            pair(">=3.9,<4", "python in [tool.poetry.dependencies]")
        );
        assert_eq!(
            requires(&[("setup.cfg", "[options]\npython_requires = >=3.8\n")]),
            pair(">=3.8", "python_requires in setup.cfg")
        );
        assert_eq!(
            requires(&[("setup.py", "setup(python_requires='>=3.11')\n")]),
            pair(">=3.11", "python_requires in setup.py")
        );
        assert_eq!(
            requires(&[
                (
                    "pyproject.toml",
                    "[project]\nrequires-python = \">=3.12\"\n"
                ),
                ("setup.cfg", "[options]\npython_requires = >=3.8\n"),
            ]),
            pair(">=3.12", "requires-python in pyproject.toml")
        );
        assert_eq!(requires(&[("setup.py", "setup(name='x')\n")]), None);
    }

    #[test]
    fn requirement_files_and_uv_lock() {
        let directory = repo(&[
            ("requirements-dev.txt", ""),
            ("requirements.txt", ""),
            ("requirements-docs.txt", ""),
            ("uv.lock", ""),
            ("sub/requirements-x.txt", ""),
        ]);
        let inferred = infer_at(directory.path());
        assert_eq!(
            inferred.get("deps.files").as_ref(),
            Some(&list(&["requirements.txt", "requirements-dev.txt"]))
        );
        assert_eq!(
            inferred.get("deps.source").as_ref(),
            Some(&toml::Value::String("uv-lock".into()))
        );
        assert_eq!(
            inferred.get("env.backend").as_ref(),
            Some(&toml::Value::String("uv".into()))
        );
    }

    #[test]
    fn a_package_is_installed_beside_its_requirement_files_unless_tox_leaves_it_out() {
        let pyproject = "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n[project]\nname = \"api-server\"\n";
        let files = [
            ("pyproject.toml", pyproject),
            ("requirements.txt", "flask==3.1.0\n"),
        ];
        let inferred = infer_at(repo(&files).path());
        assert_eq!(
            inferred.get("deps.editable").as_ref(),
            Some(&toml::Value::Boolean(true))
        );
        let tox =
            "[tox]\nskipsdist=True\n[testenv]\ndeps = -r requirements.txt\ncommands = pytest\n";
        let inferred = infer_at(repo(&[files[0], files[1], ("tox.ini", tox)]).path());
        assert_eq!(inferred.get("deps.editable").as_ref(), None);
    }

    #[test]
    fn tox_extras_join_the_test_extras_and_groups() {
        let pyproject = "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n[project]\nname = \"t\"\n[project.optional-dependencies]\ncompletion = [\"argcomplete\"]\ntesting = [\"pytest\"]\n[dependency-groups]\ntest = [\"pytest\"]\n";
        let tox = "[env_run_base]\ndependency_groups = [\"test\"]\nextras = [\"completion\"]\ncommands = [[\"pytest\"]]\n";
        let inferred = infer_at(repo(&[("pyproject.toml", pyproject), ("tox.toml", tox)]).path());
        assert_eq!(
            inferred.get("deps.extras").as_ref(),
            Some(&list(&["testing", "completion"]))
        );
        assert_eq!(inferred.get("deps.groups").as_ref(), Some(&list(&["test"])));
        // Not for a project tox does not install.
        let skipped = tox.replace("extras", "skip_install = true\nextras");
        let inferred =
            infer_at(repo(&[("pyproject.toml", pyproject), ("tox.toml", &skipped)]).path());
        assert_eq!(
            inferred.get("deps.extras").as_ref(),
            Some(&list(&["testing"]))
        );
    }

    #[test]
    fn test_extras_and_groups_are_different_things() {
        let inferred_in = |files: &[(&str, &str)]| infer_at(repo(files).path());
        let inferred = inferred_in(&[(
            "pyproject.toml",
            "[project]\nname = \"x\"\n[project.optional-dependencies]\nDev = [\"pytest\"]\nTesting = []\ndocs = []\n",
        )]);
        // The test extra, not `dev` beside it (heavier, and it can conflict).
        assert_eq!(
            inferred.get("deps.extras").as_ref(),
            Some(&list(&["testing"]))
        );
        assert_eq!(inferred.get("deps.groups").as_ref(), None);
        let inferred = inferred_in(&[(
            "pyproject.toml",
            "[dependency-groups]\ndev = [\"pytest\"]\nlint = []\n",
        )]);
        assert_eq!(inferred.get("deps.groups").as_ref(), Some(&list(&["dev"])));
        assert_eq!(inferred.get("deps.extras").as_ref(), None);
        let inferred = inferred_in(&[(
            "setup.cfg",
            "[options.extras_require]\ntesting =\n    pytest\n",
        )]);
        assert_eq!(
            inferred.get("deps.extras").as_ref(),
            Some(&list(&["testing"]))
        );
        let inferred = inferred_in(&[(
            "pyproject.toml",
            "[project.optional-dependencies]\ndocs = []\n",
        )]);
        assert_eq!(inferred.get("deps.extras").as_ref(), None);
    }

    #[test]
    fn pipenv_projects_install_their_lock_with_the_dev_packages() {
        let string = |text: &str| Some(toml::Value::String(text.into()));
        let pipfile = "[packages]\nflask = \"*\"\n[dev-packages]\npytest = \"*\"\n[requires]\npython_version = \"3.12\"\n";
        let lock = r#"{"_meta": {}, "default": {"flask": {"version": "==3.0.3"}}, "develop": {"pytest": {"version": "==8.3.2"}}}"#;
        // The lock wins over the requirements.txt exported from it.
        let inferred = infer_at(
            repo(&[
                ("Pipfile", pipfile),
                ("Pipfile.lock", lock),
                ("requirements.txt", "flask==3.0.3\n"),
                ("tests/test_app.py", "import pytest\n"),
            ])
            .path(),
        );
        assert_eq!(inferred.get("deps.source"), string("pipenv"));
        assert_eq!(inferred.why("deps.source").as_deref(), Some("Pipfile.lock"));
        assert_eq!(
            inferred.get("deps.groups").as_ref(),
            Some(&list(&["develop"]))
        );
        assert_eq!(
            inferred.why("deps.groups").as_deref(),
            Some("[dev-packages] in Pipfile.lock")
        );
        // pytest is declared by the dev packages, so the test task is pytest; as a module,
        // since an app run with pipenv is not installed.
        assert_eq!(inferred.get("tasks.test"), string("python -m pytest"));
        assert!(inferred.warnings.is_empty(), "{:?}", inferred.warnings);
        // No lock yet: the Pipfile names the categories.
        let inferred = infer_at(repo(&[("Pipfile", pipfile)]).path());
        assert_eq!(inferred.get("deps.source"), string("pipenv"));
        assert_eq!(inferred.why("deps.source").as_deref(), Some("Pipfile"));
        assert_eq!(
            inferred.get("deps.groups").as_ref(),
            Some(&list(&["develop"]))
        );
        // No dev packages: no group.
        let inferred = infer_at(repo(&[("Pipfile", "[packages]\nflask = \"*\"\n")]).path());
        assert_eq!(inferred.get("deps.groups"), None);
        // A Poetry lock beside a stale Pipfile: Poetry.
        let inferred = infer_at(repo(&[("Pipfile", pipfile), ("poetry.lock", "")]).path());
        assert_eq!(inferred.get("deps.source"), string("poetry"));
        assert_eq!(inferred.get("deps.groups"), None);
        // A broken lock is a warning, and pipenv is still the installer.
        let inferred = infer_at(repo(&[("Pipfile", pipfile), ("Pipfile.lock", "{")]).path());
        assert_eq!(inferred.get("deps.source"), string("pipenv"));
        assert_eq!(inferred.warnings.len(), 1, "{:?}", inferred.warnings);
    }

    #[test]
    fn poetry_and_pdm_projects_with_their_groups() {
        let string = |text: &str| Some(toml::Value::String(text.into()));
        // Poetry 1: a lock, a legacy dev table holding pytest, and requirement files beside.
        let inferred = infer_at(
            repo(&[
                (
                    "pyproject.toml",
                    "[tool.poetry]\nname = \"rich\"\n[tool.poetry.dependencies]\npython = \"^3.9\"\n[tool.poetry.dev-dependencies]\npytest = \"^8\"\n[build-system]\nrequires = [\"poetry-core\"]\n",
                ),
                ("poetry.lock", ""),
                ("requirements.txt", ""),
                ("tests/test_x.py", ""),
            ])
            .path(),
        );
        assert_eq!(inferred.get("deps.source"), string("poetry"));
        assert_eq!(inferred.get("deps.groups").as_ref(), Some(&list(&["dev"])));
        assert_eq!(inferred.get("tasks.test"), string("pytest"));
        // Poetry 2: `[project]`, groups under `[tool.poetry.group]`, no lock yet.
        let inferred = infer_at(
            repo(&[(
                "pyproject.toml",
                "[project]\nname = \"cleo\"\n[tool.poetry.group.test.dependencies]\npytest = \"*\"\n[tool.poetry.group.docs]\noptional = true\n",
            )])
            .path(),
        );
        assert_eq!(inferred.get("deps.source"), string("poetry"));
        assert_eq!(inferred.get("deps.groups").as_ref(), Some(&list(&["test"])));
        // PDM: dev-dependencies, and a lock.
        let inferred = infer_at(
            repo(&[
                (
                    "pyproject.toml",
                    "[project]\nname = \"marko\"\n[tool.pdm.dev-dependencies]\ntest = [\"pytest\"]\ndocs = [\"sphinx\"]\n",
                ),
                ("pdm.lock", ""),
                ("tests/test_x.py", ""),
            ])
            .path(),
        );
        assert_eq!(inferred.get("deps.source"), string("pdm"));
        assert_eq!(inferred.get("deps.groups").as_ref(), Some(&list(&["test"])));
        assert_eq!(inferred.get("tasks.test"), string("pytest"));
        // PDM as a build backend only is not a PDM-managed project.
        let inferred = infer_at(
            repo(&[(
                "pyproject.toml",
                "[project]\nname = \"built\"\n[tool.pdm.version]\nsource = \"scm\"\n",
            )])
            .path(),
        );
        assert_eq!(inferred.get("deps.source"), string("pyproject"));
        // uv.lock still wins over everything.
        let inferred = infer_at(repo(&[("uv.lock", ""), ("poetry.lock", "")]).path());
        assert_eq!(inferred.get("deps.source"), string("uv-lock"));
    }

    #[test]
    fn requirement_dirs_and_the_package_beside_them() {
        let string = |text: &str| toml::Value::String(text.into());
        let directory = repo(&[
            ("requirements/base.txt", "attrs\n"),
            ("requirements/test.txt", "-r base.txt\npytest\n"),
            ("requirements/docs.txt", "sphinx\n"),
            ("test-requirements.txt", "-r requirements/test.txt\n"),
            ("tests/test_x.py", ""),
            (
                "setup.py",
                "from setuptools import setup\nsetup(name=\"x\", packages=[\"x\"])\n",
            ),
        ]);
        let inferred = infer_at(directory.path());
        assert_eq!(
            inferred.get("deps.files").as_ref(),
            Some(&list(&["test-requirements.txt"]))
        );
        assert_eq!(
            inferred.get("deps.source").as_ref(),
            Some(&string("requirements"))
        );
        assert_eq!(
            inferred.get("deps.editable").as_ref(),
            Some(&toml::Value::Boolean(true))
        );
        assert_eq!(inferred.get("tasks.test").as_ref(), Some(&string("pytest")));
        // A file that installs the project, or `package = false`: no second install.
        for files in [
            &[
                ("requirements.txt", "-e .\n"),
                ("setup.cfg", "[metadata]\n"),
            ][..],
            &[
                ("requirements.txt", "x\n"),
                (
                    "pyproject.toml",
                    "[project]\nname = \"x\"\n[tool.uv]\npackage = false\n",
                ),
            ][..],
            &[("requirements.txt", "x\n")][..],
        ] {
            let directory = repo(files);
            assert_eq!(
                infer_at(directory.path()).get("deps.editable").as_ref(),
                None,
                "{files:?}"
            );
        }
    }

    #[test]
    fn tox_and_hatch_when_nothing_else_names_test_dependencies() {
        let string = |text: &str| toml::Value::String(text.into());
        let directory = repo(&[
            (
                "setup.py",
                "from setuptools import setup\nsetup(name=\"x\", packages=[\"x\"])\n",
            ),
            (
                "tox.ini",
                "[testenv]\ndeps = pytest\n    django42: django\nextras = yaml\n",
            ),
            ("tests/test_x.py", ""),
        ]);
        let inferred = infer_at(directory.path());
        assert_eq!(inferred.get("deps.source").as_ref(), Some(&string("tox")));
        assert_eq!(inferred.get("deps.extras").as_ref(), Some(&list(&["yaml"])));
        assert_eq!(
            inferred.get("deps.editable").as_ref(),
            Some(&toml::Value::Boolean(true))
        );
        assert_eq!(inferred.get("tasks.test").as_ref(), Some(&string("pytest")));
        assert_eq!(inferred.warnings.len(), 1, "{:?}", inferred.warnings);
        let directory = repo(&[(
            "pyproject.toml",
            "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n[project]\nname = \"h\"\n[tool.hatch.envs.default]\ndependencies = [\"pytest\"]\nfeatures = [\"cli\"]\n",
        )]);
        let inferred = infer_at(directory.path());
        assert_eq!(inferred.get("deps.source").as_ref(), Some(&string("hatch")));
        assert_eq!(inferred.get("deps.extras").as_ref(), Some(&list(&["cli"])));
        // A test extra names the test dependencies already: tox is not read.
        let directory = repo(&[
            (
                "setup.cfg",
                "[metadata]\nname = x\n[options]\npackages = x\n[options.extras_require]\ntesting =\n    pytest\n",
            ),
            ("setup.py", "from setuptools import setup\nsetup()\n"),
            ("tox.ini", "[testenv]\ndeps = pytest\n"),
        ]);
        assert_eq!(
            infer_at(directory.path()).get("deps.source").as_ref(),
            Some(&string("setuptools"))
        );
    }

    #[test]
    fn malformed_pyproject_is_a_warning() {
        let directory = repo(&[
            ("pyproject.toml", "[project]\nname = \n"),
            ("requirements.txt", ""),
        ]);
        let inferred = infer_at(directory.path());
        assert_eq!(inferred.warnings.len(), 1);
        assert!(
            inferred.warnings[0].contains("line 2"),
            "{}",
            inferred.warnings[0]
        );
        assert_eq!(
            inferred.get("deps.source").as_ref(),
            Some(&toml::Value::String("requirements".into()))
        );
    }

    #[test]
    fn bad_requires_python_and_bad_name_are_warnings() {
        let directory = repo(&[(
            "pyproject.toml",
            "[project]\nname = \"bad name!\"\nrequires-python = \"<3.0\"\n",
        )]);
        let inferred = infer_at(directory.path());
        assert_eq!(inferred.get("project.name").as_ref(), None);
        assert_eq!(inferred.get("python.versions").as_ref(), None);
        assert_eq!(inferred.warnings.len(), 2, "{:?}", inferred.warnings);
    }

    #[test]
    fn ci_providers_from_existing_files() {
        let directory = repo(&[(".github/workflows/test.yaml", ""), (".gitlab-ci.yml", "")]);
        assert_eq!(
            infer_at(directory.path()).get("ci.providers").as_ref(),
            Some(&list(&["github", "gitlab"]))
        );
        let directory = repo(&[(".gitlab-ci.yml", "")]);
        assert_eq!(
            infer_at(directory.path()).get("ci.providers").as_ref(),
            Some(&list(&["gitlab"]))
        );
    }
}

#[cfg(test)]
mod in_memory {
    use super::*;

    /// Each answer `infer` gives for a repository holding `files`, built in memory.
    fn answers(files: &[(&str, &str)]) -> Vec<(String, String)> {
        let inferred = infer(&Project::in_memory("shape", files));
        let mut answers = crate::answers::builtin("shape");
        inferred
            .apply(&mut answers)
            .into_iter()
            .map(|(key, _)| {
                let value = match inferred.get(key) {
                    Some(toml::Value::String(text)) => text,
                    other => other.map(|value| value.to_string()).unwrap_or_default(),
                };
                (key.to_string(), value)
            })
            .collect()
    }

    fn pairs(rows: &[(&str, &str)]) -> Vec<(String, String)> {
        rows.iter()
            .map(|(key, value)| ((*key).to_string(), (*value).to_string()))
            .collect()
    }

    #[test]
    fn project_shapes() {
        // (shape, files, every answer inferred)
        type Row<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a [(&'a str, &'a str)]);
        let rows: &[Row] = &[
            (
                "setuptools with requirement files",
                &[
                    (
                        "setup.py",
                        "from setuptools import setup\nsetup(python_requires='>=3.10', packages=['x'])\n",
                    ),
                    ("requirements.txt", "attrs\n"),
                    ("requirements-dev.txt", "-r requirements.txt\npytest\n"),
                    ("tests/test_x.py", ""),
                ],
                &[
                    ("python.requires", ">=3.10"),
                    ("deps.source", "requirements"),
                    ("deps.files", "[\"requirements-dev.txt\"]"),
                    ("deps.editable", "true"),
                    ("tasks.test", "pytest"),
                ],
            ),
            (
                "poetry with a test group and black",
                &[
                    (
                        "pyproject.toml",
                        "[tool.poetry]\nname = \"p\"\n[tool.poetry.dependencies]\npython = \"^3.10\"\n[tool.poetry.group.test.dependencies]\npytest = \"*\"\n[tool.black]\n",
                    ),
                    ("poetry.lock", ""),
                    (".github/workflows/ci.yml", ""),
                    ("tests/test_p.py", ""),
                ],
                &[
                    ("python.requires", ">=3.10,<4"),
                    ("deps.source", "poetry"),
                    ("deps.groups", "[\"test\"]"),
                    ("tasks.test", "pytest"),
                    ("tasks.fmt", "black ."),
                    ("ci.providers", "[\"github\"]"),
                ],
            ),
            (
                "a setup.cfg of tool settings beside requirement files: no package",
                &[
                    (
                        "setup.cfg",
                        "[nosetests]\nverbosity=2\n[flake8]\nmax-line-length = 127\n",
                    ),
                    ("requirements.txt", "flask\npytest\n"),
                    ("service.py", ""),
                    ("test_service.py", "def test_x():\n    pass\n"),
                ],
                &[
                    ("deps.source", "requirements"),
                    ("deps.files", "[\"requirements.txt\"]"),
                    ("tasks.test", "python -m pytest"),
                    ("tasks.lint", "flake8"),
                ],
            ),
            (
                "tox environment as the source, its commands as the test task",
                &[
                    ("setup.cfg", "[metadata]\nname = t\n[flake8]\n"),
                    ("setup.py", "from setuptools import setup\nsetup()\n"),
                    (
                        "tox.ini",
                        "[tox]\nenvlist = py311-unit\n[testenv]\ndeps =\n    -r ci.txt\n    unit: pytest\nextras = yaml\ncommands = pytest tests\n",
                    ),
                    ("ci.txt", "coverage\n"),
                    (".gitlab-ci.yml", "test:\n  script: tox\n"),
                ],
                &[
                    ("deps.source", "tox"),
                    ("deps.extras", "[\"yaml\"]"),
                    ("deps.editable", "true"),
                    ("tasks.test", "pytest tests"),
                    ("tasks.lint", "flake8"),
                    ("ci.providers", "[\"gitlab\"]"),
                ],
            ),
            (
                "setup.py with a literal extras_require holding the tests extra",
                &[
                    (
                        "setup.py",
                        "from setuptools import setup\nTESTS = ['pytest', 'mock']\nsetup(\n    name='s',\n    packages=['s'],\n    extras_require={'tests': TESTS, 'dev': TESTS + ['tox']},\n)\n",
                    ),
                    ("tests/test_s.py", ""),
                ],
                &[
                    ("deps.source", "setuptools"),
                    ("deps.extras", "[\"tests\"]"),
                    ("tasks.test", "pytest"),
                ],
            ),
            (
                "a test extra only tox names",
                &[
                    (
                        "pyproject.toml",
                        "[build-system]\nrequires = [\"setuptools\"]\n[project]\nname = \"x\"\n[project.optional-dependencies]\nci = [\"pytest\"]\n",
                    ),
                    (
                        "tox.ini",
                        "[testenv]\nextras = ci\ncommands = pytest {posargs}\n",
                    ),
                ],
                &[
                    ("project.name", "x"),
                    ("deps.source", "pyproject"),
                    ("deps.extras", "[\"ci\"]"),
                    ("tasks.test", "pytest"),
                ],
            ),
            (
                "a Justfile that installs all extras, a test recipe with options",
                &[
                    (
                        "pyproject.toml",
                        "[build-system]\nrequires = [\"hatchling\"]\n[project]\nname = \"j\"\n[project.optional-dependencies]\ntest = [\"pytest\"]\nyaml = [\"pyyaml\"]\n",
                    ),
                    (
                        "Justfile",
                        "install:\n    uv sync --all-extras\n\ntest *args: install\n    uv run pytest -p no:randomly {{args}}\n",
                    ),
                ],
                &[
                    ("project.name", "j"),
                    ("deps.source", "pyproject"),
                    ("deps.extras", "[\"test\", \"yaml\"]"),
                    ("tasks.test", "pytest -p no:randomly"),
                ],
            ),
            (
                "test and dev groups: the test one",
                &[
                    (
                        "pyproject.toml",
                        "[project]\nname = \"g\"\n[dependency-groups]\ndev = [\"pytest\", \"mypy\"]\ntest = [\"pytest\"]\n",
                    ),
                    ("tests/test_g.py", ""),
                ],
                &[
                    ("project.name", "g"),
                    ("deps.source", "pyproject"),
                    ("deps.groups", "[\"test\"]"),
                    ("tasks.test", "pytest"),
                ],
            ),
            (
                "a flat-layout app: nothing installs it, pytest runs as a module",
                &[
                    ("requirements.txt", "flask\npytest\n"),
                    ("app/__init__.py", ""),
                    ("tests/test_app.py", "from app import create\n"),
                ],
                &[
                    ("deps.source", "requirements"),
                    ("deps.files", "[\"requirements.txt\"]"),
                    ("tasks.test", "python -m pytest"),
                ],
            ),
            (
                "an invoke task passing options to pytest",
                &[
                    ("requirements.txt", "invoke\npytest\n"),
                    (
                        "tasks.py",
                        "from invoke import task\n\n@task\ndef test(c):\n    c.run(\"pytest --capture=no tests\")\n",
                    ),
                ],
                &[
                    ("deps.source", "requirements"),
                    ("deps.files", "[\"requirements.txt\"]"),
                    ("tasks.test", "python -m pytest --capture=no tests"),
                ],
            ),
            (
                "a PDM script before tox's command that calls it by name (tox-pdm)",
                &[
                    (
                        "pyproject.toml",
                        "[build-system]\nrequires = [\"pdm-backend\"]\n[project]\nname = \"d\"\n[dependency-groups]\ntest = [\"pytest\"]\n[tool.pdm.scripts]\ntest = \"pytest -n auto\"\n",
                    ),
                    (
                        "tox.ini",
                        "[testenv]\ngroups = test\ncommands = test {posargs}\n",
                    ),
                ],
                &[
                    ("project.name", "d"),
                    ("deps.source", "pyproject"),
                    ("deps.groups", "[\"test\"]"),
                    ("tasks.test", "pytest -n auto"),
                ],
            ),
            (
                "a poe task composed at run time, poe installed: the task calls poe",
                &[(
                    "pyproject.toml",
                    "[build-system]\nrequires = [\"hatchling\"]\n[project]\nname = \"p\"\n[dependency-groups]\ndev = [\"pytest\", \"poethepoet\"]\n[tool.poe.tasks]\ntest = [\"lint\", \"unit\"]\n",
                )],
                &[
                    ("project.name", "p"),
                    ("deps.source", "pyproject"),
                    ("deps.groups", "[\"dev\"]"),
                    ("tasks.test", "poe test"),
                ],
            ),
        ];
        for (shape, files, expected) in rows {
            let mut found = answers(files);
            found.sort();
            let mut expected = pairs(expected);
            expected.sort();
            assert_eq!(found, expected, "{shape}");
        }
    }

    #[test]
    fn an_application_pin_is_the_floor_when_no_range_is_declared() {
        // (files, range, why, the files a warning names)
        type Row<'a> = (
            &'a [(&'a str, &'a str)],
            Option<&'a str>,
            Option<&'a str>,
            &'a [&'a str],
        );
        let rows: &[Row] = &[
            (
                &[("runtime.txt", "python-3.12.1\n")],
                Some(">=3.12"),
                Some("Python 3.12 in runtime.txt"),
                &[],
            ),
            (
                &[
                    ("Dockerfile", "FROM python:3.11-slim\n"),
                    ("Pipfile", "[requires]\npython_version = \"3.13\"\n"),
                ],
                Some(">=3.13"),
                Some("Python 3.13 in Pipfile"),
                &["Dockerfile", "Pipfile"],
            ),
            (
                &[
                    (".python-version", "3.12\n"),
                    ("runtime.txt", "python-3.12.1\n"),
                    (".tool-versions", "python 3.13.0\n"),
                    ("Dockerfile", "FROM python:3.12-slim\n"),
                ],
                Some(">=3.12"),
                Some("Python 3.12 in .python-version"),
                &[".tool-versions", ".python-version"],
            ),
            // A declared range wins, and the pins are not compared.
            (
                &[
                    ("setup.cfg", "[options]\npython_requires = >=3.10\n"),
                    ("Dockerfile", "FROM python:3.12\n"),
                    ("runtime.txt", "python-3.11\n"),
                ],
                Some(">=3.10"),
                Some("python_requires in setup.cfg"),
                &[],
            ),
            (
                &[(
                    ".github/workflows/test.yml",
                    "jobs:\n  test:\n    strategy:\n      matrix:\n        python-version: [\"3.12\", \"3.11\"]\n",
                )],
                Some(">=3.11"),
                Some("Python 3.11 in .github/workflows"),
                &[],
            ),
            (
                &[
                    ("Dockerfile", "FROM python:3.12\n"),
                    (
                        ".github/workflows/test.yml",
                        "jobs:\n  test:\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: \"3.13\"\n",
                    ),
                ],
                Some(">=3.12"),
                Some("Python 3.12 in Dockerfile"),
                &[".github/workflows", "Dockerfile"],
            ),
            (&[("Dockerfile", "FROM python:${PY}\n")], None, None, &[]),
        ];
        for (files, range, why, named) in rows {
            let inferred = infer(&Project::in_memory("app", files));
            let value = inferred.get("python.requires");
            assert_eq!(
                value.as_ref().and_then(toml::Value::as_str),
                *range,
                "{files:?}"
            );
            assert_eq!(
                inferred.why("python.requires").as_deref(),
                *why,
                "{files:?}"
            );
            let warned: Vec<&String> = inferred
                .warnings
                .iter()
                .filter(|warning| warning.contains("`python.requires` follows"))
                .collect();
            if named.is_empty() {
                assert!(warned.is_empty(), "{warned:?}");
            } else {
                assert_eq!(warned.len(), 1, "{warned:?}");
                for file in *named {
                    assert!(warned[0].contains(&format!("`{file}`")), "{warned:?}");
                }
            }
        }
    }

    const LOCK_WITHOUT_NEW_WHEELS: &str = "version = 1\n\n[[package]]\nname = \"greenlet\"\nversion = \"2.0.2\"\nsource = { registry = \"https://pypi.org/simple\" }\nwheels = [\n    { url = \"https://files.pythonhosted.org/p/greenlet-2.0.2-cp311-cp311-manylinux_2_17_x86_64.whl\", hash = \"sha256:0\", size = 1 },\n    { url = \"https://files.pythonhosted.org/p/greenlet-2.0.2-cp310-cp310-manylinux_2_17_x86_64.whl\", hash = \"sha256:0\", size = 1 },\n]\n";

    #[test]
    fn the_python_an_app_states_is_preferred() {
        // (files, preferred, why, a warning naming these files)
        type Row<'a> = (
            &'a [(&'a str, &'a str)],
            Option<&'a str>,
            Option<&'a str>,
            &'a [&'a str],
        );
        let rows: &[Row] = &[
            (
                &[
                    (
                        "pyproject.toml",
                        "[project]\nname = \"a\"\nrequires-python = \">=3.9\"\n",
                    ),
                    (".python-version", "3.11\n"),
                ],
                Some("3.11"),
                Some("Python 3.11 in .python-version"),
                &[],
            ),
            // A declared range: the pins still say which Python the app runs on, and a
            // disagreement is named.
            (
                &[
                    ("setup.cfg", "[options]\npython_requires = >=3.10\n"),
                    ("Dockerfile", "FROM python:3.11-slim\n"),
                    (
                        ".github/workflows/test.yml",
                        "jobs:\n  test:\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: \"3.12\"\n",
                    ),
                ],
                Some("3.11"),
                Some("Python 3.11 in Dockerfile"),
                &[".github/workflows", "Dockerfile"],
            ),
            // A CI matrix: the newest it tests (a library's matrix keeps today's pick).
            (
                &[
                    (
                        "pyproject.toml",
                        "[project]\nname = \"a\"\nrequires-python = \">=3.9\"\n",
                    ),
                    (
                        ".github/workflows/test.yml",
                        "jobs:\n  test:\n    strategy:\n      matrix:\n        python-version: [\"3.10\", \"3.13\"]\n",
                    ),
                ],
                Some("3.13"),
                Some("Python 3.13 in .github/workflows"),
                &[],
            ),
            // psf/requests-html: an old Travis matrix and no Python this tool supports but 3.9.
            (
                &[
                    (
                        "setup.py",
                        "from setuptools import setup\nsetup(python_requires='>=3.6.0', py_modules=['x'])\n",
                    ),
                    (
                        ".travis.yml",
                        "python:\n  - \"3.6\"\n  - \"3.8\"\n  - \"3.9-dev\"\n",
                    ),
                ],
                Some("3.9"),
                Some("Python 3.9 in .travis.yml"),
                &[],
            ),
            // A Pipfile made on 3.8: the oldest supported is the nearest.
            (
                &[("Pipfile", "[requires]\npython_version = \"3.8\"\n")],
                Some("3.9"),
                Some("Python 3.8 in Pipfile; 3.9 is the oldest supported"),
                &[],
            ),
            // Outside the declared range: not preferred, and said.
            (
                &[
                    (
                        "pyproject.toml",
                        "[project]\nname = \"a\"\nrequires-python = \">=3.12\"\n",
                    ),
                    (".python-version", "3.11\n"),
                ],
                None,
                None,
                &[".python-version"],
            ),
            (
                &[("pyproject.toml", "[project]\nname = \"a\"\n")],
                None,
                None,
                &[],
            ),
            // Nothing stated: an old lock's binary-only package has no wheel for the newest.
            (
                &[
                    (
                        "pyproject.toml",
                        "[project]\nname = \"a\"\nrequires-python = \">=3.9\"\n",
                    ),
                    ("uv.lock", LOCK_WITHOUT_NEW_WHEELS),
                ],
                Some("3.11"),
                Some("uv.lock: `greenlet` has no wheel for 3.15"),
                &[],
            ),
            // A stated Python wins over the lock's wheels.
            (
                &[
                    (
                        "pyproject.toml",
                        "[project]\nname = \"a\"\nrequires-python = \">=3.9\"\n",
                    ),
                    ("uv.lock", LOCK_WITHOUT_NEW_WHEELS),
                    (".python-version", "3.10\n"),
                ],
                Some("3.10"),
                Some("Python 3.10 in .python-version"),
                &[],
            ),
        ];
        for (files, preferred, why, named) in rows {
            let inferred = infer(&Project::in_memory("app", files));
            assert_eq!(
                inferred
                    .get("python.preferred")
                    .as_ref()
                    .and_then(toml::Value::as_str),
                *preferred,
                "{files:?}"
            );
            assert_eq!(
                inferred.why("python.preferred").as_deref(),
                *why,
                "{files:?}"
            );
            let warned: Vec<&String> = inferred
                .warnings
                .iter()
                .filter(|warning| {
                    warning.contains("`python.preferred` follows")
                        || warning.contains("does not prefer it")
                })
                .collect();
            if named.is_empty() {
                assert!(warned.is_empty(), "{warned:?}");
            } else {
                assert_eq!(warned.len(), 1, "{warned:?}");
                for file in *named {
                    assert!(warned[0].contains(&format!("`{file}`")), "{warned:?}");
                }
            }
        }
    }

    #[test]
    fn requirement_files_follow_what_the_projects_ci_installs() {
        use super::tests::{infer_at, list, repo};
        let string = |text: &str| toml::Value::String(text.into());
        let drivers: &[(&str, &str)] = &[
            ("requirements/base.txt", "flask\n"),
            ("requirements/mysql.txt", "-r base.txt\nmysqlclient\n"),
            (
                "requirements/postgres.txt",
                "-r base.txt\npsycopg2-binary\n",
            ),
        ];
        // Without a pipeline naming one: every alternative at once (the old guess).
        let inferred = infer_at(repo(drivers).path());
        assert_eq!(
            inferred.get("deps.files").as_ref(),
            Some(&list(&[
                "requirements/mysql.txt",
                "requirements/postgres.txt"
            ]))
        );
        let mut files = drivers.to_vec();
        files.push((
            ".github/workflows/tests.yml",
            "jobs:\n  test:\n    steps:\n      - run: |\n          pip install -r requirements/postgres.txt\n          pip install pytest\n  docs:\n    steps:\n      - run: pip install -r docs/requirements.txt\n",
        ));
        files.push(("docs/requirements.txt", "sphinx\n"));
        let inferred = infer_at(repo(&files).path());
        assert_eq!(
            inferred.get("deps.files").as_ref(),
            Some(&list(&["requirements/postgres.txt"]))
        );
        assert_eq!(
            inferred.why("deps.files").as_deref(),
            Some("the requirement files .github/workflows/tests.yml installs")
        );
        assert_eq!(
            inferred.get("deps.source").as_ref(),
            Some(&string("requirements"))
        );
        // The files named for tests come along, installed apart or not.
        files.push(("requirements/test.txt", "pytest\n"));
        let inferred = infer_at(repo(&files).path());
        assert_eq!(
            inferred.get("deps.files").as_ref(),
            Some(&list(&[
                "requirements/postgres.txt",
                "requirements/test.txt"
            ]))
        );
        // A Dockerfile's choice, when no pipeline names one.
        let mut files = drivers.to_vec();
        files.push((
            "Dockerfile",
            "FROM python:3.12\nRUN pip install -r requirements/mysql.txt\n",
        ));
        let inferred = infer_at(repo(&files).path());
        assert_eq!(
            inferred.get("deps.files").as_ref(),
            Some(&list(&["requirements/mysql.txt"]))
        );
        // A file the pipeline names that is not in the repository is not an answer.
        let mut files = drivers.to_vec();
        files.push((
            ".gitlab-ci.yml",
            "test:\n  script:\n    - pip install -r ci/missing.txt\n",
        ));
        let inferred = infer_at(repo(&files).path());
        assert_eq!(
            inferred.why("deps.files").as_deref(),
            Some("requirements files")
        );
    }

    #[test]
    fn a_uv_compiled_file_with_hashes_is_installed_with_uv() {
        use super::tests::{infer_at, repo};
        let string = |text: &str| toml::Value::String(text.into());
        let compiled = "# This file was autogenerated by uv via the following command:\n#    uv pip compile --generate-hashes requirements.in -o requirements.txt\nattrs==25.1.0 \\\n    --hash=sha256:ab\nlib @ git+https://example.org/lib@abc\n";
        let inferred = infer_at(repo(&[("requirements.txt", compiled)]).path());
        assert_eq!(inferred.get("env.backend").as_ref(), Some(&string("uv")));
        assert_eq!(
            inferred.why("env.backend").as_deref(),
            Some("`requirements.txt` compiled by uv with hashes")
        );
        let pip_compiled = "#\n# This file is autogenerated by pip-compile with Python 3.12\n#\nattrs==25.1.0 \\\n    --hash=sha256:ab\n";
        let inferred = infer_at(repo(&[("requirements.txt", pip_compiled)]).path());
        assert_eq!(inferred.get("env.backend"), None);
    }
}
