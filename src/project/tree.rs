//! The repository's directory listings the facts need: the Python files a few levels deep
//! (for unittest discovery), the requirement files where projects keep them, and whether
//! `.github/workflows` holds a workflow. Listed through `Tree`, so facts can be built from
//! an in-memory tree in tests.

use std::path::Path;

use super::requirements;
use super::test_task::TestFile;
use crate::answers::check_repo_path;

/// What a directory entry is, symlinks followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    File,
    Dir,
    Other,
}

/// One entry of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// The name, lossily decoded when it is not UTF-8.
    pub(crate) name: String,
    pub(crate) utf8: bool,
    pub(crate) kind: Kind,
}

/// Why a directory could not be listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ListError {
    NotFound,
    /// Another failure: the error, naming the directory.
    Other(String),
}

/// A repository's directories, by repo-relative `/`-separated path (`""` is the root).
pub(crate) trait Tree {
    /// The entries of `dir`, in file-name order.
    fn list(&self, dir: &str) -> Result<Vec<Entry>, ListError>;
    /// Whether `path` is a regular file.
    fn is_file(&self, path: &str) -> bool;
    /// Whether anything is at `path`.
    fn exists(&self, path: &str) -> bool;
}

/// The repository on disk.
pub(crate) struct Disk<'a>(pub(crate) &'a Path);

impl Tree for Disk<'_> {
    fn list(&self, dir: &str) -> Result<Vec<Entry>, ListError> {
        let entries = fs_err::read_dir(self.0.join(dir)).map_err(|error| {
            if error.kind() == std::io::ErrorKind::NotFound {
                ListError::NotFound
            } else {
                ListError::Other(error.to_string())
            }
        })?;
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(fs_err::DirEntry::file_name);
        Ok(entries
            .into_iter()
            .map(|entry| {
                let path = entry.path();
                let kind = if path.is_file() {
                    Kind::File
                } else if path.is_dir() {
                    Kind::Dir
                } else {
                    Kind::Other
                };
                let name = entry.file_name();
                Entry {
                    name: name.to_string_lossy().into_owned(),
                    utf8: name.to_str().is_some(),
                    kind,
                }
            })
            .collect())
    }

    fn is_file(&self, path: &str) -> bool {
        self.0.join(path).is_file()
    }

    fn exists(&self, path: &str) -> bool {
        self.0.join(path).exists()
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// Directories no test lives in: tool state, environments, build output, documentation.
fn skipped_directory(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with(".egg-info")
        || matches!(
            name,
            "node_modules"
                | "build"
                | "dist"
                | "site-packages"
                | "__pycache__"
                | "docs"
                | "venv"
                | "env"
        )
}

/// The repository's Python files, a few levels deep, each with whether the directories
/// above it are packages; for `discover`.
pub(crate) fn python_files(tree: &dyn Tree) -> Vec<TestFile> {
    const DEPTH: usize = 5;
    const LIMIT: usize = 20_000;
    let mut files = Vec::new();
    // (directory from the root, packages innermost first)
    let mut pending = vec![(String::new(), Vec::new())];
    let mut seen = 0;
    while let Some((directory, packages)) = pending.pop() {
        let Ok(entries) = tree.list(&directory) else {
            continue;
        };
        for entry in entries {
            seen += 1;
            if seen > LIMIT {
                return files;
            }
            if !entry.utf8 {
                continue;
            }
            let name = entry.name;
            let relative = join(&directory, &name);
            if entry.kind == Kind::Dir {
                if packages.len() < DEPTH
                    && !skipped_directory(&name)
                    && !tree.exists(&join(&relative, "pyvenv.cfg"))
                {
                    let mut inner = vec![tree.is_file(&join(&relative, "__init__.py"))];
                    inner.extend(&packages);
                    pending.push((relative, inner));
                }
            } else if is_module(&name) {
                files.push(TestFile {
                    path: relative,
                    packages: packages.clone(),
                });
            }
        }
    }
    files
}

/// A Python module other than a package's `__init__.py`.
#[expect(
    clippy::case_sensitive_file_extension_comparisons,
    reason = "Python imports only lowercase `.py` files on every platform CI runs"
)]
fn is_module(name: &str) -> bool {
    name.ends_with(".py") && name != "__init__.py"
}

/// Requirement files where projects keep them — top-level `requirements*.txt`,
/// `*-requirements.txt` and `*_requirements.txt`, and `requirements/*.txt` — sorted; with a
/// warning for a directory that could not be listed.
pub(crate) fn requirement_candidates(tree: &dyn Tree) -> (Vec<String>, Vec<String>) {
    let mut candidates = Vec::new();
    let mut warnings = Vec::new();
    for dir in ["", "requirements"] {
        let entries = match tree.list(dir) {
            Ok(entries) => entries,
            // A repository `init` is about to create has nothing to say yet.
            Err(ListError::NotFound) => continue,
            Err(ListError::Other(error)) => {
                warnings.push(format!("cannot list the repository: {error}"));
                continue;
            }
        };
        candidates.extend(
            entries
                .into_iter()
                .filter(|entry| entry.kind == Kind::File && entry.utf8)
                .map(|entry| entry.name)
                .filter(|name| {
                    if dir.is_empty() {
                        requirements::is_top_level_name(name)
                    } else {
                        #[expect(
                            clippy::case_sensitive_file_extension_comparisons,
                            reason = "pip's convention is lowercase"
                        )]
                        let text_file = name.ends_with(".txt");
                        text_file
                    }
                })
                .map(|name| join(dir, &name))
                .filter(|path| check_repo_path(path).is_ok()),
        );
    }
    candidates.sort();
    (candidates, warnings)
}

/// A repository held in memory: its files by path, directories implied by them.
#[cfg(test)]
pub(crate) struct Memory {
    files: std::collections::BTreeSet<String>,
}

#[cfg(test)]
impl Memory {
    pub(crate) fn new(files: &[(&str, &str)]) -> Self {
        Self {
            files: files.iter().map(|(path, _)| (*path).to_string()).collect(),
        }
    }

    fn is_dir(&self, path: &str) -> bool {
        path.is_empty()
            || self
                .files
                .iter()
                .any(|file| file.starts_with(&format!("{path}/")))
    }
}

#[cfg(test)]
impl Tree for Memory {
    fn list(&self, dir: &str) -> Result<Vec<Entry>, ListError> {
        if !self.is_dir(dir) {
            return Err(ListError::NotFound);
        }
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let names: std::collections::BTreeSet<&str> = self
            .files
            .iter()
            .filter_map(|file| file.strip_prefix(&prefix))
            .map(|rest| rest.split('/').next().unwrap_or(rest))
            .collect();
        Ok(names
            .into_iter()
            .map(|name| {
                let path = join(dir, name);
                Entry {
                    name: name.to_string(),
                    utf8: true,
                    kind: if self.files.contains(&path) {
                        Kind::File
                    } else {
                        Kind::Dir
                    },
                }
            })
            .collect())
    }

    fn is_file(&self, path: &str) -> bool {
        self.files.contains(path)
    }

    fn exists(&self, path: &str) -> bool {
        self.is_file(path) || self.is_dir(path)
    }
}
