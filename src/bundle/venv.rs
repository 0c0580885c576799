//! pybootstrap's own venv for `bundle`: made in a temporary directory from a Python on
//! `PATH`, pip upgraded in it, the lock's tool installed in it; every pip, uv, Poetry or PDM
//! that `bundle` runs runs from here, never system-wide.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::missing::missing_distribution;

/// Why a step of `bundle` failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum StepError {
    #[error(
        "no Python 3 with the venv module to make pybootstrap's venv from: tried {tried} on `PATH`"
    )]
    NoPython { tried: String },

    #[error("could not run `{program}`")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
    },

    #[error("{what} failed (exit {code}):\n{output}")]
    Failed {
        what: String,
        code: i32,
        output: String,
    },

    #[error("{what}: the index has no wheel of `{distribution}`{target}")]
    NoWheel {
        what: String,
        distribution: String,
        target: String,
    },
}

impl StepError {
    pub(crate) fn hint(&self) -> Option<String> {
        match self {
            Self::NoPython { .. } => {
                Some("put a `python3` with the venv module on `PATH` (Debian: `apt install python3-venv`)".into())
            }
            Self::NoWheel { distribution, .. } => Some(format!(
                "a kit holds wheels only: choose a Python and platform `{distribution}` has wheels for (`--python`, `--platform`), or pin a version that has one"
            )),
            Self::Spawn { .. } | Self::Failed { .. } => None,
        }
    }
}

/// The venv, its interpreter, and the index pip is told to use.
pub(crate) struct Venv {
    pub(crate) dir: PathBuf,
    pub(crate) python: PathBuf,
    index_url: Option<String>,
}

/// The last lines of a tool's output worth showing under an error.
const OUTPUT_LINES: usize = 30;

impl Venv {
    /// Makes the venv in `dir` from the newest `python3.N` of `preferred` on `PATH`, else
    /// `python3` (the project's wheel builds with it, so a version the project accepts
    /// comes first), and upgrades pip in it.
    pub(crate) fn create(
        dir: &Path,
        preferred: &[String],
        index_url: Option<&str>,
    ) -> Result<Self, StepError> {
        let mut names: Vec<String> = preferred
            .iter()
            .rev()
            .map(|version| format!("python{version}"))
            .collect();
        names.push("python3".into());
        // A pyenv shim is on `PATH` for versions it does not select, and fails when run.
        let usable = |python: &PathBuf| {
            Command::new(python)
                .args(["-c", "import venv, ensurepip"])
                .output()
                .is_ok_and(|output| output.status.success())
        };
        let base = names
            .iter()
            .filter_map(|name| on_path(name))
            .find(usable)
            .ok_or_else(|| StepError::NoPython {
                tried: names
                    .iter()
                    .map(|name| format!("`{name}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            })?;
        let venv = Self {
            dir: dir.to_path_buf(),
            python: dir.join("bin/python"),
            index_url: index_url.map(str::to_string),
        };
        run(
            Command::new(&base).args(["-m", "venv", "--"]).arg(dir),
            &format!("`{} -m venv`", base.display()),
        )?;
        venv.pip_install(&["--upgrade", "pip"])?;
        Ok(venv)
    }

    /// `pip install` into this venv.
    pub(crate) fn pip_install(&self, requirements: &[&str]) -> Result<(), StepError> {
        let mut command = self.pip("install");
        command.args(requirements);
        run(
            &mut command,
            &format!("`pip install {}`", requirements.join(" ")),
        )?;
        Ok(())
    }

    /// `python -m pip SUBCOMMAND` with the index and the quiet settings.
    pub(crate) fn pip(&self, subcommand: &str) -> Command {
        let mut command = Command::new(&self.python);
        command
            .args(["-m", "pip", subcommand])
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .env("PIP_REQUIRE_VIRTUALENV", "true")
            .env_remove("PIP_USER");
        if let Some(url) = &self.index_url {
            command.args(["--index-url", url]);
        }
        command
    }

    /// A command installed in the venv (`uv`, `poetry`, `pdm`).
    pub(crate) fn tool(&self, name: &str) -> Command {
        let mut command = Command::new(self.dir.join("bin").join(name));
        // Poetry and PDM would otherwise ask a keyring for index credentials.
        command
            .env("PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring")
            .env("PDM_CHECK_UPDATE", "false");
        command
    }

    /// This machine's most specific platform tag, as pip's `--platform` takes it.
    pub(crate) fn platform_tag(&self) -> Result<String, StepError> {
        let output = run(
            Command::new(&self.python).args([
                "-c",
                // `linux_x86_64` (wheels built here, never on an index) may come first.
                "from pip._vendor.packaging.tags import sys_tags\n\
                 tags = [tag.platform for tag in sys_tags()]\n\
                 print(next((tag for tag in tags if not tag.startswith('linux_')), tags[0]))",
            ]),
            "reading this machine's platform tag",
        )?;
        Ok(output.trim().to_string())
    }
}

/// Runs `command` and returns its output; a failure carries the output's last lines, or
/// the distribution pip or uv could not find (then `target` says for what).
pub(crate) fn run_for(
    command: &mut Command,
    what: &str,
    target: &str,
) -> Result<String, StepError> {
    let program = command.get_program().to_string_lossy().into_owned();
    let output = command
        .output()
        .map_err(|source| StepError::Spawn { program, source })?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() {
        return Ok(text);
    }
    if let Some(distribution) = missing_distribution(&text) {
        return Err(StepError::NoWheel {
            what: what.to_string(),
            distribution,
            target: target.to_string(),
        });
    }
    let lines: Vec<&str> = text.lines().collect();
    let tail = lines[lines.len().saturating_sub(OUTPUT_LINES)..].join("\n");
    Err(StepError::Failed {
        what: what.to_string(),
        code: output.status.code().unwrap_or(-1),
        output: tail,
    })
}

fn run(command: &mut Command, what: &str) -> Result<String, StepError> {
    run_for(command, what, "")
}

/// `name` on `PATH`.
fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}
