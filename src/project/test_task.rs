//! Which command runs a project's tests: pytest when the project configures or declares
//! it, else the standard library's unittest over the project's test directory.

/// What the repository says about its tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TestFacts<'a> {
    /// `pytest.ini`, `[tool.pytest.ini_options]`, a root `conftest.py`, `setup.cfg
    /// [tool:pytest]` or `tox.ini [pytest]`.
    pub(crate) pytest_configured: bool,
    /// pytest in a test extra, a dependency group or a requirement file the bootstrap installs.
    pub(crate) pytest_declared: bool,
    /// `tests` or `test`, when the repository has one.
    pub(crate) test_dir: Option<&'a str>,
}

/// The test command, and a warning when it calls a tool nothing installs.
pub(crate) fn test_task(facts: TestFacts<'_>) -> (String, Option<String>) {
    if facts.pytest_declared {
        return ("pytest".to_string(), None);
    }
    if facts.pytest_configured {
        return (
            "pytest".to_string(),
            Some(
                "`tasks.test` runs `pytest` (the project configures it), but nothing the bootstrap installs declares pytest: add it to a test extra, a dependency group or a requirements file, or set `tasks.test`"
                    .to_string(),
            ),
        );
    }
    let command = match facts.test_dir {
        Some(dir) => format!("python -m unittest discover -s {dir} -t ."),
        None => "python -m unittest discover".to_string(),
    };
    (command, None)
}

/// Whether a requirement list (lines of a requirements file, or the items of an extra or
/// group) names pytest itself, not a plugin such as `pytest-cov`.
pub(crate) fn names_pytest<'a>(requirements: impl IntoIterator<Item = &'a str>) -> bool {
    requirements.into_iter().any(|line| {
        let line = line.trim().to_ascii_lowercase();
        line.strip_prefix("pytest").is_some_and(|rest| {
            !rest.starts_with(|character: char| {
                character.is_ascii_alphanumeric() || matches!(character, '-' | '_' | '.')
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_per_shape() {
        let declared = TestFacts {
            pytest_declared: true,
            ..TestFacts::default()
        };
        assert_eq!(test_task(declared), ("pytest".to_string(), None));
        let configured = TestFacts {
            pytest_configured: true,
            ..TestFacts::default()
        };
        let (command, warning) = test_task(configured);
        assert_eq!(command, "pytest");
        assert!(warning.is_some_and(|warning| warning.contains("tasks.test")));
        let unittest = TestFacts {
            test_dir: Some("tests"),
            ..TestFacts::default()
        };
        assert_eq!(
            test_task(unittest),
            (
                "python -m unittest discover -s tests -t .".to_string(),
                None
            )
        );
        assert_eq!(
            test_task(TestFacts::default()),
            ("python -m unittest discover".to_string(), None)
        );
    }

    #[test]
    fn pytest_not_its_plugins() {
        assert!(names_pytest(["pytest"]));
        assert!(names_pytest([
            "requests",
            "pytest>=8 ; python_version >= '3.9'"
        ]));
        assert!(names_pytest(["PyTest[testing]==8.1"]));
        assert!(!names_pytest(["pytest-cov", "pytest_mock", "coverage"]));
    }
}
