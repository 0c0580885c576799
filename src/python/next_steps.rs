//! What a user should do next about one interpreter: advice for *this* situation, built
//! from the verdict, the tools on `PATH` and the OS's package manager.

use crate::platform::{Platform, advice};
use crate::python::verdict::{InterpreterReport, PipMissing, Reason};

/// Tools on `PATH` that change the advice.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Tools {
    pub pipx: Option<std::path::PathBuf>,
    pub uv: Option<std::path::PathBuf>,
}

/// One line of advice, and whether it warns of a risk rather than suggests a step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub text: String,
    pub warning: bool,
}

impl Step {
    fn suggest(text: String) -> Self {
        Self {
            text,
            warning: false,
        }
    }
    fn warn(text: String) -> Self {
        Self {
            text,
            warning: true,
        }
    }
}

/// The advice that applies to `report`, most important first.
pub fn next_steps(report: &InterpreterReport, platform: &Platform, tools: &Tools) -> Vec<Step> {
    let mut steps = Vec::new();
    let python = report.path.display().to_string();
    let prefix = report
        .prefix
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let pm = platform.package_manager;
    let minor = report
        .facts
        .as_ref()
        .map(super::probe::Facts::minor_version)
        .unwrap_or_default();
    let overrides = report.overrides.as_ref();

    if let Some(overrides) = overrides.filter(|o| o.break_system_packages) {
        let source = overrides.source.as_deref().unwrap_or("an override");
        let removal = if source.starts_with("PIP_") {
            format!("`unset {source}` (and remove it from your shell profile or CI settings)")
        } else {
            format!("delete `break-system-packages` from `{source}`")
        };
        steps.push(Step::warn(format!(
            "`{source}` switches PEP 668 off: pip will install into {prefix} and can break the OS tools that rely on its packages; {removal}"
        )));
    }
    let managed = matches!(
        report.reason,
        Reason::Marker | Reason::MarkerUnparsable | Reason::MarkerUnreadable
    );
    if overrides.is_some_and(|o| o.uv_break_system_packages) && managed {
        steps.push(Step::warn(format!(
            "`UV_BREAK_SYSTEM_PACKAGES` switches PEP 668 off for uv: `uv pip install --system` will install into {prefix}; `unset UV_BREAK_SYSTEM_PACKAGES` (and remove it from your shell profile or CI settings)"
        )));
    }
    match report.reason {
        Reason::Venv => match report.pip_missing {
            None => steps.push(Step::suggest(format!(
                "inside a virtual environment: `pip install` goes into {prefix}"
            ))),
            Some(PipMissing::MadeByUv) => steps.push(Step::suggest(format!(
                "a uv environment, which has no pip of its own: `uv pip install --python {python} PACKAGE` installs into {prefix}"
            ))),
            Some(PipMissing::Incomplete) if report.venv_ok == Some(false) => {
                let command = advice::venv_package_command(pm, &minor).map_or_else(
                    || "install your OS's venv package for this Python".to_string(),
                    |command| format!("`{command}`"),
                );
                steps.push(Step::suggest(format!(
                    "its Python has no `ensurepip`: {command}, then rebuild it with `python{minor} -m venv --clear {prefix}`"
                )));
            }
            Some(PipMissing::Incomplete) => steps.push(Step::suggest(format!(
                "put pip in it: `{python} -m ensurepip`, or rebuild it with `python{minor} -m venv --clear {prefix}`"
            ))),
        },
        Reason::NoMarker => {
            if overrides.is_some_and(|o| o.require_virtualenv) {
                steps.push(Step::suggest("PIP_REQUIRE_VIRTUALENV is on: pip refuses to install outside a virtual environment".into()));
            } else {
                steps.push(Step::suggest(format!(
                    "pip installs into {prefix}; keep projects apart with a virtual environment: `{python} -m venv .venv`"
                )));
            }
        }
        Reason::Marker | Reason::MarkerUnparsable | Reason::MarkerUnreadable => {
            let uv_managed = prefix.contains("/uv/python/")
                || report.message.as_deref().is_some_and(|m| m.contains(" uv"));
            if uv_managed {
                steps.push(Step::suggest(
                    "this Python is managed by uv: `uv venv` then `uv pip install PACKAGE`".into(),
                ));
            } else if report.venv_ok == Some(false) {
                match advice::venv_package_command(pm, &minor) {
                    Some(command) => steps.push(Step::suggest(format!("venv is missing (no `ensurepip`): `{command}`"))),
                    None => steps.push(Step::suggest("venv is missing (no `ensurepip`): install your OS's venv package for this Python".into())),
                }
                if tools.uv.is_some() {
                    steps.push(Step::suggest(
                        "or, without it: `uv venv .venv` (uv is installed)".into(),
                    ));
                } else {
                    steps.push(Step::suggest(format!(
                        "or, without pip in the env: `{python} -m venv --without-pip .venv`"
                    )));
                }
            } else {
                steps.push(Step::suggest(format!(
                    "use a virtual environment: `{python} -m venv .venv` then `.venv/bin/python -m pip install PACKAGE`"
                )));
            }
            if !uv_managed {
                match (&tools.pipx, advice::pipx_command(pm, &minor)) {
                    (Some(_), _) => steps.push(Step::suggest("for command-line tools: `pipx install TOOL`".into())),
                    (None, Some(command)) => steps.push(Step::suggest(format!(
                        "for command-line tools, get pipx from the OS (not `pip install pipx`, which is refused too): `{command}`"
                    ))),
                    (None, None) => steps.push(Step::suggest("for command-line tools, install pipx with your OS's package manager".into())),
                }
                if let Some(command) = advice::os_package_search_command(pm) {
                    steps.push(Step::suggest(format!("for a library your OS tools need, use the OS package; find it with `{command}`")));
                }
            }
        }
        Reason::Unsupported => {
            steps.push(Step::suggest(
                "not supported: pybootstrap checks Python 3.4 and newer".into(),
            ));
        }
        Reason::Broken => {
            let venv_root = report
                .path
                .parent()
                .and_then(|bin| bin.parent())
                .filter(|root| root.join("pyvenv.cfg").is_file());
            match venv_root {
                Some(root) => steps.push(Step::suggest(format!(
                    "a broken virtual environment (its base interpreter is gone or fails): recreate it with `python3 -m venv --clear {}`",
                    root.display()
                ))),
                None => steps.push(Step::suggest("this interpreter does not run; reinstall it or take it off PATH".into())),
            }
        }
    }
    steps
}
