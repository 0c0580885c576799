//! What says a repository is a Django project and how it runs its tests: `manage.py` and
//! the settings it defaults to, a `runtests.py`, pytest-django's settings, and the settings
//! its tox, `Makefile`, CI or task runner gives the tests (`DJANGO_SETTINGS_MODULE`, or
//! `--settings` after `manage.py test`), else its one conventional test settings module.

use std::sync::LazyLock;

use regex::Regex;

use super::files::RepoFiles;
use super::test_task::TestFile;
use super::tree::{Kind, Tree};

/// The Django facts of a repository; the default is a project that is not Django.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Django {
    /// A top-level `manage.py` that uses Django, with the settings module its
    /// `os.environ.setdefault("DJANGO_SETTINGS_MODULE", …)` names.
    pub(crate) manage_py: Option<ManagePy>,
    /// A top-level `runtests.py` that uses Django: the runner the project ships.
    pub(crate) runtests: bool,
    /// pytest-django is configured: `DJANGO_SETTINGS_MODULE` in pytest's configuration.
    pub(crate) pytest_settings: bool,
    /// The settings module tox's `setenv`, the `Makefile` or a CI pipeline sets for the
    /// tests, when it is a module of the repository.
    pub(crate) test_settings: Option<String>,
    /// tox or the `Makefile` runs `python -m django test` or `django-admin test`.
    pub(crate) runs_django_test: bool,
    /// `manage.py`'s settings store static files with a manifest (`ManifestStaticFilesStorage`,
    /// WhiteNoise's `CompressedManifestStaticFilesStorage`): the tests run with `DEBUG` off,
    /// where every `{% static %}` needs the manifest `collectstatic` writes.
    pub(crate) static_manifest: bool,
}

/// The site's `manage.py`: at the top, or in the one directory below that holds the site
/// (`backend/`, `src/`, `mysite/`) when the dependencies are declared at the top.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ManagePy {
    pub(crate) settings: Option<String>,
    /// The directory it is in, `None` at the top: its modules import from there.
    pub(crate) dir: Option<String>,
}

impl ManagePy {
    /// `module`'s file stem (`site/settings` for `site.settings`), from the repository root.
    fn path_of(&self, module: &str) -> String {
        let path = module.replace('.', "/");
        match &self.dir {
            Some(dir) => format!("{dir}/{path}"),
            None => path,
        }
    }
}

/// Directories whose `manage.py` is a library's demo or test project, not the site.
const NOT_THE_SITE: [&str; 12] = [
    "example",
    "examples",
    "demo",
    "demos",
    "sample",
    "samples",
    "sandbox",
    "docs",
    "test",
    "tests",
    "testproject",
    "test_project",
];

static SETDEFAULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"setdefault\(\s*["']DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.]+)["']"#)
        .expect("valid regex")
});

// `DJANGO_SETTINGS_MODULE=x.y` (shell, Makefile), `= x.y` (tox setenv), `: x.y` (CI env).
static ASSIGNED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"DJANGO_SETTINGS_MODULE\s*[:=]\s*["']?([A-Za-z_][\w.]*)"#).expect("valid regex")
});

// `manage.py test … --settings=x.y` (or `--settings x.y`), as a task runner or CI runs it.
static SETTINGS_FLAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?:manage\.py|django-admin(?:\.py)?|-m django)\s+test\b[^\n]*?--settings[= ]["']?([A-Za-z_][\w.]*)"#,
    )
    .expect("valid regex")
});

/// Files of task runners that may run `manage.py test --settings=…` (tox, the `Makefile`
/// and CI are read already).
const TASK_FILES: [&str; 6] = [
    "package.json",
    "gulpfile.js",
    "justfile",
    "Justfile",
    "noxfile.py",
    "tasks.py",
];

/// The last names of the modules Django projects keep their test settings in.
const TEST_SETTINGS_NAMES: [&str; 5] = [
    "settings/test",
    "settings/testing",
    "settings/tests",
    "test_settings",
    "settings_test",
];

static DJANGO_TEST: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(-m django|django-admin(\.py)?) test\b").expect("valid regex"));

/// The Django facts from the files read, the repository's Python modules (a settings
/// module must be one of them), its parsed `pyproject.toml`, the text of its CI pipelines
/// and `read`, which reads a settings module's file.
pub(crate) fn read(
    files: &RepoFiles,
    python_files: &[TestFile],
    pyproject: Option<&toml::Table>,
    pipelines: &[String],
    read: &dyn Fn(&str) -> Option<String>,
) -> Django {
    let text = |path: &str| files.text(path).ok().flatten();
    // Flask-Script's `manage.py` and other projects' `runtests.py` are not Django's.
    let djangos = |path: &str| text(path).filter(|text| text.contains("django"));
    // A `manage.py` that hands over to the project's own package (`runpy.run_module`)
    // names no Django; the CI running `manage.py test` says whose it is.
    let ci_runs_manage_test = pipelines
        .iter()
        .any(|pipeline| pipeline.contains("manage.py test"));
    let top = djangos("manage.py").or_else(|| text("manage.py").filter(|_| ci_runs_manage_test));
    let manage_py = find_manage_py(top, python_files, read);
    let is_module = |module: &str| {
        let path = match &manage_py {
            Some(manage) => manage.path_of(module),
            None => module.replace('.', "/"),
        };
        python_files.iter().any(|file| {
            file.path == format!("{path}.py") || file.path == format!("{path}/__init__.py")
        })
    };
    let project_texts: Vec<&str> = ["tox.ini", "Makefile"]
        .into_iter()
        .filter_map(text)
        .collect();
    let test_settings = project_texts
        .iter()
        .copied()
        .chain(pipelines.iter().map(String::as_str))
        // The substring first: most repositories never name the settings, and compiling
        // the pattern is a good part of a run's time.
        .filter(|text| text.contains("DJANGO_SETTINGS_MODULE"))
        .flat_map(|text| ASSIGNED.captures_iter(text))
        .map(|captures| captures[1].to_string())
        .find(|module| is_module(module))
        .or_else(|| {
            manage_py.as_ref()?;
            settings_flag(&project_texts, pipelines, read, &is_module)
                .or_else(|| conventional_test_settings(manage_py.as_ref(), python_files))
        });
    let static_manifest = manage_py
        .as_ref()
        .and_then(|manage| Some((manage, manage.settings.as_deref()?)))
        .is_some_and(|(manage, module)| {
            let path = manage.path_of(module);
            [format!("{path}.py"), format!("{path}/__init__.py")]
                .iter()
                .filter_map(|file| read(file))
                .any(|text| stores_static_with_manifest(&text))
        });
    Django {
        static_manifest,
        manage_py,
        runtests: djangos("runtests.py").is_some(),
        pytest_settings: pytest_settings(files, pyproject),
        test_settings,
        runs_django_test: project_texts
            .iter()
            .any(|text| text.contains("django") && DJANGO_TEST.is_match(text)),
    }
}

/// The top-level `manage.py` (`top`, its text when it uses Django), else the one in a
/// directory just below the top that is not a demo or test project, with the settings its
/// `os.environ.setdefault("DJANGO_SETTINGS_MODULE", …)` names.
fn find_manage_py(
    top: Option<&str>,
    python_files: &[TestFile],
    read: &dyn Fn(&str) -> Option<String>,
) -> Option<ManagePy> {
    let settings_in = |text: &str| {
        SETDEFAULT
            .captures(text)
            .map(|captures| captures[1].to_string())
    };
    if let Some(text) = top {
        return Some(ManagePy {
            settings: settings_in(text),
            dir: None,
        });
    }
    let mut below = python_files.iter().filter_map(|file| {
        let dir = file.path.strip_suffix("/manage.py")?;
        // The directory goes into the test command as it is: a plain name only.
        let plain = dir
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
            && !dir.starts_with(['.', '-']);
        (plain && !NOT_THE_SITE.contains(&dir.to_ascii_lowercase().as_str())).then_some(dir)
    });
    let dir = below.next()?;
    if below.next().is_some() {
        return None;
    }
    let text = read(&format!("{dir}/manage.py")).filter(|text| text.contains("django"))?;
    Some(ManagePy {
        settings: settings_in(&text),
        dir: Some(dir.to_string()),
    })
}

/// The settings module a `manage.py test --settings=…` in the project's tasks or CI names.
fn settings_flag(
    project_texts: &[&str],
    pipelines: &[String],
    read: &dyn Fn(&str) -> Option<String>,
    is_module: &dyn Fn(&str) -> bool,
) -> Option<String> {
    let task_texts: Vec<String> = TASK_FILES.iter().filter_map(|path| read(path)).collect();
    project_texts
        .iter()
        .copied()
        .chain(pipelines.iter().map(String::as_str))
        .chain(task_texts.iter().map(String::as_str))
        .filter(|text| text.contains("--settings"))
        .flat_map(|text| SETTINGS_FLAG.captures_iter(text))
        .map(|captures| captures[1].to_string())
        .find(|module| is_module(module))
}

/// The one test settings module a Django project whose `manage.py` names no default
/// settings keeps by convention (`site/settings/test.py`, `site/test_settings.py`, …):
/// without it `manage.py test` has no settings at all. Two candidates are no answer.
fn conventional_test_settings(
    manage_py: Option<&ManagePy>,
    python_files: &[TestFile],
) -> Option<String> {
    let manage_py = manage_py?;
    if manage_py.settings.is_some() {
        return None;
    }
    let mut found = python_files.iter().filter_map(|file| {
        let path = match &manage_py.dir {
            Some(dir) => file.path.strip_prefix(dir.as_str())?.strip_prefix('/')?,
            None => file.path.as_str(),
        };
        let module = path.strip_suffix(".py")?;
        let (package, rest) = module.split_once('/')?;
        (!package.is_empty() && TEST_SETTINGS_NAMES.contains(&rest))
            .then(|| module.replace('/', "."))
    });
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// The text of the CI pipelines whose `env` may name the tests' settings: GitHub's
/// workflows and `.gitlab-ci.yml`.
pub(crate) fn pipelines(tree: &dyn Tree, read: &dyn Fn(&str) -> Option<String>) -> Vec<String> {
    let workflows = tree.list(".github/workflows").unwrap_or_default();
    workflows
        .into_iter()
        .filter(|entry| entry.kind == Kind::File)
        .map(|entry| format!(".github/workflows/{}", entry.name))
        .chain([".gitlab-ci.yml".to_string()])
        .filter_map(|path| read(&path))
        .collect()
}

/// Whether a settings module's `text` sets a manifest storage outside a comment.
fn stores_static_with_manifest(text: &str) -> bool {
    text.lines().any(|line| {
        let code = line.split('#').next().unwrap_or_default();
        code.contains("ManifestStaticFilesStorage")
    })
}

/// Whether pytest's configuration names the settings, as pytest-django reads them.
fn pytest_settings(files: &RepoFiles, pyproject: Option<&toml::Table>) -> bool {
    let text = |path: &str| files.text(path).ok().flatten();
    let ini_has = |path: &str, section: &str| {
        text(path)
            .and_then(|text| crate::python::ini::parse(text).ok())
            .is_some_and(|ini| ini.get(section, "DJANGO_SETTINGS_MODULE").is_some())
    };
    // pytest 9 reads its settings from `[tool.pytest]` itself too.
    let names_settings = |options: &toml::Value| {
        options.get("DJANGO_SETTINGS_MODULE").is_some()
            || options.get("django_settings_module").is_some()
    };
    let pyproject = pyproject
        .and_then(|table| table.get("tool")?.get("pytest"))
        .is_some_and(|pytest| {
            names_settings(pytest) || pytest.get("ini_options").is_some_and(names_settings)
        });
    pyproject
        || ini_has("pytest.ini", "pytest")
        || ini_has("setup.cfg", "tool:pytest")
        || ini_has("tox.ini", "pytest")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn django(files: &[(&str, &str)]) -> Django {
        crate::project::Project::in_memory("site", files).django
    }

    #[test]
    fn a_manifest_storage_in_the_settings_module() {
        let manage = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\nimport django\n";
        let storage = "STORAGES = {'staticfiles': {'BACKEND': 'whitenoise.storage.CompressedManifestStaticFilesStorage'}}\n";
        let with = |settings: &str| {
            django(&[("manage.py", manage), ("site/settings.py", settings)]).static_manifest
        };
        assert!(with(storage));
        assert!(!with(&format!("# {storage}")));
        assert!(!with("STATIC_URL = 'static/'\n"));
        let package = django(&[
            ("manage.py", manage),
            ("site/settings/__init__.py", storage),
        ]);
        assert!(package.static_manifest);
    }

    #[test]
    fn facts_by_file() {
        let manage = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings.dev')\nimport django\n";
        let rows: Vec<(Vec<(&str, &str)>, Django)> = vec![
            (vec![("README.md", "")], Django::default()),
            (
                vec![("manage.py", manage), ("site/settings/dev.py", "")],
                Django {
                    manage_py: Some(ManagePy {
                        settings: Some("site.settings.dev".to_string()),
                        dir: None,
                    }),
                    ..Django::default()
                },
            ),
            (
                vec![("runtests.py", "import django\n")],
                Django {
                    runtests: true,
                    ..Django::default()
                },
            ),
            (
                vec![
                    ("manage.py", "from flask_script import Manager\n"),
                    ("runtests.py", "import pytest\n"),
                ],
                Django::default(),
            ),
            (
                vec![(
                    "pyproject.toml",
                    "[tool.pytest.ini_options]\nDJANGO_SETTINGS_MODULE = \"tests.settings\"\n",
                )],
                Django {
                    pytest_settings: true,
                    ..Django::default()
                },
            ),
            (
                vec![(
                    "pyproject.toml",
                    "[tool.pytest]\nDJANGO_SETTINGS_MODULE = \"tests.settings\"\n",
                )],
                Django {
                    pytest_settings: true,
                    ..Django::default()
                },
            ),
            (
                vec![(
                    "setup.cfg",
                    "[tool:pytest]\ndjango_settings_module = tests.settings\n",
                )],
                Django {
                    pytest_settings: true,
                    ..Django::default()
                },
            ),
            (
                vec![
                    (
                        "tox.ini",
                        "[testenv]\nsetenv =\n    DJANGO_SETTINGS_MODULE = tests.settings\ncommands = python -m django test\n",
                    ),
                    ("tests/settings.py", ""),
                ],
                Django {
                    test_settings: Some("tests.settings".to_string()),
                    runs_django_test: true,
                    ..Django::default()
                },
            ),
            (
                vec![
                    (
                        ".github/workflows/ci.yml",
                        "jobs:\n  t:\n    env:\n      DJANGO_SETTINGS_MODULE: site.settings.test\n",
                    ),
                    ("site/settings/test.py", ""),
                ],
                Django {
                    test_settings: Some("site.settings.test".to_string()),
                    ..Django::default()
                },
            ),
            // A manage.py naming no Django, which the CI runs with `test`.
            (
                vec![
                    (
                        "manage.py",
                        "import runpy\nrunpy.run_module(\"site\", run_name=\"__main__\")\n",
                    ),
                    (
                        ".github/workflows/ci.yml",
                        "jobs:\n  t:\n    steps:\n      - run: python manage.py test --parallel\n",
                    ),
                ],
                Django {
                    manage_py: Some(ManagePy::default()),
                    ..Django::default()
                },
            ),
            // A module the repository does not have is not the tests' settings.
            (
                vec![(
                    "Makefile",
                    "test:\n\tDJANGO_SETTINGS_MODULE=missing.settings django-admin test\n",
                )],
                Django {
                    runs_django_test: true,
                    ..Django::default()
                },
            ),
        ];
        for (files, expected) in rows {
            assert_eq!(django(&files), expected, "{files:?}");
        }
    }

    #[test]
    fn a_site_in_a_directory_below_the_top() {
        let manage = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')\nfrom django.core.management import execute_from_command_line\n";
        let site = django(&[
            ("requirements.txt", "django\n"),
            ("backend/manage.py", manage),
            ("backend/mysite/__init__.py", ""),
            ("backend/mysite/settings.py", ""),
            ("backend/mysite/test_settings.py", ""),
            ("backend/polls/tests.py", ""),
            ("docs/conf.py", ""),
        ]);
        assert_eq!(
            site.manage_py,
            Some(ManagePy {
                settings: Some("mysite.settings".to_string()),
                dir: Some("backend".to_string()),
            })
        );
        // A library's demo project, two candidates, or a name a shell would read: no site.
        for files in [
            vec![("example/manage.py", manage)],
            vec![("a/manage.py", manage), ("b/manage.py", manage)],
            vec![("my site/manage.py", manage)],
            vec![("app/manage.py", "from flask_script import Manager\n")],
        ] {
            assert_eq!(django(&files).manage_py, None, "{files:?}");
        }
    }

    #[test]
    fn test_settings_from_a_task_runner_or_the_convention() {
        let bare_manage = "from django.core.management import execute_from_command_line\n";
        let no_default = |settings: Option<&str>| Django {
            manage_py: Some(ManagePy::default()),
            test_settings: settings.map(str::to_string),
            ..Django::default()
        };
        // A gulp task runs `manage.py test --settings=…`: that module, though two
        // conventional ones exist.
        let gulp = django(&[
            ("manage.py", bare_manage),
            (
                "gulpfile.js",
                "spawn('pipenv', ['run', 'python', 'manage.py', 'test', '--settings=site.settings.ci'])\nexec('python manage.py test --settings=site.settings.ci')\n",
            ),
            ("site/settings/ci.py", ""),
            ("site/settings/test.py", ""),
            ("site/test_settings.py", ""),
        ]);
        assert_eq!(gulp, no_default(Some("site.settings.ci")));
        // Nothing names them: the one conventional module.
        let convention = django(&[
            ("manage.py", bare_manage),
            ("site/settings/base.py", ""),
            ("site/settings/test.py", ""),
        ]);
        assert_eq!(convention, no_default(Some("site.settings.test")));
        // Two conventional modules, or a manage.py with its own default: no guess.
        let two = django(&[
            ("manage.py", bare_manage),
            ("site/settings/test.py", ""),
            ("site/test_settings.py", ""),
        ]);
        assert_eq!(two, no_default(None));
        let manage = "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'site.settings')\nimport django\n";
        let with_default = django(&[
            ("manage.py", manage),
            ("site/settings.py", ""),
            ("site/test_settings.py", ""),
        ]);
        assert_eq!(with_default.test_settings, None);
    }
}
