//! What can be wrong with an answer, and where it came from (file and line, `--set`, a pack).

use std::fmt;
use std::path::PathBuf;

use super::keys;

/// Where a bad value came from; printed as the message's prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A line of a file (`pybootstrap.toml`, or the text given to `update_file`).
    File { path: PathBuf, line: Option<usize> },
    /// One `--set KEY=VALUE` argument.
    Set { text: String },
    /// A template pack's `[defaults]` or `fixed`.
    Pack { name: String },
    /// An answer given at a prompt.
    Prompt,
    /// The resolved answers as a whole (a rule between two keys).
    Answers,
}

impl fmt::Display for Location {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::File {
                path,
                line: Some(line),
            } => write!(formatter, "{}:{line}: ", path.display()),
            Self::File { path, line: None } => write!(formatter, "{}: ", path.display()),
            Self::Set { text } => write!(formatter, "`--set {text}`: "),
            Self::Pack { name } => write!(formatter, "template pack `{name}`: "),
            Self::Prompt | Self::Answers => Ok(()),
        }
    }
}

/// Every way the answers can be unusable. All of them are input errors (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{at}invalid TOML: {message}")]
    Syntax { at: Location, message: String },

    #[error("{at}unknown key `{key}`")]
    UnknownKey { at: Location, key: String },

    #[error("{at}`{key}` must be {expected}, not {found}")]
    WrongType {
        at: Location,
        key: String,
        expected: &'static str,
        found: &'static str,
    },

    #[error("{at}`{key}`: {detail} (valid: {valid})")]
    InvalidValue {
        at: Location,
        key: String,
        /// The offending value (in backticks) and what is wrong with it.
        detail: String,
        valid: &'static str,
    },

    #[error("{at}`schema` is missing")]
    MissingSchema { at: Location },

    #[error("{at}`{key}` is fixed by the template pack `{pack}` (its value: {fixed})")]
    Fixed {
        at: Location,
        key: String,
        pack: String,
        fixed: String,
    },

    #[error("`--set {text}` is not of the form `KEY=VALUE`")]
    SetSyntax { text: String },

    #[error("failed to read `{}`", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// The `hint:` line printed under the error, when there is a fix to suggest.
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::UnknownKey { key, .. } => {
                let valid = format!("valid keys: {}", keys::key_list());
                Some(match keys::suggest(key) {
                    Some(close) => format!("did you mean `{close}`? {valid}"),
                    None => valid,
                })
            }
            Self::WrongType { key, .. } => {
                keys::find_key(key).map(|info| format!("`{}` takes {}", info.key, info.values))
            }
            Self::MissingSchema { .. } => {
                Some("add `schema = 1` as the first line of the file".to_string())
            }
            Self::Fixed { key, pack, .. } => Some(format!(
                "remove `{key}` from `pybootstrap.toml` and `--set`; the pack `{pack}` decides it"
            )),
            Self::SetSyntax { .. } => {
                Some("write `--set KEY=VALUE`, e.g. `--set python.versions=3.12,3.13`".to_string())
            }
            Self::InvalidValue { .. } | Self::Syntax { .. } | Self::Read { .. } => None,
        }
    }

    /// The key the error is about, when there is one.
    pub fn key(&self) -> Option<&str> {
        match self {
            Self::UnknownKey { key, .. }
            | Self::WrongType { key, .. }
            | Self::InvalidValue { key, .. }
            | Self::Fixed { key, .. } => Some(key),
            Self::MissingSchema { .. } => Some("schema"),
            Self::Syntax { .. } | Self::SetSyntax { .. } | Self::Read { .. } => None,
        }
    }
}

/// A problem with one value, before it is known where the value came from: what a value
/// type's `FromStr` refuses with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    #[error("must be {expected}, not {found}")]
    WrongType {
        expected: &'static str,
        found: &'static str,
    },
    #[error("{value} {reason}")]
    Invalid { value: String, reason: String },
    /// What a value's type said about it, value and reason already in one text (the
    /// message of an `Invalid` that came through serde).
    #[error("{0}")]
    Detail(String),
}

impl Problem {
    pub(crate) fn invalid(value: impl fmt::Display, reason: impl Into<String>) -> Self {
        Self::Invalid {
            // Escaped so a control character in a bad value cannot reach the terminal.
            value: format!("`{}`", value.to_string().escape_debug()),
            reason: reason.into(),
        }
    }

    /// The error for this problem with `key` at `at`.
    pub(crate) fn at(self, key: &str, at: Location) -> Error {
        match self {
            Self::WrongType { expected, found } => Error::WrongType {
                at,
                key: key.to_string(),
                expected,
                found,
            },
            Self::Invalid { .. } | Self::Detail(_) => Error::InvalidValue {
                at,
                key: key.to_string(),
                detail: self.to_string(),
                valid: keys::find_key(key).map_or("", |info| info.values),
            },
        }
    }
}
