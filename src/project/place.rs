//! Where a project sits in its git repository: at the root, or in a subdirectory of a
//! monorepo (`backend/`, a uv workspace member), whose CI must still live at the root
//! (GitHub and GitLab read pipelines only there) and run inside the subdirectory.

use std::path::{Path, PathBuf};

use super::tree::{Kind, Tree};

/// A project's directory relative to the root of the git repository holding it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Place {
    /// The git repository's root; `None` when the project is that root or is in no git
    /// repository (its own directory is then the root).
    pub(crate) root: Option<PathBuf>,
    /// The project's directory from that root, `/`-separated (`services/api`); empty at
    /// the root.
    pub(crate) dir: String,
}

impl Place {
    /// Where `repo` sits: the nearest ancestor holding `.git` (a directory, or the file of
    /// a worktree or submodule) is the root.
    pub(crate) fn find(repo: &Path) -> Self {
        let Ok(absolute) = fs_err::canonicalize(repo) else {
            return Self::default();
        };
        let Some(root) = absolute
            .ancestors()
            .find(|dir| dir.join(".git").exists())
            .filter(|root| *root != absolute)
        else {
            return Self::default();
        };
        let dir = absolute
            .strip_prefix(root)
            .map(|relative| {
                relative
                    .components()
                    .map(|part| part.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .unwrap_or_default();
        Self::below(root.to_path_buf(), dir)
    }

    /// The project in `dir` below `root`; at the root itself when `dir` is empty.
    pub(crate) fn below(root: PathBuf, dir: String) -> Self {
        if dir.is_empty() {
            Self::default()
        } else {
            Self {
                root: Some(root),
                dir,
            }
        }
    }

    /// Whether the project is in a subdirectory of its repository.
    pub(crate) fn is_below(&self) -> bool {
        !self.dir.is_empty()
    }

    /// The path from the project's directory up to the repository root: `../../` for
    /// `services/api`, empty at the root.
    pub(crate) fn up(&self) -> String {
        "../".repeat(self.dir.split('/').filter(|part| !part.is_empty()).count())
    }

    /// The project's directory as one name, to tell its pipeline file and jobs from the
    /// other projects' (`services-api`).
    pub(crate) fn slug(&self) -> String {
        self.dir
            .chars()
            .map(|character| {
                if character.is_ascii_alphanumeric() || matches!(character, '-' | '_' | '.') {
                    character.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect()
    }

    /// `path`, relative to the project's directory, as a path from the repository root:
    /// `backend/requirements.txt`, and `uv.lock` for `backend/../uv.lock`.
    pub(crate) fn root_path(&self, path: &str) -> String {
        let mut parts: Vec<&str> = self
            .dir
            .split('/')
            .filter(|part| !part.is_empty())
            .collect();
        for part in path.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                part => parts.push(part),
            }
        }
        parts.join("/")
    }

    /// Where a CI file at `path` (relative to the repository root, as a provider names it)
    /// goes, relative to the project's directory: at the root, and named for the project
    /// when the provider's file is pybootstrap's own (`pybootstrap.yml` becomes
    /// `pybootstrap-backend.yml`), so that every project of a monorepo has its own.
    pub(crate) fn ci_path(&self, path: &str) -> String {
        if !self.is_below() {
            return path.to_string();
        }
        let (parent, name) = path.rsplit_once('/').unwrap_or(("", path));
        let name = match name
            .strip_prefix("pybootstrap")
            .and_then(|rest| rest.strip_suffix(".yml"))
        {
            Some("") => format!("pybootstrap-{}.yml", self.slug()),
            _ => name.to_string(),
        };
        let parent = if parent.is_empty() {
            String::new()
        } else {
            format!("{parent}/")
        };
        format!("{}{parent}{name}", self.up())
    }
}

/// The files that make a directory a Python project of its own (beside any
/// `requirements*.txt` and a `requirements/` directory).
const PROJECT_FILES: &[&str] = &[
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "Pipfile",
    "tox.ini",
    "noxfile.py",
    "hatch.toml",
    "manage.py",
];

/// Directories that hold no project of their own, whatever files they have: tooling,
/// documentation and test data, dependencies (vendored ones too) and environments.
const NOT_PROJECTS: &[&str] = &[
    "node_modules",
    "vendor",
    "third_party",
    "third-party",
    "external",
    "docs",
    "doc",
    "tests",
    "test",
    "examples",
    "example",
    "site-packages",
    "venv",
    "env",
];

/// Whether the directory `dir` of `tree` (`""`: its top) is a Python project.
pub(crate) fn is_project(tree: &dyn Tree, dir: &str) -> bool {
    let join = |name: &str| {
        if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        }
    };
    let requirements = tree.list(dir).is_ok_and(|entries| {
        entries.iter().any(|entry| {
            let name = entry.name.as_str();
            match entry.kind {
                Kind::File => {
                    name.contains("requirements")
                        && Path::new(name)
                            .extension()
                            .is_some_and(|extension| extension.eq_ignore_ascii_case("txt"))
                }
                Kind::Dir => name == "requirements",
                Kind::Other => false,
            }
        })
    });
    requirements || PROJECT_FILES.iter().any(|name| tree.is_file(&join(name)))
}

/// The Python projects below the top of `tree`, one and two levels down (`backend`,
/// `services/api`), for a repository whose top is none; a project's own subdirectories
/// are its, not projects of their own.
pub(crate) fn projects_below(tree: &dyn Tree) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending: Vec<(String, usize)> = vec![(String::new(), 0)];
    while let Some((dir, depth)) = pending.pop() {
        let Ok(entries) = tree.list(&dir) else {
            continue;
        };
        for entry in entries {
            let skipped = entry.kind != Kind::Dir
                || !entry.utf8
                || entry.name.starts_with('.')
                || NOT_PROJECTS.contains(&entry.name.as_str());
            if skipped {
                continue;
            }
            let path = if dir.is_empty() {
                entry.name.clone()
            } else {
                format!("{dir}/{}", entry.name)
            };
            // An environment someone made inside the repository is nobody's project.
            if tree.exists(&format!("{path}/pyvenv.cfg")) {
                continue;
            }
            if is_project(tree, &path) {
                found.push(path);
            } else if depth + 1 < 2 {
                pending.push((path, depth + 1));
            }
        }
    }
    found.sort();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::tree::Memory;

    #[test]
    fn projects_below_a_top_that_is_none() {
        let tree = Memory::new(&[
            ("README.md", ""),
            ("backend/pyproject.toml", ""),
            ("backend/app/sub/setup.py", ""),
            ("frontend/package.json", ""),
            ("services/api/requirements.txt", ""),
            ("services/worker/Pipfile", ""),
            ("services/web/src/index.ts", ""),
            ("docs/requirements.txt", ""),
            ("vendor/requirements.txt", ""),
            ("third_party/lib/setup.py", ""),
            (".venv/pyvenv.cfg", ""),
            ("env2/pyvenv.cfg", ""),
            ("env2/setup.py", ""),
            ("deep/a/b/pyproject.toml", ""),
        ]);
        assert_eq!(
            projects_below(&tree),
            ["backend", "services/api", "services/worker"]
        );
        assert!(!is_project(&tree, ""));
        assert!(is_project(&tree, "backend"));
        let top = Memory::new(&[("pyproject.toml", ""), ("backend/setup.py", "")]);
        assert!(is_project(&top, ""));
        // A top with only test requirements, tox or a requirements/ directory is one.
        for file in [
            "requirements-dev.txt",
            "test-requirements.txt",
            "requirements/test.txt",
            "tox.ini",
            "manage.py",
        ] {
            let top = Memory::new(&[(file, ""), ("backend/setup.py", "")]);
            assert!(is_project(&top, ""), "{file}");
        }
        let top = Memory::new(&[("README.txt", ""), ("backend/setup.py", "")]);
        assert!(!is_project(&top, ""));
    }

    #[test]
    fn a_subdirectory_is_found_below_the_git_root() {
        let directory = tempfile::tempdir().expect("temp dir");
        let root = directory.path();
        fs_err::create_dir_all(root.join(".git")).expect("git dir");
        fs_err::create_dir_all(root.join("services/api")).expect("project dir");
        let place = Place::find(&root.join("services/api"));
        assert_eq!(place.dir, "services/api");
        assert_eq!(
            place.root.as_deref(),
            Some(fs_err::canonicalize(root).expect("canonical").as_path())
        );
        assert_eq!(place.up(), "../../");
        assert_eq!(place.slug(), "services-api");
        assert_eq!(Place::find(root), Place::default());
        // No git repository: the project's directory is its own root.
        let loose = tempfile::tempdir().expect("temp dir");
        fs_err::create_dir_all(loose.path().join("backend")).expect("dir");
        assert_eq!(Place::find(&loose.path().join("backend")), Place::default());
    }

    #[test]
    fn ci_files_go_to_the_root_named_for_the_project() {
        let place = Place::below(PathBuf::from("/repo"), "backend".into());
        assert_eq!(
            place.ci_path(".github/workflows/pybootstrap.yml"),
            "../.github/workflows/pybootstrap-backend.yml"
        );
        assert_eq!(place.ci_path(".gitlab-ci.yml"), "../.gitlab-ci.yml");
        assert_eq!(
            place.root_path("requirements/test.txt"),
            "backend/requirements/test.txt"
        );
        assert_eq!(place.root_path("../uv.lock"), "uv.lock");
        assert_eq!(Place::default().root_path("./Pipfile"), "Pipfile");
        assert_eq!(
            place.ci_path(".gitlab/pybootstrap-ci.yml"),
            "../.gitlab/pybootstrap-ci.yml"
        );
        let root = Place::default();
        assert_eq!(
            root.ci_path(".github/workflows/pybootstrap.yml"),
            ".github/workflows/pybootstrap.yml"
        );
        assert_eq!(root.up(), "");
    }
}
