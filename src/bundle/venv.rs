//! pybootstrap's own venvs for `bundle`: made in a temporary directory from a Python on
//! this machine, pip upgraded in each, the lock's tool installed in one; every pip, uv,
//! Poetry or PDM that `bundle` runs runs from one of them, never system-wide. pip reads
//! environment markers (`python_version < "3.11"`) for the Python it runs on, whatever
//! `--python-version` says, so each target Python gets a venv of its own version when
//! this machine has one.

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
    /// `3.N` of its interpreter.
    pub(crate) version: String,
    index_url: Option<String>,
}

/// The last lines of a tool's output worth showing under an error.
const OUTPUT_LINES: usize = 30;

impl Venv {
    /// Makes the venv in `dir` from `base` and upgrades pip in it.
    pub(crate) fn create(
        dir: &Path,
        base: &Path,
        index_url: Option<&str>,
    ) -> Result<Self, StepError> {
        let version = version_of(base).unwrap_or_default();
        let venv = Self {
            dir: dir.to_path_buf(),
            python: crate::python::discover::venv_python(dir),
            version,
            index_url: index_url.map(str::to_string),
        };
        run(
            Command::new(base).args(["-m", "venv", "--"]).arg(dir),
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
        let scripts = self.python.parent().unwrap_or(&self.dir);
        let mut command = Command::new(scripts.join(name));
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

/// `3.N` of the interpreter `python`, when it runs and can make a venv (a pyenv shim is
/// on `PATH` for versions it does not select, and fails when run).
fn version_of(python: &Path) -> Option<String> {
    let output = Command::new(python)
        .args([
            "-c",
            "import sys, venv, ensurepip; print('%d.%d' % sys.version_info[:2])",
        ])
        .output()
        .ok()?;
    let version = String::from_utf8_lossy(&output.stdout).trim().to_string();
    (output.status.success() && version.starts_with("3.")).then_some(version)
}

/// The interpreters on this machine as `detect --all` finds them: `PATH` first, then where
/// pyenv, uv and Homebrew keep theirs.
fn candidates() -> Vec<PathBuf> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let path_var = std::env::var_os("PATH");
    let home = dirs::home_dir();
    let search = crate::python::discover::Search {
        pythons: &[],
        all: true,
        path_var: path_var.as_deref(),
        virtual_env: None,
        home: home.as_deref(),
        cwd: &cwd,
    };
    crate::python::discover::discover(&search)
        .into_iter()
        .map(|candidate| candidate.path)
        .collect()
}

/// An interpreter of `version` (`3.N`) that can make a venv: `python3.N` wherever it is
/// found, else a `python3` or `python` that is that version.
pub(crate) fn interpreter(version: &str) -> Option<PathBuf> {
    let found = candidates();
    let named = |path: &PathBuf, name: &str| path.file_name().is_some_and(|file| file == name);
    let exact = format!("python{version}");
    found
        .iter()
        .filter(|path| named(path, &exact))
        .chain(
            found
                .iter()
                .filter(|path| named(path, "python3") || named(path, "python")),
        )
        .find(|path| version_of(path).as_deref() == Some(version))
        .cloned()
}

/// The interpreter pybootstrap's own venv is made from: one of `preferred` (newest first;
/// the project's wheel builds with it, so a version the project accepts comes first),
/// else any `python3` that can make a venv.
pub(crate) fn base_interpreter(preferred: &[String]) -> Result<PathBuf, StepError> {
    if let Some(python) = preferred
        .iter()
        .rev()
        .find_map(|version| interpreter(version))
    {
        return Ok(python);
    }
    candidates()
        .into_iter()
        .find(|path| {
            path.file_name().is_some_and(|file| file == "python3") && version_of(path).is_some()
        })
        .ok_or_else(|| StepError::NoPython {
            tried: preferred
                .iter()
                .rev()
                .map(|version| format!("`python{version}`"))
                .chain(["`python3`".to_string()])
                .collect::<Vec<_>>()
                .join(", "),
        })
}
