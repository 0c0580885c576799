//! What stops `lint` before it looks at a file: a missing path, or `[lint]` settings that
//! cannot be used. Problems with single files are warnings, never errors.

use std::path::PathBuf;

use super::rules::Rule;

/// Every failure of `lint`; each exits with 2.
#[derive(Debug, thiserror::Error)]
pub(crate) enum LintError {
    #[error("`{}` does not exist", path.display())]
    PathMissing { path: PathBuf },

    #[error("cannot read `{}`", path.display())]
    ConfigUnreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("`{}` line {line}: {message}", path.display())]
    ConfigSyntax {
        path: PathBuf,
        line: usize,
        message: String,
    },

    #[error("`{}`: `lint.ignore` must be a list of rule ids and path globs, found {found}", path.display())]
    ConfigType { path: PathBuf, found: String },

    #[error("`{}`: unknown rule `{id}` in `lint.ignore`", path.display())]
    UnknownRule { path: PathBuf, id: String },

    #[error("`{}`: invalid path glob `{glob}` in `lint.ignore`", path.display())]
    BadGlob {
        path: PathBuf,
        glob: String,
        #[source]
        source: ignore::Error,
    },
}

impl LintError {
    /// The fix to print on a `hint:` line.
    pub(crate) fn hint(&self) -> Option<String> {
        match self {
            Self::PathMissing { .. } => Some(
                "pass a directory or file inside the repository, e.g. `pybootstrap lint .`".into(),
            ),
            Self::ConfigUnreadable { .. } => None,
            Self::ConfigSyntax { .. } => Some("fix the TOML syntax on that line".into()),
            Self::ConfigType { .. } => {
                Some("write it as `[lint]` then `ignore = [\"PB101\", \"vendor/**\"]`".into())
            }
            Self::UnknownRule { .. } => Some(format!("valid rule ids: {}", Rule::id_list())),
            Self::BadGlob { .. } => {
                Some("path globs use `.gitignore` syntax, e.g. `vendor/**`".into())
            }
        }
    }
}
