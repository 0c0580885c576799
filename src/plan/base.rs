//! A locked file's base as the lock holds it: its text, or its packed form
//! (`base_deflate`), inflated the first time a run asks for it.
//!
//! A `regen --check` whose files all match their render needs no base, and inflating every
//! base while reading the lock was a fifth of its instructions. A damaged packed form is
//! therefore found when its base is needed, and is then an error naming the lock and the
//! file, as it was when the whole lock was read.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::lock::LockError;

#[derive(Debug, Clone)]
pub(crate) struct Base {
    /// As the lock stored it, when it was read packed.
    packed: Option<String>,
    /// The text, or why the packed form does not inflate to one.
    text: OnceLock<Result<String, String>>,
    /// The lock it was read from, for the error.
    lock_path: Option<Arc<Path>>,
}

impl Base {
    /// A base known as text: rendered in this run, or stored as text by an older lock.
    pub(crate) fn text(text: String) -> Self {
        Self {
            packed: None,
            text: OnceLock::from(Ok(text)),
            lock_path: None,
        }
    }

    /// A base stored packed, not inflated yet.
    pub(crate) fn packed(packed: String) -> Self {
        Self {
            packed: Some(packed),
            text: OnceLock::new(),
            lock_path: None,
        }
    }

    /// Names the lock the base was read from, for the error a damaged one gives.
    pub(crate) fn read_from(&mut self, lock_path: Arc<Path>) {
        self.lock_path = Some(lock_path);
    }

    /// The text, inflated on first use; `file` is the locked file's path, for the error.
    pub(crate) fn get(&self, file: &str) -> Result<&str, LockError> {
        let inflated = self.text.get_or_init(|| match &self.packed {
            Some(packed) => crate::packed::unpack(packed),
            None => Err("no text".into()),
        });
        inflated.as_deref().map_err(|reason| LockError::Parse {
            path: self
                .lock_path
                .as_deref()
                .unwrap_or(Path::new(super::lock::LOCK_FILE))
                .to_path_buf(),
            message: format!("`{file}`: `base_deflate`: {reason}"),
        })
    }

    /// The form the lock writes: the text packed.
    pub(crate) fn to_packed(&self) -> String {
        match self.get("") {
            Ok(text) => crate::packed::pack(text),
            // `Lock::text` stops at a damaged base before it writes, so this only keeps
            // the stored bytes where nothing else could be written.
            Err(_) => self.packed.clone().unwrap_or_default(),
        }
    }
}

/// Two bases are the same text. The same packed bytes are the same text without inflating
/// either; a base that does not inflate equals only its own packed bytes.
impl PartialEq for Base {
    fn eq(&self, other: &Self) -> bool {
        if let (Some(mine), Some(theirs)) = (&self.packed, &other.packed)
            && mine == theirs
        {
            return true;
        }
        matches!(
            (self.get(""), other.get("")),
            (Ok(mine), Ok(theirs)) if mine == theirs
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_packed_base_is_inflated_when_asked_and_a_damaged_one_fails_then() {
        let text = "python3 -m venv .venv\n".repeat(20);
        let packed = Base::packed(crate::packed::pack(&text));
        assert!(
            packed.text.get().is_none(),
            "not inflated before it is asked for"
        );
        assert_eq!(packed.get("scripts/bootstrap.sh").expect("inflates"), text);
        assert_eq!(packed, Base::text(text.clone()));

        let mut damaged = Base::packed("!not base64".into());
        damaged.read_from(Arc::from(Path::new("/repo/pybootstrap.lock")));
        let error = damaged.get("scripts/bootstrap.sh").expect_err("damaged");
        assert_eq!(
            error.to_string(),
            "`/repo/pybootstrap.lock` is damaged: `scripts/bootstrap.sh`: `base_deflate`: not base64: Invalid symbol 33, offset 0."
        );
        assert_ne!(damaged, Base::text(text));
        assert_eq!(damaged, Base::packed("!not base64".into()));
    }
}
