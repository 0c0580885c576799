//! Which command runs a project's tests: the command the project already runs (its
//! `Makefile`, tox, nox or Hatch, translated by `task_sources`), else Django's runner for a
//! Django project, else pytest when the project configures or declares it, else the standard
//! library's unittest over the project's test layout.

use super::django::Django;

/// What the repository says about its tests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TestFacts {
    /// The test command of the project's own tool, translated; `None` when it has none or
    /// the translation would not be certain.
    pub(crate) project_command: Option<String>,
    /// `pytest.ini`, `[tool.pytest.ini_options]`, a root `conftest.py`, `setup.cfg
    /// [tool:pytest]` or `tox.ini [pytest]`.
    pub(crate) pytest_configured: bool,
    /// pytest in a test extra, a dependency group or a requirement file the bootstrap installs.
    pub(crate) pytest_declared: bool,
    /// Where unittest finds the tests.
    pub(crate) layout: Discover,
    /// How a Django project runs its tests.
    pub(crate) django: Django,
    /// The project is not installed into the environment (an application run from its
    /// checkout): its modules import only from the working directory.
    pub(crate) uninstalled: bool,
}

/// The test command; pytest runs as `python -m pytest` when the project is not installed.
pub(crate) fn test_task(facts: &TestFacts) -> String {
    let command = runner(facts);
    if facts.uninstalled {
        pytest_as_module(&command)
    } else {
        command
    }
}

/// `command` with each `pytest` (or `py.test`) that starts a command as `python -m pytest`: bare `pytest`
/// puts its own directory and the tests' rootdir on `sys.path`, not the working directory,
/// so a package at the top of a checkout that is not installed (a flat-layout app whose
/// `tests/` has no `conftest.py` or `__init__.py`) does not import; `python -m` puts the
/// working directory first. See docs/tasks.md for the measurement.
fn pytest_as_module(command: &str) -> String {
    let mut out = String::new();
    let mut rest = command;
    let mut at_start = true;
    while !rest.is_empty() {
        if at_start {
            let trimmed = rest.trim_start();
            out.push_str(&rest[..rest.len() - trimmed.len()]);
            rest = trimmed;
            let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            if matches!(&rest[..word_end], "pytest" | "py.test") {
                out.push_str("python -m pytest");
                rest = &rest[word_end..];
            }
            at_start = false;
            continue;
        }
        let next = ["&&", "||", ";"]
            .iter()
            .filter_map(|separator| rest.find(separator).map(|at| (at, separator.len())))
            .min();
        if let Some((at, len)) = next {
            out.push_str(&rest[..at + len]);
            rest = &rest[at + len..];
            at_start = true;
        } else {
            out.push_str(rest);
            rest = "";
        }
    }
    out
}

/// The test command as the project's tools and layout say.
fn runner(facts: &TestFacts) -> String {
    let django = &facts.django;
    if let Some(command) = &facts.project_command {
        return with_settings(command, django);
    }
    // pytest-django reads the settings from pytest's configuration; a configuration
    // kept for a pytest the project does not install says nothing of how its tests run.
    if django.pytest_settings && facts.pytest_declared {
        return "pytest".to_string();
    }
    if django.runtests {
        return "python runtests.py".to_string();
    }
    if let Some(manage) = &django.manage_py {
        let settings = match &django.test_settings {
            Some(settings) if manage.settings.as_ref() != Some(settings) => {
                format!(" --settings={settings}")
            }
            _ => String::new(),
        };
        let test = format!("python manage.py test{settings}");
        let command = if django.static_manifest {
            format!("python manage.py collectstatic --noinput{settings} && {test}")
        } else {
            test
        };
        // The site's modules import from manage.py's directory, and its tests are found
        // from the working directory.
        return match &manage.dir {
            Some(dir) => format!("cd {dir} && {command}"),
            None => command,
        };
    }
    if django.runs_django_test
        && let Some(settings) = &django.test_settings
    {
        return format!("python -m django test --settings={settings}");
    }
    if facts.pytest_declared || facts.pytest_configured {
        return "pytest".to_string();
    }
    facts.layout.command()
}

/// `command` with `--settings=…` after Django's `test` when tox, the `Makefile` or CI set
/// the settings in the environment, which the task does not: `python -m django test` and
/// `django-admin test` have no settings without it, and `manage.py test` would use its
/// default ones.
fn with_settings(command: &str, django: &Django) -> String {
    let Some(settings) = &django.test_settings else {
        return command.to_string();
    };
    if command.contains("--settings") {
        return command.to_string();
    }
    let default = django
        .manage_py
        .as_ref()
        .and_then(|manage| manage.settings.as_ref());
    let runners: &[&str] = if default == Some(settings) {
        &[
            "-m django test",
            "django-admin test",
            "django-admin.py test",
        ]
    } else {
        &[
            "-m django test",
            "django-admin test",
            "django-admin.py test",
            "manage.py test",
        ]
    };
    let found = runners
        .iter()
        .filter_map(|runner| command.find(runner).map(|at| at + runner.len()))
        .min();
    match found {
        Some(end) => format!(
            "{} --settings={settings}{}",
            &command[..end],
            &command[end..]
        ),
        None => command.to_string(),
    }
}

/// `python -m unittest discover`'s arguments: start directory (`-s`), file pattern (`-p`)
/// and top-level directory (`-t`), each `None` where unittest's default is right.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Discover {
    pub(crate) start: Option<String>,
    pub(crate) pattern: Option<&'static str>,
    pub(crate) top: Option<String>,
}

impl Discover {
    fn command(&self) -> String {
        let mut command = "python -m unittest discover".to_string();
        if let Some(start) = &self.start {
            command.push_str(&format!(" -s {start}"));
        }
        if let Some(pattern) = self.pattern {
            command.push_str(&format!(" -p '{pattern}'"));
        }
        if let Some(top) = &self.top {
            command.push_str(&format!(" -t {top}"));
        }
        command
    }
}

/// The file patterns projects name their unittest modules by, unittest's default first.
const PATTERNS: [&str; 3] = ["test*.py", "*_test.py", "*_tests.py"];

/// A Python file that may hold tests: its `/`-separated path from the repository root, and
/// whether each directory above it, innermost first, is a package (holds `__init__.py`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TestFile {
    pub(crate) path: String,
    pub(crate) packages: Vec<bool>,
}

/// Where `python -m unittest discover` finds `files`: the pattern most of them match, the
/// directory holding all of those, and as top-level directory the nearest ancestor of it
/// that is not a package, so that the test modules import under their package names (a
/// start directory without `__init__.py` is its own top level: unittest refuses `-t .`
/// for it). Only files inside a `test`/`tests`/`testing` directory, or `test*.py` at the
/// root, count.
pub(crate) fn discover(files: &[TestFile]) -> Discover {
    let in_test_dir = |path: &str| {
        let mut parts: Vec<&str> = path.split('/').collect();
        parts.pop();
        parts
            .iter()
            .any(|part| matches!(*part, "test" | "tests" | "testing"))
    };
    #[expect(
        clippy::case_sensitive_file_extension_comparisons,
        reason = "unittest's patterns compare case-sensitively, as fnmatch does on POSIX"
    )]
    let matches = |pattern: &str, path: &str| {
        let name = path.rsplit('/').next().unwrap_or(path);
        match pattern {
            "test*.py" => name.starts_with("test") && name.ends_with(".py"),
            _ => name.ends_with(&pattern[1..]),
        }
    };
    let counted: Vec<&TestFile> = files
        .iter()
        .filter(|file| {
            in_test_dir(&file.path) || (!file.path.contains('/') && matches("test*.py", &file.path))
        })
        .collect();
    let best = PATTERNS
        .iter()
        .map(|pattern| {
            let hits: Vec<&&TestFile> = counted
                .iter()
                .filter(|file| matches(pattern, &file.path))
                .collect();
            (*pattern, hits)
        })
        .max_by_key(|(pattern, hits)| (hits.len(), *pattern == PATTERNS[0]));
    let Some((pattern, hits)) = best.filter(|(_, hits)| !hits.is_empty()) else {
        return Discover::default();
    };
    // The deepest directory holding every file, and the package flags of its path.
    let directories: Vec<Vec<&str>> = hits
        .iter()
        .map(|file| {
            let mut parts: Vec<&str> = file.path.split('/').collect();
            parts.pop();
            parts
        })
        .collect();
    let common = directories
        .iter()
        .skip(1)
        .fold(directories[0].clone(), |common, parts| {
            common
                .iter()
                .zip(parts)
                .take_while(|(left, right)| left == right)
                .map(|(left, _)| *left)
                .collect()
        });
    // `packages` of any file under `common`, trimmed to `common`'s own directories.
    let sample = hits[0];
    let depth = directories[0].len();
    let is_package = |level: usize| -> bool {
        // `level` directories from the root (1 = the first directory).
        sample.packages.get(depth - level).copied().unwrap_or(false)
    };
    let mut top = common.len();
    while top > 0 && is_package(top) {
        top -= 1;
    }
    let pattern = (pattern != PATTERNS[0]).then_some(pattern);
    if common.is_empty() {
        return Discover {
            start: None,
            pattern,
            top: None,
        };
    }
    let top = match top {
        _ if top == common.len() => None,
        0 => Some(".".to_string()),
        level => Some(common[..level].join("/")),
    };
    Discover {
        start: Some(common.join("/")),
        pattern,
        top,
    }
}

/// Whether a requirement list (lines of a requirements file, or the items of an extra or
/// group) names pytest itself, or pytest-django, which Django projects declare in its
/// stead; not another plugin such as `pytest-cov`.
pub(crate) fn names_pytest<'a>(requirements: impl IntoIterator<Item = &'a str>) -> bool {
    requirements.into_iter().any(|line| {
        let line = line.trim().to_ascii_lowercase();
        ["pytest-django", "pytest"].iter().any(|name| {
            line.strip_prefix(name).is_some_and(|rest| {
                !rest.starts_with(|character: char| {
                    character.is_ascii_alphanumeric() || matches!(character, '-' | '_' | '.')
                })
            })
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pytest_runs_as_a_module_when_the_project_is_not_installed() {
        let facts = |project_command: Option<&str>, uninstalled: bool| TestFacts {
            project_command: project_command.map(ToString::to_string),
            pytest_declared: true,
            uninstalled,
            ..TestFacts::default()
        };
        let rows = [
            (None, false, "pytest"),
            (None, true, "python -m pytest"),
            (
                Some("pytest -q --capture=no"),
                true,
                "python -m pytest -q --capture=no",
            ),
            (
                Some("pytest tests && pytest-benchmark compare"),
                true,
                "python -m pytest tests && pytest-benchmark compare",
            ),
            (
                Some("ruff check . && pytest"),
                true,
                "ruff check . && python -m pytest",
            ),
            (
                Some("coverage run -m pytest"),
                true,
                "coverage run -m pytest",
            ),
            (Some("pytest -q"), false, "pytest -q"),
            (Some("py.test tests/"), true, "python -m pytest tests/"),
        ];
        for (command, uninstalled, expected) in rows {
            assert_eq!(
                test_task(&facts(command, uninstalled)),
                expected,
                "{command:?}"
            );
        }
    }

    #[test]
    fn one_row_per_shape() {
        let project = TestFacts {
            project_command: Some("python -m pytest tests".to_string()),
            pytest_declared: true,
            ..TestFacts::default()
        };
        assert_eq!(test_task(&project), "python -m pytest tests");
        let declared = TestFacts {
            pytest_declared: true,
            ..TestFacts::default()
        };
        assert_eq!(test_task(&declared), "pytest");
        let configured = TestFacts {
            pytest_configured: true,
            ..TestFacts::default()
        };
        assert_eq!(test_task(&configured), "pytest");
        let unittest = TestFacts {
            layout: Discover {
                start: Some("tests".to_string()),
                pattern: None,
                top: Some(".".to_string()),
            },
            ..TestFacts::default()
        };
        assert_eq!(
            test_task(&unittest),
            "python -m unittest discover -s tests -t ."
        );
        assert_eq!(
            test_task(&TestFacts::default()),
            "python -m unittest discover"
        );
    }

    #[test]
    fn a_site_below_the_top_runs_from_its_directory() {
        use crate::project::django::ManagePy;
        let facts = TestFacts {
            django: Django {
                manage_py: Some(ManagePy {
                    settings: Some("mysite.settings".to_string()),
                    dir: Some("backend".to_string()),
                }),
                test_settings: Some("mysite.test_settings".to_string()),
                ..Django::default()
            },
            uninstalled: true,
            ..TestFacts::default()
        };
        assert_eq!(
            test_task(&facts),
            "cd backend && python manage.py test --settings=mysite.test_settings"
        );
    }

    #[test]
    fn django_runs_its_own_runner() {
        use crate::project::django::ManagePy;
        let manage = |settings: &str| {
            Some(ManagePy {
                settings: Some(settings.to_string()),
                dir: None,
            })
        };
        let settings = |module: &str| Some(module.to_string());
        let rows: Vec<(Option<&str>, Django, &str)> = vec![
            (
                Some("python -m pytest"),
                Django {
                    manage_py: manage("site.settings"),
                    ..Django::default()
                },
                "python -m pytest",
            ),
            (
                Some("python -m coverage run -m django test -v2 tests"),
                Django {
                    test_settings: settings("tests.settings"),
                    runs_django_test: true,
                    ..Django::default()
                },
                "python -m coverage run -m django test --settings=tests.settings -v2 tests",
            ),
            (
                Some("python manage.py test --settings=site.ci"),
                Django {
                    manage_py: manage("site.settings"),
                    test_settings: settings("site.test"),
                    ..Django::default()
                },
                "python manage.py test --settings=site.ci",
            ),
            (
                Some("python manage.py test"),
                Django {
                    manage_py: manage("site.settings"),
                    test_settings: settings("site.settings"),
                    ..Django::default()
                },
                "python manage.py test",
            ),
            (
                None,
                Django {
                    manage_py: manage("site.settings"),
                    pytest_settings: true,
                    runtests: true,
                    ..Django::default()
                },
                "pytest",
            ),
            // pytest-django's settings where nothing installs pytest: Django's runner.
            (
                None,
                Django {
                    manage_py: manage("site.settings"),
                    pytest_settings: true,
                    ..Django::default()
                },
                "python manage.py test",
            ),
            (
                None,
                Django {
                    manage_py: manage("site.settings"),
                    runtests: true,
                    ..Django::default()
                },
                "python runtests.py",
            ),
            (
                None,
                Django {
                    manage_py: manage("site.settings.dev"),
                    test_settings: settings("site.settings.test"),
                    ..Django::default()
                },
                "python manage.py test --settings=site.settings.test",
            ),
            (
                None,
                Django {
                    manage_py: Some(ManagePy::default()),
                    ..Django::default()
                },
                "python manage.py test",
            ),
            (
                None,
                Django {
                    test_settings: settings("tests.settings"),
                    runs_django_test: true,
                    ..Django::default()
                },
                "python -m django test --settings=tests.settings",
            ),
            // Settings without a Django test command to run them: not Django's runner.
            (
                None,
                Django {
                    test_settings: settings("tests.settings"),
                    ..Django::default()
                },
                "python -m unittest discover",
            ),
        ];
        for (project_command, django, expected) in rows {
            let facts = TestFacts {
                project_command: project_command.map(ToString::to_string),
                pytest_declared: expected == "pytest",
                django,
                ..TestFacts::default()
            };
            assert_eq!(test_task(&facts), expected, "{facts:?}");
        }
    }

    fn file(path: &str, packages: &[bool]) -> TestFile {
        TestFile {
            path: path.to_string(),
            packages: packages.to_vec(),
        }
    }

    #[test]
    fn unittest_finds_the_layout() {
        let rows: Vec<(Vec<TestFile>, &str)> = vec![
            (vec![], "python -m unittest discover"),
            (
                vec![
                    file("tests/test_a.py", &[true]),
                    file("tests/test_b.py", &[true]),
                ],
                "python -m unittest discover -s tests -t .",
            ),
            (
                vec![file("tests/test_a.py", &[false])],
                "python -m unittest discover -s tests",
            ),
            (
                vec![file("test_app.py", &[])],
                "python -m unittest discover",
            ),
            (
                vec![
                    file("mkdocs/tests/build_tests.py", &[true, true]),
                    file("mkdocs/tests/config/base_tests.py", &[true, true, true]),
                    file("mkdocs/tests/base.py", &[true, true]),
                    file("mkdocs/utils/testing.py", &[true, true]),
                ],
                "python -m unittest discover -s mkdocs/tests -p '*_tests.py' -t .",
            ),
            (
                vec![file("src/pkg/tests/test_core.py", &[true, true, false])],
                "python -m unittest discover -s src/pkg/tests -t src",
            ),
            (
                vec![
                    file("tests/unit/test_a.py", &[true, true]),
                    file("tests/integration/test_b.py", &[true, true]),
                ],
                "python -m unittest discover -s tests -t .",
            ),
            (
                vec![
                    file("pkg/core_test.py", &[true]),
                    file("tests/core_test.py", &[false]),
                ],
                "python -m unittest discover -s tests -p '*_test.py'",
            ),
            (
                vec![file("pkg/testing.py", &[true])],
                "python -m unittest discover",
            ),
        ];
        for (files, expected) in rows {
            let facts = TestFacts {
                layout: discover(&files),
                ..TestFacts::default()
            };
            assert_eq!(test_task(&facts), expected, "{files:?}");
        }
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
