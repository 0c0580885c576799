//! `pybootstrap.lock`: what pybootstrap wrote last time — the generator and pack versions,
//! the answers, and per file the hash of what was written and the *base* (the pure
//! template output), which is what lets `regen` tell hand edits from outdated files.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::answers::Answers;
use crate::plan::FilePlan;
use crate::plan::base::Base;
use crate::render::{Group, Placement};

pub(crate) const LOCK_FILE: &str = "pybootstrap.lock";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Lock {
    /// pybootstrap's version when the files were written.
    pub generator: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack: Option<PackStamp>,
    /// The answers the files were rendered from, to tell which answer changed.
    pub answers: Answers,
    #[serde(default, rename = "file")]
    pub files: Vec<LockedFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PackStamp {
    pub name: String,
    pub version: String,
    /// A git pack's `templates` value, as written; absent for a directory pack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The commit a git pack's ref resolved to: what every later run uses, offline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "StoredFile", into = "StoredFile")]
pub(crate) struct LockedFile {
    pub path: String,
    pub group: Group,
    pub placement: Placement,
    /// `sha256:` of the file (or block) as written, merged edits included.
    pub written: String,
    /// The template output it was rendered to, before any merge (`LockedFile::base`).
    base: Base,
}

impl LockedFile {
    pub(crate) fn new(
        path: String,
        group: Group,
        placement: Placement,
        written: String,
        base: String,
    ) -> Self {
        Self {
            path,
            group,
            placement,
            written,
            base: Base::text(base),
        }
    }

    /// The template output it was rendered to, before any merge; inflated from the lock on
    /// first use, and an error only then when the lock's copy is damaged.
    pub(crate) fn base(&self) -> Result<&str, LockError> {
        self.base.get(&self.path)
    }
}

/// A `[[file]]` entry as the lock stores it: the base deflated and in base64
/// (`base_deflate`), which makes the lock a quarter of the size of the text. A lock from
/// before holds the text itself (`base`), and still reads.
#[derive(Serialize, Deserialize)]
struct StoredFile {
    path: String,
    group: Group,
    #[serde(with = "placement_name")]
    placement: Placement,
    written: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    base: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    base_deflate: Option<String>,
}

impl From<LockedFile> for StoredFile {
    fn from(file: LockedFile) -> Self {
        Self {
            path: file.path,
            group: file.group,
            placement: file.placement,
            written: file.written,
            base: None,
            base_deflate: Some(file.base.to_packed()),
        }
    }
}

impl TryFrom<StoredFile> for LockedFile {
    type Error = String;
    fn try_from(stored: StoredFile) -> Result<Self, String> {
        let base = match (stored.base, stored.base_deflate) {
            (Some(text), None) => Base::text(text),
            (None, Some(packed)) => Base::packed(packed),
            _ => {
                return Err(format!(
                    "`{}`: one of `base` and `base_deflate` is needed",
                    stored.path
                ));
            }
        };
        Ok(Self {
            path: stored.path,
            group: stored.group,
            placement: stored.placement,
            written: stored.written,
            base,
        })
    }
}

/// A lock that cannot be used.
#[derive(Debug, thiserror::Error)]
pub(crate) enum LockError {
    #[error("failed to read `{}`", path.display())]
    Read {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("`{}` is damaged: {message}", path.display())]
    Parse {
        path: std::path::PathBuf,
        message: String,
    },
    #[error(
        "`{}`: `generator`: `{generator}` is not a version this pybootstrap reads (a newer pybootstrap wrote it; this is `{}`)",
        path.display(),
        env!("CARGO_PKG_VERSION")
    )]
    Newer {
        path: std::path::PathBuf,
        generator: String,
    },
}

impl LockError {
    /// The `hint:` line printed under the error.
    pub(crate) fn hint(&self) -> String {
        match self {
            Self::Newer { generator, .. } => format!(
                "upgrade pybootstrap to `{generator}` or later (`cargo install --locked pybootstrap`, `pipx upgrade pybootstrap-cli`)"
            ),
            Self::Read { .. } | Self::Parse { .. } => "restore it from version control, or delete it and run `pybootstrap regen` (files that differ from the render are then refused until `--force`)".into(),
        }
    }
}

/// Just the `generator` of a lock, read before the rest: a newer pybootstrap's lock may hold
/// answers this one cannot read, and "damaged" would send the user the wrong way.
#[derive(Deserialize)]
struct Generator {
    generator: Option<String>,
}

/// `major.minor.patch` as numbers (a pre-release suffix ignored), to compare with ours.
fn release_numbers(version: &str) -> Vec<u64> {
    version
        .split(['-', '+'])
        .next()
        .unwrap_or_default()
        .split('.')
        .map(|part| part.parse().unwrap_or(0))
        .collect()
}

impl Lock {
    /// The lock in `text`, read from `path`. Its bases are inflated when first asked for
    /// (`LockedFile::base`).
    pub(crate) fn parse(path: &Path, text: &str) -> Result<Self, LockError> {
        let newer = |generator: &str| {
            (release_numbers(generator) > release_numbers(env!("CARGO_PKG_VERSION"))).then(|| {
                LockError::Newer {
                    path: path.to_path_buf(),
                    generator: generator.to_string(),
                }
            })
        };
        // One parse when the lock reads; the generator alone only when it does not, so a
        // newer lock's unknown answers are called newer, not damaged.
        let mut lock: Self = match toml::from_str(text) {
            Ok(lock) => lock,
            Err(err) => {
                if let Ok(Generator {
                    generator: Some(generator),
                }) = toml::from_str(text)
                    && let Some(newer) = newer(&generator)
                {
                    return Err(newer);
                }
                return Err(LockError::Parse {
                    path: path.to_path_buf(),
                    message: err.to_string().trim_end().to_string(),
                });
            }
        };
        if let Some(newer) = newer(&lock.generator) {
            return Err(newer);
        }
        let shared: Arc<Path> = Arc::from(path);
        for file in &mut lock.files {
            file.base.read_from(Arc::clone(&shared));
        }
        Ok(lock)
    }

    /// The lock as written to `pybootstrap.lock`; an error when a base it carries over from
    /// the lock it was read from is damaged.
    pub(crate) fn text(&self) -> Result<String, LockError> {
        for file in &self.files {
            file.base()?;
        }
        let body = toml::to_string(self).map_err(|err| LockError::Parse {
            path: LOCK_FILE.into(),
            message: err.to_string(),
        })?;
        Ok(format!(
            "# Written by pybootstrap: what it generated last time. Do not edit; commit it.\n{body}"
        ))
    }

    /// The lock after applying `plans`: their files, plus the entries of `previous` the plans
    /// did not cover (groups left out by `--only`).
    ///
    /// While such entries remain, the lock keeps the previous answers: those files were
    /// rendered from them, and a later regen must still name the answer that changes them.
    ///
    /// A file the plans leave as it is keeps its `written` (what pybootstrap wrote, not a
    /// hand edit made since), and a plan that changes nothing the lock records (no base, no
    /// hash, no pack) leaves the lock as it was, its generator and answers too: the lock
    /// changes only with the files, never on a run `regen --check` calls up to date. An
    /// answer that changed no file is not needed to explain a later change: putting it
    /// back renders the same files.
    ///
    /// An error when a base this needs from `previous` is damaged.
    pub(crate) fn after(
        plans: &[FilePlan],
        answers: Answers,
        pack: Option<PackStamp>,
        previous: Option<&Lock>,
    ) -> Result<Self, LockError> {
        let mut files: Vec<LockedFile> = previous
            .map(|lock| {
                lock.files
                    .iter()
                    .filter(|f| !plans.iter().any(|p| p.path == f.path))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        let answers = match previous {
            Some(lock) if !files.is_empty() => lock.answers.clone(),
            _ => answers,
        };
        for plan in plans {
            let (Some(base), Some(group)) = (&plan.base, plan.group) else {
                continue;
            };
            let locked = previous
                .and_then(|lock| lock.file(&plan.path))
                .filter(|_| !plan.action.writes());
            let kept = match locked {
                Some(locked) if locked.base()? == base => Some(locked),
                _ => None,
            };
            let written = match kept {
                Some(locked) => locked.written.clone(),
                None => match plan.written_part() {
                    Some(part) => hash(&part),
                    None => continue,
                },
            };
            files.push(LockedFile::new(
                plan.path.clone(),
                group,
                plan.placement,
                written,
                base.clone(),
            ));
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(match previous {
            Some(lock) if lock.pack == pack && lock.files == files => lock.clone(),
            _ => Self {
                generator: env!("CARGO_PKG_VERSION").into(),
                pack,
                answers,
                files,
            },
        })
    }

    pub(crate) fn file(&self, path: &str) -> Option<&LockedFile> {
        self.files.iter().find(|f| f.path == path)
    }
}

/// The hash recorded for written contents (line endings normalised).
pub(crate) fn hash(text: &str) -> String {
    let digest = Sha256::digest(normalize(text).as_bytes());
    format!(
        "sha256:{}",
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    )
}

/// `\r\n` → `\n`: a CRLF checkout is not a change.
pub(crate) fn normalize(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

mod placement_name {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::render::Placement;

    #[expect(
        clippy::trivially_copy_pass_by_ref,
        reason = "serde's `serialize_with` passes a reference"
    )]
    pub(super) fn serialize<S: Serializer>(
        placement: &Placement,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(match placement {
            Placement::Whole => "file",
            Placement::ManagedBlock => "block",
        })
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Placement, D::Error> {
        match String::deserialize(deserializer)?.as_str() {
            "file" => Ok(Placement::Whole),
            "block" => Ok(Placement::ManagedBlock),
            other => Err(serde::de::Error::custom(format!(
                "unknown placement `{other}`"
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_newer_generator_is_refused_before_the_rest_is_read() {
        let path = Path::new("pybootstrap.lock");
        let newer = "generator = \"9.9.9\"\n[answers]\nfuture = 1\n";
        assert!(matches!(
            Lock::parse(path, newer),
            Err(LockError::Newer { generator, .. }) if generator == "9.9.9"
        ));
        let older = "generator = \"0.0.1\"\n[answers]\nfuture = 1\n";
        assert!(matches!(
            Lock::parse(path, older),
            Err(LockError::Parse { .. })
        ));
    }

    #[test]
    fn bases_are_stored_deflated_and_read_either_way() {
        let base = "#!/bin/sh\n".repeat(200) + "é ünïcode\n";
        let file = LockedFile::new(
            "scripts/bootstrap.sh".into(),
            Group::Scripts,
            Placement::Whole,
            "sha256:00".into(),
            base.clone(),
        );
        let lock = Lock {
            generator: env!("CARGO_PKG_VERSION").into(),
            pack: None,
            answers: crate::answers::builtin("demo"),
            files: vec![file.clone()],
        };
        let text = lock.text().expect("serialises");
        assert!(text.contains("base_deflate = \""), "{text}");
        assert!(!text.contains("#!/bin/sh"), "{text}");
        assert!(text.len() < 2500, "{} bytes", text.len());
        let path = Path::new(LOCK_FILE);
        assert_eq!(Lock::parse(path, &text).expect("reads back"), lock);
        // A lock written with the text itself reads the same.
        let plain = format!(
            "{}\n[[file]]\npath = \"scripts/bootstrap.sh\"\ngroup = \"scripts\"\nplacement = \"file\"\nwritten = \"sha256:00\"\nbase = {}\n",
            text[..text.find("[[file]]").expect("a file")].trim_end(),
            toml::Value::String(base)
        );
        assert_eq!(Lock::parse(path, &plain).expect("reads"), lock);
        // A damaged base is an error when it is needed, not before.
        let broken = text.replace("base_deflate = \"", "base_deflate = \"!");
        let read = Lock::parse(path, &broken).expect("the rest reads");
        let error = read.files[0].base().expect_err("damaged");
        assert!(matches!(error, LockError::Parse { .. }), "{error}");
        assert!(
            error
                .to_string()
                .contains("`scripts/bootstrap.sh`: `base_deflate`: not base64"),
            "{error}"
        );
        assert!(read.text().is_err(), "a damaged base is not written over");
    }

    #[test]
    fn release_numbers_compare_numerically() {
        assert!(release_numbers("0.10.0") > release_numbers("0.9.9"));
        assert!(release_numbers("1.0.0-rc.1") == release_numbers("1.0.0"));
        assert!(release_numbers("0.1.0") == release_numbers("0.1.0"));
    }
}
