//! What the repository declares and already holds, read once into typed facts by one small
//! reader per file kind (a malformed file is a warning for the caller, never a failure); the
//! decisions that use them (the CI providers of `crate::ci`, `plan::placement`, the inferred
//! answers, the render) are pure functions of `Project`.

pub(crate) mod ci;
pub(crate) mod django;
pub(crate) mod docs;
pub(crate) mod files;
pub(crate) mod hatch;
pub(crate) mod installs;
pub(crate) mod invoke;
pub(crate) mod justfile;
pub(crate) mod lint_tools;
pub(crate) mod lock_wheels;
pub(crate) mod makefile;
pub(crate) mod package;
pub(crate) mod pdm;
pub(crate) mod pipenv;
pub(crate) mod place;
pub(crate) mod poe;
pub(crate) mod poetry;
pub(crate) mod python_pins;
pub(crate) mod requirements;
pub(crate) mod service_code;
pub(crate) mod services;
pub(crate) mod setup_cfg;
pub(crate) mod setup_py;
pub(crate) mod task_extras;
pub(crate) mod task_sources;
pub(crate) mod tasks;
pub(crate) mod test_dirs;
pub(crate) mod test_steps;
pub(crate) mod test_task;
pub(crate) mod tox;
pub(crate) mod tree;
pub(crate) mod uv_workspace;

use std::path::{Component, Path};

use crate::ci::Location;

pub(crate) use makefile::Makefile;

use crate::python::ini::Ini;
use files::{RepoFiles, TomlFile};
use hatch::HatchEnv;
use test_task::TestFile;
use tox::{ToxEnv, ToxFile};
use tree::Tree as _;

/// The files at the top of a repository whose text the facts come from.
const TEXT_FILES: &[&str] = &[
    "pyproject.toml",
    "hatch.toml",
    "tox.ini",
    "tox.toml",
    "setup.cfg",
    "setup.py",
    ".python-version",
    "Makefile",
    "noxfile.py",
    "Justfile",
    "justfile",
    "tasks.py",
    ".ruff.toml",
    "ruff.toml",
    "mkdocs.yml",
    "mkdocs.yaml",
    "manage.py",
    "runtests.py",
    "pytest.ini",
    "Pipfile.lock",
    "uv.lock",
    "poetry.lock",
];

/// The files whose presence alone is a fact.
const MARKER_FILES: &[&str] = &[
    "uv.lock",
    "poetry.lock",
    "pdm.lock",
    "setup.py",
    "setup.cfg",
    "pytest.ini",
    "conftest.py",
    ".flake8",
    ".isort.cfg",
    ".pre-commit-config.yaml",
    ".ruff.toml",
    "ruff.toml",
    "docs/conf.py",
    "doc/conf.py",
    "docs/source/conf.py",
    "doc/source/conf.py",
];

/// The facts read from a repository.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Project {
    /// The name of the repository's directory (of its canonical path): the project name
    /// when nothing else gives one.
    pub(crate) directory_name: String,
    /// The text of every file read: the top-level configuration files, the requirement
    /// files and the files they pull in with `-r`/`-c`.
    pub(crate) files: RepoFiles,
    /// `pyproject.toml`, parsed.
    pub(crate) pyproject: TomlFile,
    /// `hatch.toml`, parsed.
    pub(crate) hatch_toml: TomlFile,
    /// `setup.cfg`, read; `None` when it is absent or unreadable.
    pub(crate) setup_cfg: Option<Result<setup_cfg::SetupCfg, String>>,
    /// `tox.ini`, parsed; `None` when it is absent or unreadable.
    pub(crate) tox_ini: Option<Result<Ini, String>>,
    /// tox's test environment and the file declaring it.
    pub(crate) tox: Result<Option<(ToxFile, ToxEnv)>, String>,
    /// Hatch's test environment and the file declaring it.
    pub(crate) hatch: Result<Option<(&'static str, HatchEnv)>, String>,
    /// The requirement files where projects keep them (`requirements*.txt`,
    /// `requirements/*.txt`), sorted.
    pub(crate) requirement_candidates: Vec<String>,
    /// Directories that could not be listed while looking for requirement files.
    pub(crate) listing_warnings: Vec<String>,
    /// The Python files a few levels deep, for unittest discovery.
    pub(crate) python_files: Vec<TestFile>,
    /// The documentation trees Sphinx or MkDocs build.
    pub(crate) docs: Vec<docs::DocsTree>,
    /// How a Django project runs its tests.
    pub(crate) django: django::Django,
    /// The directories the CI makes before the tests (`mkdir data`) that a checkout lacks.
    pub(crate) test_dirs: Vec<String>,
    /// What pipenv's `Pipfile` and its lock say; `None` without a `Pipfile`.
    pub(crate) pipenv: Option<pipenv::Pipenv>,
    /// The CPython minors the files of an application name (`.python-version`,
    /// `runtime.txt`, the `Dockerfile`, ...), in the order they are trusted.
    pub(crate) python_pins: Vec<python_pins::Pin>,
    /// Where the project sits in its git repository (a monorepo's `backend/`).
    pub(crate) place: place::Place,
    /// The `uv.lock` of the uv workspace a project below the repository root is a member
    /// of, from the project's directory (`../uv.lock`): uv locks a workspace at its root.
    pub(crate) workspace_lock: Option<String>,
    /// The members of the virtual uv workspace whose root the project is (`[tool.uv.workspace]`
    /// and no `[project]`), which the root's one environment holds; `None` elsewhere.
    pub(crate) uv_members: Option<uv_workspace::Members>,
    /// The requirement files the project's own pipelines install, else its `Dockerfile`'s
    /// (relative to the project, existing ones only), with the file that installs them.
    pub(crate) installed_files: Option<(String, Vec<String>)>,
    /// The makefile `make` reads here (`GNUmakefile`, `makefile`, else `Makefile`): the
    /// one pybootstrap's block goes into.
    pub(crate) makefile_name: &'static str,
    /// What the repo already has that generated files must fit around.
    pub(crate) existing: Existing,
    /// The texts of a Django project's modules that may be its settings (they set
    /// `DATABASES` or star-import another), by project-relative path: where the services
    /// the tests need are read when the CI says nothing.
    pub(crate) settings_files: Vec<(String, String)>,
    /// The compose files found, by path as shown (from the repository root).
    pub(crate) compose_files: Vec<(String, String)>,
}

/// The settings module a test command names: `--settings=x.y`, `--ds=x.y` or
/// `DJANGO_SETTINGS_MODULE=x.y`.
fn settings_option(command: &str) -> Option<String> {
    command.split_whitespace().find_map(|word| {
        ["--settings=", "--ds=", "DJANGO_SETTINGS_MODULE="]
            .iter()
            .find_map(|prefix| word.strip_prefix(prefix))
            .map(|module| module.trim_matches(['"', '\'']).to_string())
            .filter(|module| !module.is_empty())
    })
}

/// Files the repo had before pybootstrap (or beside its blocks) that it must not break.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Existing {
    /// The user's own `Makefile` lines (outside pybootstrap's block), when there is one.
    pub(crate) makefile: Option<Makefile>,
    /// What each CI provider made of the repo's own pipelines.
    pub(crate) ci: crate::ci::Own,
}

impl Project {
    /// Reads the facts of the repository at `repo`; a file it cannot read is a warning where
    /// a fact needs it, or a file it does not have (the write that follows reports the error
    /// with its path).
    pub(crate) fn read(repo: &Path) -> Self {
        // `.` or a relative path has no useful file name until it is made absolute.
        let absolute = fs_err::canonicalize(repo).unwrap_or_else(|_| repo.to_path_buf());
        let directory_name = absolute
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let disk = tree::Disk(repo);
        let mut files = RepoFiles::default();
        for name in TEXT_FILES.iter().copied().chain(python_pins::files()) {
            files.read(repo, name);
        }
        for name in MARKER_FILES {
            files.stat(repo, name);
        }
        let (requirement_candidates, listing_warnings) = tree::requirement_candidates(&disk);
        let makefile_name = makefile_name(&disk);
        files.read(repo, makefile_name);
        let mut project = Self::from_files(directory_name, files, requirement_candidates);
        project.makefile_name = makefile_name;
        project.listing_warnings = listing_warnings;
        project.python_files = tree::python_files(&disk);
        project.place = place::Place::find(repo);
        if let Some(root) = &project.place.root
            && !project.files.is_file("uv.lock")
            && root.join("uv.lock").is_file()
        {
            project.workspace_lock = Some(format!("{}uv.lock", project.place.up()));
        }
        project.uv_members = project
            .pyproject
            .table()
            .and_then(|pyproject| uv_workspace::Members::read(pyproject, &disk));
        // Pipelines live at the repository root, whatever directory the project is in.
        let ci_root = project
            .place
            .root
            .clone()
            .unwrap_or_else(|| repo.to_path_buf());
        let ci_root = ci_root.as_path();
        for provider in crate::ci::providers() {
            for location in provider.locations() {
                if let Location::File(path) = location {
                    project.files.read(ci_root, path);
                    project.files.stat(ci_root, path);
                }
            }
        }
        project.installed_files = project.installed_files(&tree::Disk(ci_root), ci_root, repo);
        if let Some((_, files)) = &project.installed_files {
            project.read_requirement_files(repo, &files.clone());
        }
        let tox_files = project.tox_requirement_files();
        project.read_requirement_files(repo, &project.requirement_candidates.clone());
        project.read_requirement_files(repo, &tox_files);
        // Only files of the repository: a step's `/usr/bin/x` or `../x` is not its code.
        let reader = |base: &'_ Path| {
            let base = base.to_path_buf();
            move |path: &str| -> Option<String> {
                let inside = Path::new(path)
                    .components()
                    .all(|component| matches!(component, Component::Normal(_) | Component::CurDir));
                inside
                    .then(|| fs_err::read_to_string(base.join(path)).ok())
                    .flatten()
            }
        };
        let read = reader(repo);
        let read_at_root = reader(ci_root);
        let root_disk = tree::Disk(ci_root);
        let pipelines = django::pipelines(&disk, &read);
        project.django = django::read(
            &project.files,
            &project.python_files,
            project.pyproject.table(),
            &pipelines,
            &read,
        );
        project.test_dirs = test_dirs::read(&pipelines, &|dir| disk.exists(dir));
        project.existing = Existing {
            makefile: project
                .files
                .text(makefile_name)
                .ok()
                .flatten()
                .map(|text| Makefile::read(repo, makefile_name, text)),
            ci: project.own_pipelines(&root_disk, &read_at_root),
        };
        project.add_ci_pins();
        project.read_service_files(repo, ci_root, &read);
        project
    }

    /// The Django settings modules and the compose files, read for `services`.
    fn read_service_files(
        &mut self,
        repo: &Path,
        ci_root: &Path,
        read: &dyn Fn(&str) -> Option<String>,
    ) {
        if self.django.manage_py.is_some() || self.django.runtests || self.django.pytest_settings {
            // A test settings module need not be named for settings (`config/local.py`):
            // every module that sets `DATABASES` or star-imports another is kept.
            self.settings_files = self
                .python_files
                .iter()
                .take(4000)
                .filter_map(|file| {
                    let text = read(&file.path)?;
                    (text.contains("DATABASES") || text.contains("import *"))
                        .then(|| (file.path.clone(), text))
                })
                .collect();
        }
        let below = repo != ci_root;
        for name in service_code::COMPOSE_FILES {
            if let Ok(text) = fs_err::read_to_string(repo.join(name)) {
                let shown = format!(
                    "{}{name}",
                    if below {
                        self.place.dir.clone() + "/"
                    } else {
                        String::new()
                    }
                );
                self.compose_files.push((shown, text));
            }
        }
        if below {
            for name in service_code::COMPOSE_FILES {
                if let Ok(text) = fs_err::read_to_string(ci_root.join(name)) {
                    self.compose_files.push(((*name).to_string(), text));
                }
            }
        }
    }

    /// The services the tests need, and where that was read: the job of the project's own
    /// CI that runs the tests, else its Django test settings (the `--settings`/`--ds` of
    /// `test_command` first), else a compose file. `None`: none, or nothing certain.
    pub(crate) fn services(&self, test_command: &str) -> Option<services::Needs> {
        if let Some(needs) = self
            .existing
            .ci
            .iter()
            .find_map(|(_, facts)| facts.services.clone())
        {
            return Some(needs);
        }
        let compose = service_code::compose(&self.compose_files);
        if !self.settings_files.is_empty() {
            let read = |path: &str| {
                self.settings_files
                    .iter()
                    .find(|(name, _)| name == path)
                    .map(|(_, text)| text.clone())
            };
            let named = settings_option(test_command)
                .or_else(|| self.django.test_settings.clone())
                .or_else(|| self.django.manage_py.as_ref()?.settings.clone());
            let (modules, known) = match named {
                Some(module) => (vec![module], true),
                None => (
                    self.settings_files
                        .iter()
                        .filter(|(path, _)| path.contains("settings"))
                        .map(|(path, _)| {
                            let module = path.trim_end_matches(".py").trim_end_matches("/__init__");
                            module.replace('/', ".")
                        })
                        .collect(),
                    false,
                ),
            };
            let found = compose
                .as_ref()
                .map(|compose| compose.services.as_slice())
                .unwrap_or_default();
            match service_code::django(&modules, known, &read, found) {
                service_code::Verdict::Server(needs) => return Some(needs),
                service_code::Verdict::NoServer => return None,
                service_code::Verdict::Unclear => {}
            }
        }
        let compose = compose?;
        Some(services::Needs {
            source: services::Source::Compose { path: compose.path },
            services: compose.services,
            variables: compose.variables,
            left_out: compose.left_out,
            unknown: Vec::new(),
            local_only: false,
        })
    }

    /// The Python the repository's own pipelines set up, trusted after its files' pins.
    fn add_ci_pins(&mut self) {
        let pins = self.existing.ci.iter().filter_map(|(name, facts)| {
            facts.python.map(|(minor, newest)| python_pins::Pin {
                source: facts.detected.unwrap_or(name),
                minor,
                newest,
            })
        });
        self.python_pins.extend(pins);
    }

    /// The facts that follow from the files read and the requirement files found; the
    /// caller adds what the other listings say.
    fn from_files(
        directory_name: String,
        files: RepoFiles,
        requirement_candidates: Vec<String>,
    ) -> Self {
        let pyproject = TomlFile::parse(&files, "pyproject.toml");
        let hatch_toml = TomlFile::parse(&files, "hatch.toml");
        let tox_toml = TomlFile::parse(&files, "tox.toml");
        let setup_cfg = files.text("setup.cfg").ok().flatten().map(setup_cfg::read);
        let tox_ini = files
            .text("tox.ini")
            .ok()
            .flatten()
            .map(|text| crate::python::ini::parse(text).map_err(|error| error.to_string()));
        let docs = docs::read(&files);
        let python_pins = python_pins::read(&files);
        Self {
            pipenv: pipenv::read(&files),
            directory_name,
            tox: tox::test_env(&files, tox_ini.as_ref(), &pyproject, &tox_toml),
            tox_ini,
            hatch: hatch::test_env_of(&hatch_toml, &pyproject),
            hatch_toml,
            setup_cfg,
            pyproject,
            files,
            requirement_candidates,
            listing_warnings: Vec::new(),
            python_files: Vec::new(),
            docs,
            django: django::Django::default(),
            test_dirs: Vec::new(),
            python_pins,
            place: place::Place::default(),
            workspace_lock: None,
            uv_members: None,
            installed_files: None,
            makefile_name: "Makefile",
            existing: Existing::default(),
            settings_files: Vec::new(),
            compose_files: Vec::new(),
        }
    }

    /// Whether the project builds as a package pip can install.
    pub(crate) fn build(&self) -> package::Build {
        package::build(package::Files {
            pyproject: self.pyproject.table(),
            has_pyproject: !matches!(self.pyproject, TomlFile::Missing),
            setup_py: self.files.text("setup.py").ok().flatten(),
            setup_cfg: self.setup_cfg.as_ref().and_then(|cfg| cfg.as_ref().ok()),
        })
    }

    /// The parsed `pyproject.toml`, when it is there and valid.
    pub(crate) fn pyproject(&self) -> Option<&toml::Table> {
        self.pyproject.table()
    }

    /// What each CI provider makes of the repository's own pipelines, found in `tree`;
    /// `read` reads a repository file (a pipeline, or a file its steps run).
    fn own_pipelines(
        &self,
        tree: &dyn tree::Tree,
        read: &dyn Fn(&str) -> Option<String>,
    ) -> crate::ci::Own {
        let judge = ci::Judge {
            files: read,
            root: ci::RootTables {
                pyproject: self.pyproject.table(),
                hatch: self.hatch_toml.table(),
            },
        };
        let find = |location| match location {
            Location::File(path) if self.files.is_file(path) => {
                let text = self.files.text(path).ok().flatten();
                vec![(path.to_string(), text.map(ToString::to_string))]
            }
            Location::File(_) => Vec::new(),
            Location::Dir(dir) => {
                let entries = tree.list(dir).unwrap_or_default();
                let yaml = |name: &str| {
                    Path::new(name).extension().is_some_and(|ext| {
                        ext.eq_ignore_ascii_case("yml") || ext.eq_ignore_ascii_case("yaml")
                    })
                };
                entries
                    .into_iter()
                    .filter(|entry| entry.kind == tree::Kind::File && yaml(&entry.name))
                    .map(|entry| {
                        let path = format!("{dir}/{}", entry.name);
                        let text = read(&path);
                        (path, text)
                    })
                    .collect()
            }
        };
        let others = crate::ci::others::FILES
            .iter()
            .filter(|(path, _)| tree.is_file(path))
            .filter(|(path, syntax)| {
                read(path).is_some_and(|text| crate::ci::others::runs_tests(&text, *syntax, &judge))
            })
            .map(|(path, _)| (*path).to_string())
            .collect();
        crate::ci::Own::read(crate::ci::providers(), find, &judge).with_others(others)
    }

    /// The requirement files the pipelines at `ci_root` install (pybootstrap's own left
    /// out), else the ones `repo`'s `Dockerfile` installs; only files there are in `repo`.
    fn installed_files(
        &self,
        root: &dyn tree::Tree,
        ci_root: &Path,
        repo: &Path,
    ) -> Option<(String, Vec<String>)> {
        let mut pipelines: Vec<String> = Vec::new();
        for provider in crate::ci::providers() {
            for location in provider.locations() {
                match location {
                    Location::File(path) => pipelines.push((*path).to_string()),
                    Location::Dir(dir) => pipelines.extend(
                        root.list(dir)
                            .unwrap_or_default()
                            .into_iter()
                            .filter(|entry| {
                                entry.kind == tree::Kind::File
                                    && (installs::has_extension(&entry.name, "yml")
                                        || installs::has_extension(&entry.name, "yaml"))
                            })
                            .map(|entry| format!("{dir}/{}", entry.name)),
                    ),
                }
            }
        }
        let prefix = format!("{}/", self.place.dir);
        let in_project = |file: String| -> Option<String> {
            let file = match file.strip_prefix(&prefix) {
                Some(inside) if self.place.is_below() => inside.to_string(),
                _ => file,
            };
            let inside = Path::new(&file)
                .components()
                .all(|component| matches!(component, Component::Normal(_)));
            (inside && repo.join(&file).is_file()).then_some(file)
        };
        let named = |base: &Path, path: &str| -> Vec<String> {
            fs_err::read_to_string(base.join(path))
                .ok()
                .filter(|text| !text.starts_with(crate::ci::GENERATED))
                .map(|text| installs::requirement_files(&text))
                .unwrap_or_default()
                .into_iter()
                .filter_map(&in_project)
                .collect()
        };
        let mut sources = Vec::new();
        let mut files: Vec<String> = Vec::new();
        for pipeline in &pipelines {
            let mut found = named(ci_root, pipeline);
            // A pipeline that runs the tests through tox installs what tox's test
            // environment names too (bandersnatch's `TOXENV=py3` adds its S3 requirements),
            // or only that, when it installs tox alone.
            if fs_err::read_to_string(ci_root.join(pipeline))
                .is_ok_and(|text| installs::runs_tox(&text))
            {
                found.extend(
                    self.tox_requirement_files()
                        .into_iter()
                        .filter_map(&in_project),
                );
            }
            if !found.is_empty() {
                sources.push(pipeline.clone());
            }
            for file in found {
                if !files.contains(&file) {
                    files.push(file);
                }
            }
        }
        if files.is_empty() {
            files = named(repo, "Dockerfile");
            sources.push("Dockerfile".to_string());
        }
        (!files.is_empty()).then(|| (sources.join(", "), files))
    }

    /// The files tox's test environment names with `-r`/`-c`.
    fn tox_requirement_files(&self) -> Vec<String> {
        match &self.tox {
            Ok(Some((_, env))) => env.files.clone(),
            _ => Vec::new(),
        }
    }

    /// Reads the requirement files `paths` under `repo` and every file they pull in with
    /// `-r`/`-c`, as `requirements::nested` follows them, unless read already: the files
    /// the answers name are known only once the answers are.
    pub(crate) fn read_requirement_files(&mut self, repo: &Path, paths: &[String]) {
        let mut pending: Vec<String> = paths.to_vec();
        while let Some(path) = pending.pop() {
            if self.files.was_read(&path) {
                continue;
            }
            self.files.read(repo, &path);
            if let Ok(Some(text)) = self.files.text(&path) {
                pending.extend(
                    requirements::lines(text)
                        .into_iter()
                        .filter_map(|(_, line)| match line {
                            requirements::Line::Include { target } => {
                                requirements::resolve(&path, &target)
                            }
                            _ => None,
                        }),
                );
            }
        }
    }
}

/// The makefile `make` reads at the top of `tree`, by the names listed there.
fn makefile_name(tree: &dyn tree::Tree) -> &'static str {
    let entries = tree.list("").unwrap_or_default();
    let files = entries
        .iter()
        .filter(|entry| entry.kind == tree::Kind::File)
        .map(|entry| entry.name.as_str());
    makefile::name_make_reads(files)
}

#[cfg(test)]
impl Project {
    /// The facts of a repository holding `files` (path, text), built in memory.
    pub(crate) fn in_memory(directory_name: &str, files: &[(&str, &str)]) -> Self {
        let tree = tree::Memory::new(files);
        let mut read = RepoFiles::default();
        for (path, text) in files {
            read.insert(path, text);
        }
        let (requirement_candidates, listing_warnings) = tree::requirement_candidates(&tree);
        let mut project =
            Self::from_files(directory_name.to_string(), read, requirement_candidates);
        project.makefile_name = makefile_name(&tree);
        project.listing_warnings = listing_warnings;
        project.python_files = tree::python_files(&tree);
        let read = |path: &str| project.files.owned_text(path).ok().flatten();
        project.existing.ci = project.own_pipelines(&tree, &read);
        let pipelines = django::pipelines(&tree, &read);
        project.django = django::read(
            &project.files,
            &project.python_files,
            project.pyproject.table(),
            &pipelines,
            &read,
        );
        project.test_dirs = test_dirs::read(&pipelines, &|dir| tree.exists(dir));
        project.add_ci_pins();
        project.existing.makefile = project
            .files
            .text(project.makefile_name)
            .ok()
            .flatten()
            .map(Makefile::parse);
        project
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_files_are_read_with_what_they_pull_in() {
        let directory = tempfile::tempdir().expect("temp dir");
        let write = |path: &str, text: &str| {
            let path = directory.path().join(path);
            fs_err::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs_err::write(path, text).expect("write");
        };
        write("tox.ini", "[testenv]\ndeps = -r ci/tox.txt\n");
        write("ci/tox.txt", "-c ../constraints.txt\n");
        write("constraints.txt", "pytest<9\n");
        write("other/reqs.txt", "-r ../base/x.txt\n");
        write("base/x.txt", "attrs\n");
        let mut project = Project::read(directory.path());
        assert_eq!(
            project.files.text("ci/tox.txt"),
            Ok(Some("-c ../constraints.txt\n"))
        );
        assert_eq!(
            project.files.text("constraints.txt"),
            Ok(Some("pytest<9\n"))
        );
        // Named by answers only: read when the answers are known.
        assert!(!project.files.was_read("other/reqs.txt"));
        project.read_requirement_files(directory.path(), &["other/reqs.txt".to_string()]);
        assert_eq!(project.files.text("base/x.txt"), Ok(Some("attrs\n")));
        assert_eq!(project.files.text("missing.txt"), Ok(None));
    }
}
