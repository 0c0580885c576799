//! pip's PEP 668 verdict on one interpreter, from its probed facts and a fresh read of its
//! marker: venv first, then the marker file in its `stdlib`, then the message by pip's rules.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::python::locale;
use crate::python::marker::{self, MarkerState};
use crate::python::pip_config::{self, EnvView, Overrides};
use crate::python::probe::{Facts, ProbeFailure};

/// Why the interpreter is (or is not) externally managed; the spec's `reason` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    Venv,
    NoMarker,
    Marker,
    MarkerUnparsable,
    MarkerUnreadable,
    Unsupported,
    Broken,
}

/// One interpreter's entry in `detect --json`: the spec's field names, `null` for unknowns.
#[derive(Debug, Clone, Serialize)]
pub struct InterpreterReport {
    pub path: PathBuf,
    pub real_path: Option<PathBuf>,
    pub version: Option<String>,
    pub implementation: Option<String>,
    pub prefix: Option<PathBuf>,
    pub base_prefix: Option<PathBuf>,
    pub in_venv: Option<bool>,
    pub externally_managed: Option<bool>,
    pub reason: Reason,
    pub marker: Option<PathBuf>,
    pub message: Option<String>,
    pub message_key: Option<String>,
    pub warnings: Vec<String>,
    pub pip: Option<String>,
    pub venv_ok: Option<bool>,
    pub stdlib: Option<PathBuf>,
    pub overrides: Option<Overrides>,
    /// The probe's answers, for advice; not part of the JSON contract.
    #[serde(skip)]
    pub facts: Option<Facts>,
    /// A virtual environment with no pip in it, and why; for the verdict and advice.
    #[serde(skip)]
    pub pip_missing: Option<PipMissing>,
    /// How it fails when started with the caller's `PYTHONHOME`/`PYTHONPATH` (the probe
    /// runs without them); also one of `warnings`.
    #[serde(skip)]
    pub inherited_failure: Option<String>,
}

/// Why a virtual environment has no pip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PipMissing {
    /// uv makes environments without pip on purpose; `uv pip` installs into them.
    MadeByUv,
    /// `python -m venv` without ensurepip (or `--without-pip`): `python -m pip` fails.
    Incomplete,
}

/// Whether a venv lacks pip, from its probed pip and its `pyvenv.cfg` (uv writes a `uv`
/// key there).
fn pip_missing(in_venv: bool, pip: Option<&str>, pyvenv_cfg: Option<&str>) -> Option<PipMissing> {
    if !in_venv || pip.is_some() {
        return None;
    }
    let made_by_uv = pyvenv_cfg.is_some_and(|text| {
        text.lines()
            .any(|line| line.split('=').next().is_some_and(|key| key.trim() == "uv"))
    });
    Some(if made_by_uv {
        PipMissing::MadeByUv
    } else {
        PipMissing::Incomplete
    })
}

/// pip dropped the legacy-virtualenv (`sys.real_prefix`) test in 26.2.
const PIP_WITHOUT_REAL_PREFIX: (u64, u64, u64) = (26, 2, 0);
/// The first pip that checks the marker at all.
const PIP_WITH_PEP668: (u64, u64, u64) = (23, 0, 0);

/// The verdict for an interpreter that answered the probe.
pub fn assess(
    path: &Path,
    real_path: Option<PathBuf>,
    facts: Facts,
    env: &EnvView,
) -> InterpreterReport {
    let mut warnings = Vec::new();
    let pip = facts.pip.as_deref().map(parse_version);
    let in_venv = facts.prefix != facts.base_prefix;
    let legacy_virtualenv = facts.real_prefix.is_some();
    if legacy_virtualenv {
        warnings.push(
            "a legacy virtualenv (`sys.real_prefix`, virtualenv < 20): pip before 26.2 treats it as a virtual environment, newer pip does not; recreate it with `python -m venv`".into(),
        );
    }
    let pip_honours_real_prefix = pip.is_none_or(|v| v < PIP_WITHOUT_REAL_PREFIX);
    let counts_as_venv = in_venv || (legacy_virtualenv && pip_honours_real_prefix);
    let overrides = pip_config::overrides(env, &facts.prefix, facts.pip.as_deref());
    warnings.extend(overrides.warnings.iter().cloned());

    let mut report = InterpreterReport {
        path: path.to_path_buf(),
        real_path,
        version: Some(facts.version.clone()),
        implementation: Some(facts.implementation.clone()),
        prefix: Some(facts.prefix.clone()),
        base_prefix: Some(facts.base_prefix.clone()),
        in_venv: Some(in_venv),
        externally_managed: Some(false),
        reason: Reason::Venv,
        marker: None,
        message: None,
        message_key: None,
        warnings,
        pip: facts.pip.clone(),
        venv_ok: Some(facts.venv && facts.ensurepip),
        stdlib: Some(facts.stdlib.clone()),
        overrides: Some(overrides),
        facts: None,
        pip_missing: None,
        inherited_failure: None,
    };
    let pyvenv_cfg = fs_err::read_to_string(facts.prefix.join("pyvenv.cfg")).ok();
    report.pip_missing = pip_missing(in_venv, facts.pip.as_deref(), pyvenv_cfg.as_deref());
    if report.pip_missing == Some(PipMissing::Incomplete) {
        report.warnings.push(
            "no pip in this virtual environment (made without ensurepip?): `python -m pip` fails here".into(),
        );
    }
    if !counts_as_venv {
        let prefix = facts.prefix.to_string_lossy();
        let (major, minor, _) = parse_version(&facts.version);
        let python = (
            u32::try_from(major).unwrap_or(3),
            u32::try_from(minor).unwrap_or(0),
        );
        let language =
            locale::message_language_for_python(&|name| env.var(name).map(str::to_string), python);
        let marker = marker::read_marker(&facts.stdlib, &prefix, language.as_deref());
        report.reason = match marker.state {
            MarkerState::NoMarker => Reason::NoMarker,
            MarkerState::Marker => Reason::Marker,
            MarkerState::MarkerUnparsable => Reason::MarkerUnparsable,
            MarkerState::MarkerUnreadable => Reason::MarkerUnreadable,
        };
        report.externally_managed = Some(marker.state != MarkerState::NoMarker);
        report.marker = marker.path;
        report.message = marker.message;
        report.message_key = marker.message_key;
        report.warnings.extend(marker.warnings);
        if report.externally_managed == Some(true) && pip.is_some_and(|v| v < PIP_WITH_PEP668) {
            report.warnings.push(format!(
                "pip {} predates PEP 668 (pip 23.0) and installs here anyway; use a virtual environment",
                facts.pip.as_deref().unwrap_or_default()
            ));
        }
    }
    report.facts = Some(facts);
    report
}

/// The report for an interpreter that could not answer.
pub fn failed(
    path: &Path,
    real_path: Option<PathBuf>,
    failure: &ProbeFailure,
) -> InterpreterReport {
    let reason = match failure {
        ProbeFailure::Unsupported(_) => Reason::Unsupported,
        ProbeFailure::Broken(_) | ProbeFailure::NotAPython(_) => Reason::Broken,
    };
    InterpreterReport {
        path: path.to_path_buf(),
        real_path,
        version: None,
        implementation: None,
        prefix: None,
        base_prefix: None,
        in_venv: None,
        externally_managed: None,
        reason,
        marker: None,
        message: None,
        message_key: None,
        warnings: vec![failure.to_string()],
        pip: None,
        venv_ok: None,
        stdlib: None,
        overrides: None,
        facts: None,
        pip_missing: None,
        inherited_failure: None,
    }
}

/// `23.0.1` → (23, 0, 1); pre-release and local suffixes are ignored.
pub fn parse_version(text: &str) -> (u64, u64, u64) {
    let mut parts = text.split('.').map(|part| {
        part.chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or(0)
    });
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pip_missing_rows() {
        assert_eq!(pip_missing(false, None, None), None);
        assert_eq!(pip_missing(true, Some("24.0"), None), None);
        assert_eq!(
            pip_missing(true, None, Some("home = /usr/bin\nversion = 3.11.2\n")),
            Some(PipMissing::Incomplete)
        );
        assert_eq!(pip_missing(true, None, None), Some(PipMissing::Incomplete));
        assert_eq!(
            pip_missing(true, None, Some("home = /usr/bin\nuv = 0.5.1\n")),
            Some(PipMissing::MadeByUv)
        );
    }
}
