//! Team template packs: a directory with `pack.toml` whose templates replace built-ins of
//! the same id (or extend them through `builtin/<id>`) and add files of their own; and the
//! checks that keep every output path inside the repository.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use serde::Deserialize;

use super::{Error, Group};

/// The file that makes a directory a pack.
pub use crate::source::PACK_FILE;

/// A loaded pack: its identity, the answers it presets or fixes, and its templates.
#[derive(Debug, Clone, PartialEq)]
pub struct Pack {
    pub dir: PathBuf,
    pub name: String,
    pub version: String,
    /// Dotted keys a repo may not change.
    pub fixed: Vec<String>,
    /// Answers in the shape of `pybootstrap.toml`.
    pub defaults: toml::Table,
    /// Template id → text, for every file of the pack but `pack.toml`.
    pub templates: BTreeMap<String, String>,
    /// Where the pack's own (non-built-in) templates are written.
    pub files: BTreeMap<String, PackOutput>,
    /// The git source and commit it was fetched at; `None` for a directory pack.
    pub origin: Option<PackOrigin>,
}

/// Where a git pack came from, as the lock records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackOrigin {
    /// The `templates` value, as written.
    pub source: String,
    pub commit: String,
}

/// Output settings of one of a pack's own templates (`[files."<id>"]` in `pack.toml`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackOutput {
    /// Repo-relative output path; the template id when absent.
    pub path: Option<String>,
    /// The group `regen --only` selects it by; `docs` when absent.
    pub group: Option<Group>,
    #[serde(default)]
    pub executable: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackManifest {
    name: String,
    version: String,
    #[serde(default)]
    fixed: Vec<String>,
    #[serde(default)]
    defaults: toml::Table,
    #[serde(default)]
    files: BTreeMap<String, PackOutput>,
}

impl Pack {
    /// Reads `dir/pack.toml` and every template file under `dir`.
    pub fn load(dir: &Path) -> Result<Self, Error> {
        let manifest_path = dir.join(PACK_FILE);
        let text = fs_err::read_to_string(&manifest_path).map_err(|source| Error::PackIo {
            path: manifest_path.clone(),
            source,
        })?;
        let manifest: PackManifest = toml::from_str(&text).map_err(|error| Error::Pack {
            path: manifest_path.clone(),
            reason: error.to_string(),
        })?;
        if manifest.name.trim().is_empty() {
            return Err(Error::Pack {
                path: manifest_path,
                reason: "`name` cannot be empty".into(),
            });
        }
        let mut templates = BTreeMap::new();
        collect_templates(dir, dir, &mut templates)?;
        for (id, output) in &manifest.files {
            if !templates.contains_key(id) {
                return Err(Error::Pack {
                    path: manifest_path,
                    reason: format!("`[files.\"{id}\"]` names no template of the pack"),
                });
            }
            check_relative_output(output.path.as_deref().unwrap_or(id))?;
        }
        Ok(Self {
            dir: dir.to_path_buf(),
            name: manifest.name,
            version: manifest.version,
            fixed: manifest.fixed,
            defaults: manifest.defaults,
            templates,
            files: manifest.files,
            origin: None,
        })
    }
}

fn collect_templates(
    root: &Path,
    dir: &Path,
    templates: &mut BTreeMap<String, String>,
) -> Result<(), Error> {
    let entries = fs_err::read_dir(dir).map_err(|source| Error::PackIo {
        path: dir.to_path_buf(),
        source,
    })?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::PackIo {
            path: dir.to_path_buf(),
            source,
        })?;
        paths.push(entry.path());
    }
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect_templates(root, &path, templates)?;
            continue;
        }
        let Ok(relative) = path.strip_prefix(root) else {
            continue;
        };
        let parts: Vec<String> = relative
            .components()
            .map(|part| part.as_os_str().to_string_lossy().into_owned())
            .collect();
        let id = parts.join("/");
        if id == PACK_FILE {
            continue;
        }
        let text = fs_err::read_to_string(&path).map_err(|source| Error::PackIo {
            path: path.clone(),
            source,
        })?;
        templates.insert(id, text);
    }
    Ok(())
}

/// The path rules that need no file system: those of an answer's repository path.
pub fn check_relative_output(path: &str) -> Result<(), Error> {
    crate::answers::check_repo_path(path).map_err(|problem| Error::OutputPath {
        path: path.to_string(),
        reason: problem.to_string(),
    })
}

/// Checks `path` for writing under `repo`: the rules above, and no existing directory or
/// file along the way that is a symlink resolving outside the repo.
pub fn check_output_path(repo: &Path, path: &str) -> Result<(), Error> {
    check_output_path_under(&canonical_root(repo)?, path)
}

/// `repo` with every symlink resolved, as `check_output_path_under` takes it.
pub fn canonical_root(repo: &Path) -> Result<PathBuf, Error> {
    fs_err::canonicalize(repo).map_err(|source| Error::PackIo {
        path: repo.to_path_buf(),
        source,
    })
}

/// `check_output_path` for a repository already resolved by `canonical_root`, so that
/// checking every file of a run resolves the repository once.
pub fn check_output_path_under(root: &Path, path: &str) -> Result<(), Error> {
    check_relative_output(path)?;
    let root = root.to_path_buf();
    let mut current = root.clone();
    for part in Path::new(path).components() {
        let Component::Normal(part) = part else {
            continue;
        };
        current.push(part);
        let Ok(metadata) = fs_err::symlink_metadata(&current) else {
            // Nothing exists from here on: the rest is created inside `current`'s parent.
            break;
        };
        if metadata.file_type().is_symlink() {
            let target = fs_err::canonicalize(&current).unwrap_or_default();
            if !target.starts_with(&root) {
                return Err(Error::OutputPath {
                    path: path.to_string(),
                    reason: format!(
                        "`{}` is a symlink that leads out of the repo",
                        current.strip_prefix(&root).unwrap_or(&current).display()
                    ),
                });
            }
            current = target;
        }
    }
    Ok(())
}
