//! Which Python a command reaches, and whether an install there is a finding: the one
//! decision every context-dependent rule (PB202, PB203, PB204–PB207) shares.
//!
//! A reader (Dockerfile, workflow, script, doc block) says where its commands start (a
//! [`Base`]), the script says what it did before each command (a venv, `sudo`, installing
//! the distro's Python), and [`reach`] and [`verdict`] decide, without I/O.

use super::rules::Rule;

/// What the surrounding file says about the Python first on `PATH`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Base {
    /// A Python the OS does not own: an official `python:*`, conda, PyPy or tool image,
    /// `actions/setup-python`, `deadsnakes/action`, pyenv, a Windows runner or doc section.
    OwnPython,
    /// The distribution's packaged Python, whatever the release and marked or not: a distro
    /// image, a runner's `/usr/bin/python3`, a provisioned machine, an image that installs
    /// `python3`/`python3-pip` with its package manager.
    Distro,
    /// A developer's or CI machine of unknown OS (a script, a doc page, a Makefile): current
    /// Linux distributions and Homebrew mark their Python, but a bare `pip install` there may
    /// well run inside a venv the caller activated.
    #[default]
    Host,
    /// An image lint does not know, with no sign of a distro Python: never a finding.
    Unknown,
}

/// Where one command runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Context {
    pub base: Base,
    /// A venv is active: activated, on `PATH`, or (in a script) created earlier.
    pub venv: bool,
    /// The command runs through `sudo`/`doas`: root, with `sudo`'s `secure_path`.
    pub sudo: bool,
}

/// The Python a command reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reach {
    Venv,
    OwnPython,
    /// The distribution's Python, system-wide.
    System,
    /// A host's first Python: the system one unless the caller activated a venv.
    Host,
    Unknown,
}

/// What a command does that may or may not be a finding, depending on where it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Action {
    /// `pip install` with no `--user`, `--target`, `--prefix`: into the first Python on `PATH`.
    BareInstall,
    /// `pip install --user` or `PIP_USER`.
    UserInstall,
    /// `uv pip install --system` or `UV_SYSTEM_PYTHON`.
    UvSystem,
    /// `get-pip.py` run by the first Python on `PATH`.
    GetPip,
}

/// The Python a command in `context` reaches.
pub(super) fn reach(context: Context) -> Reach {
    if context.sudo {
        // `sudo` resets `PATH` to `secure_path` and drops `VIRTUAL_ENV`.
        return Reach::System;
    }
    if context.venv {
        return Reach::Venv;
    }
    match context.base {
        Base::OwnPython => Reach::OwnPython,
        Base::Distro => Reach::System,
        Base::Host => Reach::Host,
        Base::Unknown => Reach::Unknown,
    }
}

/// Whether `action` on the Python `reach` is a finding.
pub(super) fn verdict(action: Action, reach: Reach) -> bool {
    match (action, reach) {
        (Action::BareInstall, Reach::System) => true,
        (Action::BareInstall, _) => false,
        // pip refuses `--user` inside a venv as well as on a managed Python.
        (Action::UserInstall, Reach::Venv | Reach::System | Reach::Host) => true,
        (Action::UvSystem | Action::GetPip, Reach::System | Reach::Host) => true,
        (Action::UserInstall | Action::UvSystem | Action::GetPip, _) => false,
    }
}

/// Whether `action` is a finding for a command in `context`.
pub(super) fn finding(action: Action, context: Context) -> bool {
    verdict(action, reach(context))
}

/// Whether a finding of `rule` holds for a command in `context`.
pub(super) fn keeps(rule: Rule, context: Context) -> bool {
    rule.definition()
        .reach
        .is_none_or(|action| finding(action, context))
}

/// What earlier commands showed about the machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Evidence {
    /// A package manager installed the distro's Python or pip (`apt-get install
    /// python3-pip`, `apk add py3-pip`, `dnf install python3`).
    pub distro_python: bool,
    /// A command ran through `sudo`: a machine someone administers, not a container or venv.
    pub sudo: bool,
}

/// The base after `evidence`: a host that installs its distro's Python or uses `sudo`, and an
/// unknown image that installs its distro's Python, run the distro's Python.
pub(super) fn base_after(base: Base, evidence: Evidence) -> Base {
    match base {
        Base::Host if evidence.distro_python || evidence.sudo => Base::Distro,
        Base::Unknown if evidence.distro_python => Base::Distro,
        base => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context(base: Base, venv: bool, sudo: bool) -> Context {
        Context { base, venv, sudo }
    }

    #[test]
    fn reach_one_row_each() {
        assert_eq!(reach(context(Base::OwnPython, false, true)), Reach::System);
        assert_eq!(reach(context(Base::Distro, true, true)), Reach::System);
        assert_eq!(reach(context(Base::Distro, true, false)), Reach::Venv);
        assert_eq!(reach(context(Base::Unknown, true, false)), Reach::Venv);
        assert_eq!(
            reach(context(Base::OwnPython, false, false)),
            Reach::OwnPython
        );
        assert_eq!(reach(context(Base::Distro, false, false)), Reach::System);
        assert_eq!(reach(context(Base::Host, false, false)), Reach::Host);
        assert_eq!(reach(context(Base::Unknown, false, false)), Reach::Unknown);
    }

    #[test]
    fn verdict_one_row_each() {
        let rows = [
            (Action::BareInstall, Reach::Venv, false),
            (Action::BareInstall, Reach::OwnPython, false),
            (Action::BareInstall, Reach::System, true),
            (Action::BareInstall, Reach::Host, false),
            (Action::BareInstall, Reach::Unknown, false),
            (Action::UserInstall, Reach::Venv, true),
            (Action::UserInstall, Reach::OwnPython, false),
            (Action::UserInstall, Reach::System, true),
            (Action::UserInstall, Reach::Host, true),
            (Action::UserInstall, Reach::Unknown, false),
            (Action::UvSystem, Reach::Venv, false),
            (Action::UvSystem, Reach::OwnPython, false),
            (Action::UvSystem, Reach::System, true),
            (Action::UvSystem, Reach::Host, true),
            (Action::UvSystem, Reach::Unknown, false),
            (Action::GetPip, Reach::Venv, false),
            (Action::GetPip, Reach::OwnPython, false),
            (Action::GetPip, Reach::System, true),
            (Action::GetPip, Reach::Host, true),
            (Action::GetPip, Reach::Unknown, false),
        ];
        for (action, reach, expected) in rows {
            assert_eq!(verdict(action, reach), expected, "{action:?} {reach:?}");
        }
    }

    #[test]
    fn evidence_one_row_each() {
        let none = Evidence::default();
        let packaged = Evidence {
            distro_python: true,
            sudo: false,
        };
        let sudo = Evidence {
            distro_python: false,
            sudo: true,
        };
        assert_eq!(base_after(Base::Host, none), Base::Host);
        assert_eq!(base_after(Base::Host, packaged), Base::Distro);
        assert_eq!(base_after(Base::Host, sudo), Base::Distro);
        assert_eq!(base_after(Base::Unknown, sudo), Base::Unknown);
        assert_eq!(base_after(Base::Unknown, packaged), Base::Distro);
        assert_eq!(base_after(Base::OwnPython, packaged), Base::OwnPython);
        assert_eq!(base_after(Base::Distro, none), Base::Distro);
    }
}
