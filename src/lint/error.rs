//! What stops `lint` before it looks at a file: a missing path, or `[lint]` settings that
//! cannot be used. Problems with single files are warnings, never errors.

use std::path::PathBuf;

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

    /// `lint.ignore` refused, in the words `regen` uses for the same file.
    #[error(transparent)]
    Settings(crate::answers::Error),
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
            Self::Settings(error) => error.hint(),
        }
    }
}
