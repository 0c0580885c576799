//! Errors as data: what failed (with paths and values), the cause chain, a hint, the exit code.

use std::path::PathBuf;

/// How a command that ran to the end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Nothing for the user to do (exit 0).
    Success,
    /// The command ran and found something the user must act on (exit 1).
    ActionNeeded,
}

impl Outcome {
    /// `ActionNeeded` when `needed`, else `Success`.
    pub(crate) fn action_needed_if(needed: bool) -> Self {
        if needed {
            Self::ActionNeeded
        } else {
            Self::Success
        }
    }
}

/// Every failure that stops a command. All of them exit with 2: bad input or an unusable file.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    #[error("`{}` does not exist", path.display())]
    PythonMissing { path: PathBuf },

    #[error("`{}` is not a usable Python interpreter: {detail}", path.display())]
    NotAPython { path: PathBuf, detail: String },

    #[error(transparent)]
    Io(#[from] std::io::Error),

    #[error(transparent)]
    Answers(#[from] crate::answers::Error),

    #[error(transparent)]
    Prompt(#[from] crate::prompt::Error),

    #[error(transparent)]
    Render(#[from] crate::render::Error),

    #[error(transparent)]
    Plan(#[from] crate::plan::PlanError),

    #[error(transparent)]
    Write(#[from] crate::plan::write::WriteError),

    #[error(transparent)]
    Lock(#[from] crate::plan::lock::LockError),

    #[error(transparent)]
    Lint(#[from] crate::lint::LintError),

    #[error("{message}")]
    Input {
        message: String,
        hint: Option<String>,
    },
}

impl Error {
    /// The `hint:` line printed under the error, when there is a fix to suggest.
    pub(crate) fn hint(&self) -> Option<String> {
        match self {
            Self::PythonMissing { .. } => Some(
                "pass the path of a Python executable, e.g. `--python /usr/bin/python3`".into(),
            ),
            Self::NotAPython { .. } => {
                Some("`--python` must name a CPython or PyPy 3 executable".into())
            }
            Self::Io(_) => None,
            Self::Plan(err) => err.hint(),
            Self::Answers(err) => err.hint(),
            Self::Prompt(err) => err.hint(),
            Self::Render(err) => err.hint(),
            Self::Lint(err) => err.hint(),
            Self::Lock(err) => Some(err.hint()),
            Self::Write(err) => Some(err.hint()),
            Self::Input { hint, .. } => hint.clone(),
        }
    }

    /// The process exit code for this error: 130 for Ctrl-C (128 + SIGINT, as shells
    /// report an interrupted command), else 2.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Self::Prompt(crate::prompt::Error::Interrupted) => 130,
            _ => 2,
        }
    }
}
