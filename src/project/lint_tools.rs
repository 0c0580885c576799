//! Which commands lint and format a project: the tools it configures, or none at all (a
//! `make lint` that runs a tool the project never chose would fail or rewrite its code).

/// The lint and format tools a repository configures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct LintFacts {
    /// `[tool.ruff]` in `pyproject.toml`, `ruff.toml` or `.ruff.toml`.
    pub(crate) ruff: bool,
    /// `[tool.ruff.format]`: ruff is also the formatter.
    pub(crate) ruff_format: bool,
    /// `.flake8`, `setup.cfg [flake8]` or `tox.ini [flake8]`.
    pub(crate) flake8: bool,
    /// `[tool.black]`.
    pub(crate) black: bool,
    /// `[tool.isort]`, `.isort.cfg` or `setup.cfg [isort]`.
    pub(crate) isort: bool,
    /// `.pre-commit-config.yaml`.
    pub(crate) pre_commit: bool,
}

/// `tasks.lint`: ruff, else flake8, else the pre-commit hooks (which is how projects that
/// lint only through pre-commit run their linters); `None` when nothing is configured.
pub(crate) fn lint_task(facts: LintFacts) -> Option<&'static str> {
    if facts.ruff {
        Some("ruff check .")
    } else if facts.flake8 {
        Some("flake8")
    } else if facts.pre_commit {
        Some("pre-commit run --all-files")
    } else {
        None
    }
}

/// `tasks.fmt`: black (after isort when both are configured) where black is configured,
/// since a project that configures black formats with it even when ruff lints; else
/// `ruff format`; else isort alone; `None` when nothing is configured. pre-commit is not a
/// formatter: its hooks are the lint task.
pub(crate) fn fmt_task(facts: LintFacts) -> Option<&'static str> {
    match (facts.black, facts.isort) {
        _ if facts.ruff_format => Some("ruff format ."),
        (true, true) => Some("isort . && black ."),
        (true, false) => Some("black ."),
        _ if facts.ruff => Some("ruff format ."),
        (false, true) => Some("isort ."),
        (false, false) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lint_follows_the_configured_linter() {
        let rows = [
            (LintFacts::default(), None),
            (
                LintFacts {
                    ruff: true,
                    flake8: true,
                    ..LintFacts::default()
                },
                Some("ruff check ."),
            ),
            (
                LintFacts {
                    flake8: true,
                    pre_commit: true,
                    ..LintFacts::default()
                },
                Some("flake8"),
            ),
            (
                LintFacts {
                    pre_commit: true,
                    black: true,
                    ..LintFacts::default()
                },
                Some("pre-commit run --all-files"),
            ),
            (
                LintFacts {
                    black: true,
                    isort: true,
                    ..LintFacts::default()
                },
                None,
            ),
        ];
        for (facts, lint) in rows {
            assert_eq!(lint_task(facts), lint, "{facts:?}");
        }
    }

    #[test]
    fn fmt_follows_the_configured_formatter() {
        let rows = [
            (LintFacts::default(), None),
            (
                LintFacts {
                    ruff: true,
                    ..LintFacts::default()
                },
                Some("ruff format ."),
            ),
            (
                LintFacts {
                    ruff: true,
                    black: true,
                    ..LintFacts::default()
                },
                Some("black ."),
            ),
            (
                LintFacts {
                    ruff: true,
                    ruff_format: true,
                    black: true,
                    ..LintFacts::default()
                },
                Some("ruff format ."),
            ),
            (
                LintFacts {
                    black: true,
                    isort: true,
                    flake8: true,
                    ..LintFacts::default()
                },
                Some("isort . && black ."),
            ),
            (
                LintFacts {
                    isort: true,
                    ..LintFacts::default()
                },
                Some("isort ."),
            ),
            (
                LintFacts {
                    flake8: true,
                    pre_commit: true,
                    ..LintFacts::default()
                },
                None,
            ),
        ];
        for (facts, fmt) in rows {
            assert_eq!(fmt_task(facts), fmt, "{facts:?}");
        }
    }
}
