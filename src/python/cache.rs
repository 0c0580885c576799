//! The per-user cache of interpreter facts, so a repeat `detect` starts no Python.
//!
//! An entry is valid while the invoked path, its real path, the real file's size and
//! modification time, and the `pyvenv.cfg` beside it are unchanged (a venv's `bin/python`
//! resolves to its base interpreter's file yet reports its own `sys.prefix`). The marker is
//! never cached. A corrupt or foreign cache file is ignored and rewritten, never an error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::python::probe::{Facts, PROBE_SCRIPT};

/// What must be unchanged for cached facts to stay true.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key {
    pub real_path: PathBuf,
    pub size: u64,
    pub modified_ns: u128,
    pub pyvenv_cfg: Option<(u64, u128)>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Entry {
    key: Key,
    facts: Facts,
    /// Modification times of the directories whose contents the facts describe (the
    /// stdlib: `ensurepip` arrives with `python3-venv`; pip's site directory: an upgrade),
    /// since those change without the interpreter file changing.
    directories: Vec<(PathBuf, u128)>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    /// A hash of the probe script: a new script asks new questions, so old answers go.
    probe: String,
    entries: BTreeMap<PathBuf, Entry>,
}

/// The cache, loaded once per run and saved once at the end when it changed.
pub struct Cache {
    file: Option<PathBuf>,
    read: bool,
    contents: CacheFile,
    changed: bool,
}

impl Cache {
    /// The user's cache (`$XDG_CACHE_HOME/pybootstrap`, or the OS equivalent). With
    /// `read` false (`--no-cache`) nothing is taken from it, but what is probed is still
    /// saved into it, beside the other entries.
    pub fn open(read: bool) -> Self {
        let file = dirs::cache_dir().map(|dir| dir.join("pybootstrap").join("interpreters.json"));
        let probe = probe_hash();
        let contents = file
            .as_ref()
            .and_then(|file| fs_err::read(file).ok())
            .and_then(|bytes| serde_json::from_slice::<CacheFile>(&bytes).ok())
            .filter(|cache| cache.probe == probe);
        Self {
            file,
            read,
            changed: contents.is_none(),
            contents: contents.unwrap_or(CacheFile {
                probe,
                entries: BTreeMap::new(),
            }),
        }
    }

    /// The cached facts for `invoked`, if its key and directories still match.
    pub fn get(&self, invoked: &Path, key: &Key) -> Option<Facts> {
        let entry = self.contents.entries.get(invoked).filter(|_| self.read)?;
        let unchanged = entry.key == *key
            && entry
                .directories
                .iter()
                .all(|(dir, modified)| modified_ns_of(dir) == Some(*modified));
        unchanged.then(|| entry.facts.clone())
    }

    pub fn insert(&mut self, invoked: PathBuf, key: Key, facts: Facts) {
        let directories = [Some(facts.stdlib.clone()), facts.pip_location.clone()]
            .into_iter()
            .flatten()
            .filter_map(|dir| Some((dir.clone(), modified_ns_of(&dir)?)))
            .collect();
        self.contents.entries.insert(
            invoked,
            Entry {
                key,
                facts,
                directories,
            },
        );
        self.changed = true;
    }

    /// Writes the cache atomically when it changed. Failing to cache is not worth an error.
    pub fn save(&self) -> Result<(), std::io::Error> {
        let Some(file) = self.file.as_ref().filter(|_| self.changed) else {
            return Ok(());
        };
        let dir = file.parent().unwrap_or(Path::new("."));
        fs_err::create_dir_all(dir)?;
        let mut temp = tempfile::NamedTempFile::new_in(dir)?;
        serde_json::to_writer(&mut temp, &self.contents)?;
        temp.persist(file).map_err(|err| err.error)?;
        Ok(())
    }
}

/// The key of the interpreter at `invoked`, or `None` when it cannot be read (then it is
/// probed and not cached).
pub fn key_for(invoked: &Path) -> Option<Key> {
    let real_path = fs_err::canonicalize(invoked).ok()?;
    let metadata = fs_err::metadata(&real_path).ok()?;
    let pyvenv_cfg = invoked
        .parent()
        .and_then(Path::parent)
        .map(|root| root.join("pyvenv.cfg"))
        .and_then(|cfg| fs_err::metadata(cfg).ok())
        .map(|meta| (meta.len(), modified_ns(&meta)));
    Some(Key {
        real_path,
        size: metadata.len(),
        modified_ns: modified_ns(&metadata),
        pyvenv_cfg,
    })
}

fn modified_ns_of(path: &Path) -> Option<u128> {
    fs_err::metadata(path)
        .ok()
        .map(|metadata| modified_ns(&metadata))
}

fn modified_ns(metadata: &std::fs::Metadata) -> u128 {
    metadata
        .modified()
        .ok()
        .and_then(|time| time.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |duration| duration.as_nanos())
}

fn probe_hash() -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(PROBE_SCRIPT.as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}
