//! Rendered files kept in the user's cache, so a repeat `regen --check` (or `regen`, or
//! `init --yes`) over the same answers parses no template.
//!
//! Rendering is a pure function of the templates (built-in and a pack's), the pack's output
//! table and the render context; an entry's key is a SHA-256 of all of them and the
//! binary's version (the built-ins by their digest, which `build.rs` takes). A missing, corrupt or foreign entry is a miss and a failed save is
//! ignored: the cache can make a run faster, never different. `PYBOOTSTRAP_NO_CACHE=1`
//! turns it off.
//!
//! An entry also keeps each file's text as the lock stores it (`crate::packed`), made when
//! the entry is saved: a warm `init` or `regen` then writes the lock without compressing.

use std::path::PathBuf;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{Pack, RenderedFile};

/// Entries kept; the least recently written go first. One entry is a repository's files
/// (tens of kB), and a user rarely has more than a few repositories with fresh answers.
const KEEP: usize = 64;

/// What an entry must match to be used, as a file name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Key(String);

impl Key {
    /// The key for rendering with these templates over `context` (the render context's
    /// `Debug` form, which holds the fields templates never see, e.g. where CI files go).
    /// `None` when the output may depend on more: a pack template that reads the
    /// environment.
    pub(super) fn new(pack: Option<&Pack>, context: &str) -> Option<Self> {
        let mut hash = Sha256::new();
        let mut field = |bytes: &[u8]| {
            hash.update((bytes.len() as u64).to_le_bytes());
            hash.update(bytes);
        };
        field(env!("CARGO_PKG_VERSION").as_bytes());
        field(env!("PYBOOTSTRAP_TEMPLATES_DIGEST").as_bytes());
        field(crate::packed::FORMAT.as_bytes());
        if let Some(pack) = pack {
            if pack.templates.values().any(|text| text.contains("get_env")) {
                return None;
            }
            for (id, text) in &pack.templates {
                field(id.as_bytes());
                field(text.as_bytes());
            }
            field(format!("{:?}", pack.files).as_bytes());
        }
        field(context.as_bytes());
        let digest = hash.finalize();
        Some(Self(
            digest.iter().map(|byte| format!("{byte:02x}")).collect(),
        ))
    }
}

#[derive(Serialize, Deserialize)]
struct Entry {
    key: String,
    files: Vec<RenderedFile>,
    /// Each file's contents packed for the lock, in the order of `files`.
    #[serde(default)]
    packed: Vec<String>,
}

/// `$XDG_CACHE_HOME/pybootstrap/render`, or the OS equivalent; `None` when turned off, and
/// in unit tests, which would otherwise share the user's cache (the CLI tests have their own).
fn dir() -> Option<PathBuf> {
    if cfg!(test) || std::env::var_os("PYBOOTSTRAP_NO_CACHE").is_some_and(|value| value != "0") {
        return None;
    }
    dirs::cache_dir().map(|dir| dir.join("pybootstrap").join("render"))
}

/// The files rendered before under `key`, if the cache holds them.
pub(super) fn load(key: &Key) -> Option<Vec<RenderedFile>> {
    let bytes = fs_err::read(dir()?.join(&key.0)).ok()?;
    let entry: Entry = serde_json::from_slice(&bytes).ok()?;
    if entry.key != key.0 {
        return None;
    }
    if entry.packed.len() == entry.files.len() {
        for (file, packed) in entry.files.iter().zip(entry.packed) {
            crate::packed::offer(&file.contents, packed);
        }
    }
    Some(entry.files)
}

/// Keeps `files` under `key`, then drops the oldest entries beyond `KEEP`.
pub(super) fn save(key: &Key, files: &[RenderedFile]) {
    let Some(dir) = dir() else { return };
    let entry = Entry {
        key: key.0.clone(),
        files: files.to_vec(),
        packed: files
            .iter()
            .map(|file| crate::packed::pack(&file.contents))
            .collect(),
    };
    let saved = fs_err::create_dir_all(&dir).is_ok()
        && tempfile::NamedTempFile::new_in(&dir)
            .ok()
            .and_then(|mut temp| {
                serde_json::to_writer(&mut temp, &entry).ok()?;
                temp.persist(dir.join(&key.0)).ok()
            })
            .is_some();
    if saved {
        prune(&dir);
    }
}

fn prune(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let modified = entry.metadata().ok()?.modified().ok()?;
            Some((modified, entry.path()))
        })
        .collect();
    if files.len() <= KEEP {
        return;
    }
    files.sort();
    for (_, path) in &files[..files.len() - KEEP] {
        let _ = fs_err::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    use super::super::builtin_templates;

    #[test]
    fn build_digest_is_the_embedded_templates() {
        let mut hash = Sha256::new();
        for (id, text) in builtin_templates() {
            for field in [id.as_bytes(), text.as_bytes()] {
                hash.update((field.len() as u64).to_le_bytes());
                hash.update(field);
            }
        }
        let digest: String = hash
            .finalize()
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        assert_eq!(digest, env!("PYBOOTSTRAP_TEMPLATES_DIGEST"));
    }
}
