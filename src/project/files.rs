//! The repository's files as the facts need them, read once by repo-relative path: the text
//! of each file a reader looks at, whether a name is a regular file, and TOML parsed once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// What reading one repo-relative path gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileRead {
    Missing,
    Text(String),
    /// The read failed for another reason than absence: the error, naming the path.
    Unreadable(String),
}

/// The texts of the files read, and which names are regular files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RepoFiles {
    texts: BTreeMap<String, FileRead>,
    regular: BTreeSet<String>,
}

impl RepoFiles {
    /// Reads `path` under `repo` unless it was read already.
    pub(crate) fn read(&mut self, repo: &Path, path: &str) {
        if self.texts.contains_key(path) {
            return;
        }
        let read = match fs_err::read_to_string(repo.join(path)) {
            Ok(text) => FileRead::Text(text),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => FileRead::Missing,
            Err(error) => FileRead::Unreadable(error.to_string()),
        };
        self.texts.insert(path.to_string(), read);
    }

    /// Whether `path` was read (or looked for) already.
    pub(crate) fn was_read(&self, path: &str) -> bool {
        self.texts.contains_key(path)
    }

    /// Records whether `path` under `repo` is a regular file (symlinks followed).
    pub(crate) fn stat(&mut self, repo: &Path, path: &str) {
        if repo.join(path).is_file() {
            self.regular.insert(path.to_string());
        }
    }

    /// Records `path` as read with `text`, for facts built in memory.
    #[cfg(test)]
    pub(crate) fn insert(&mut self, path: &str, text: &str) {
        self.texts
            .insert(path.to_string(), FileRead::Text(text.to_string()));
        self.regular.insert(path.to_string());
    }

    /// What reading `path` gave; a path no reader looked at is absent.
    pub(crate) fn get(&self, path: &str) -> &FileRead {
        self.texts.get(path).unwrap_or(&FileRead::Missing)
    }

    /// The text of `path`, `None` when it is not there; the error when it could not be read.
    pub(crate) fn text(&self, path: &str) -> Result<Option<&str>, &str> {
        match self.get(path) {
            FileRead::Missing => Ok(None),
            FileRead::Text(text) => Ok(Some(text)),
            FileRead::Unreadable(error) => Err(error),
        }
    }

    /// `text` in the owned shape `requirements::nested` reads files in.
    pub(crate) fn owned_text(&self, path: &str) -> Result<Option<String>, String> {
        self.text(path)
            .map(|text| text.map(str::to_string))
            .map_err(str::to_string)
    }

    /// Whether `path` is a regular file.
    pub(crate) fn is_file(&self, path: &str) -> bool {
        self.regular.contains(path)
    }
}

/// A TOML file of the repository, read and parsed once.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) enum TomlFile {
    #[default]
    Missing,
    /// The read failed: the error, naming the path.
    Unreadable(String),
    Invalid(InvalidToml),
    Parsed(toml::Table),
}

/// Why a file is not TOML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InvalidToml {
    pub(crate) message: String,
    /// The 1-based line the parser stopped at, when it says.
    pub(crate) line: Option<usize>,
}

impl TomlFile {
    /// The file at `path` as `files` read it, parsed.
    pub(crate) fn parse(files: &RepoFiles, path: &str) -> Self {
        match files.get(path) {
            FileRead::Missing => Self::Missing,
            FileRead::Unreadable(error) => Self::Unreadable(error.clone()),
            FileRead::Text(text) => match parse_toml(text) {
                Ok(table) => Self::Parsed(table),
                Err(invalid) => Self::Invalid(invalid),
            },
        }
    }

    /// The table; `None` when the file is absent; an error naming `path` when it cannot be
    /// read or parsed.
    pub(crate) fn table_or_error(&self, path: &str) -> Result<Option<&toml::Table>, String> {
        match self {
            Self::Missing => Ok(None),
            Self::Unreadable(reason) => Err(format!("cannot read `{path}`: {reason}")),
            Self::Invalid(invalid) => {
                Err(format!("`{path}` is not valid TOML: {}", invalid.message))
            }
            Self::Parsed(table) => Ok(Some(table)),
        }
    }

    /// The table, when the file is there and valid.
    pub(crate) fn table(&self) -> Option<&toml::Table> {
        match self {
            Self::Parsed(table) => Some(table),
            _ => None,
        }
    }
}

/// `text` as a TOML table: the one place a repository's TOML file is parsed.
pub(crate) fn parse_toml(text: &str) -> Result<toml::Table, InvalidToml> {
    toml::from_str::<toml::Table>(text).map_err(|error| InvalidToml {
        message: error.message().to_string(),
        line: error.span().map(|span| line_of(text, span.start)),
    })
}

/// The 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'\n', &bytes[..offset.min(bytes.len())]).count() + 1
}
