//! `tasks.*` from the repository: the facts the pure decisions in `project::test_task`,
//! `project::task_sources` and `project::lint_tools` take, read here; and what the
//! bootstrap installs, for the check that every task's tool is installed.

use std::path::Path;

use super::{Inferred, exists, project_table, read, strings};
use crate::answers::Answers;
use crate::answers::value::normalise_name;
use crate::project::lint_tools::{LintFacts, fmt_task, lint_task};
use crate::project::task_sources;
use crate::project::test_task::{Discover, TestFacts, TestFile, discover, names_pytest, test_task};

/// What the bootstrap installs, as `deps.*` answers say it.
struct Installs<'a> {
    source: &'a str,
    files: &'a [String],
    extras: &'a [String],
    groups: &'a [String],
    /// The project itself is installed beside requirement files, tox's or Hatch's deps.
    editable: bool,
}

/// `tasks.test`, `tasks.lint` and `tasks.fmt`; runs after `infer_dependencies`, whose
/// answers say what gets installed.
pub(super) fn infer_tasks(repo: &Path, pyproject: Option<&toml::Table>, inferred: &mut Inferred) {
    infer_test_task(repo, pyproject, inferred);
    infer_lint_tasks(repo, pyproject, inferred);
}

fn infer_test_task(repo: &Path, pyproject: Option<&toml::Table>, inferred: &mut Inferred) {
    let names = |key: &str| strings(inferred.get(key));
    let source = inferred
        .get("deps.source")
        .and_then(toml::Value::as_str)
        .unwrap_or("none")
        .to_string();
    let (files, extras, groups) = (
        names("deps.files"),
        names("deps.extras"),
        names("deps.groups"),
    );
    let installs = Installs {
        source: &source,
        files: &files,
        extras: &extras,
        groups: &groups,
        editable: inferred.get("deps.editable") == Some(&toml::Value::Boolean(true)),
    };
    let declared = declared_requirements(repo, pyproject, &installs, inferred);
    let setup_cfg = read(repo, "setup.cfg", inferred)
        .and_then(|text| crate::project::setup_cfg::read(&text).ok())
        .unwrap_or_default();
    let pytest_table = pyproject
        .and_then(|pyproject| pyproject.get("tool")?.get("pytest"))
        .is_some();
    let tox =
        read(repo, "tox.ini", inferred).and_then(|text| crate::python::ini::parse(&text).ok());
    let tox_pytest = tox.as_ref().is_some_and(|ini| ini.has_section("pytest"));
    let (project_command, why) = project_test_command(repo, pyproject, tox.as_ref(), inferred)
        .map_or((None, None), |(command, why)| (Some(command), Some(why)));
    let test_files = python_files(repo);
    let facts = TestFacts {
        project_command,
        pytest_configured: exists(repo, "pytest.ini")
            || exists(repo, "conftest.py")
            || pytest_table
            || setup_cfg.pytest_section
            || tox_pytest,
        pytest_declared: names_pytest(declared.iter().map(String::as_str)),
        layout: discover(&test_files),
    };
    if source == "none"
        && facts.project_command.is_none()
        && facts.layout == Discover::default()
        && !facts.pytest_configured
    {
        // Nothing to follow yet: a new project keeps the built-in task.
        return;
    }
    let command = test_task(&facts);
    let why = why.unwrap_or_else(|| "the project's test setup".to_string());
    inferred.set("tasks.test", toml::Value::String(command), &why);
}

/// The test command of the project's own tool, in the order a contributor would look:
/// the `Makefile`, tox, nox, Hatch; with the file that says so.
fn project_test_command(
    repo: &Path,
    pyproject: Option<&toml::Table>,
    tox: Option<&crate::python::ini::Ini>,
    inferred: &mut Inferred,
) -> Option<(String, String)> {
    if let Some(command) = makefile_command(read(repo, "Makefile", inferred).as_deref(), "test") {
        return Some((command, "the `test` target of the Makefile".to_string()));
    }
    let legacy_tox = pyproject
        .and_then(|pyproject| pyproject.get("tool")?.get("tox")?.get("legacy_tox_ini"))
        .and_then(toml::Value::as_str)
        .and_then(|text| crate::python::ini::parse(text).ok());
    for (ini, why) in [
        (tox, "tox.ini"),
        (legacy_tox.as_ref(), "legacy_tox_ini in pyproject.toml"),
    ] {
        if let Some(ini) = ini
            && let Some(commands) = ini.get("testenv", "commands")
            && let Some(command) =
                task_sources::from_tox(commands, &crate::project::tox::test_factors(ini))
        {
            return Some((command, format!("[testenv] commands in {why}")));
        }
    }
    if let Some(text) = read(repo, "noxfile.py", inferred)
        && let Some(command) = task_sources::from_noxfile(&text)
    {
        return Some((command, "the `tests` session of noxfile.py".to_string()));
    }
    hatch_test_command(pyproject)
}

/// The user's `target` recipe in the `Makefile` text, when it translates.
fn makefile_command(text: Option<&str>, target: &str) -> Option<String> {
    let rule = crate::project::makefile::rule(text?, target)?;
    let lines: Vec<&str> = rule.recipe.iter().map(String::as_str).collect();
    task_sources::from_makefile_recipe(&lines)
}

/// Hatch: a `test` (or `tests`) script of the `default` environment, else of the `test`,
/// `tests` or `hatch-test` one; else `hatch test`'s pytest when `[tool.hatch.envs.hatch-test]` exists.
fn hatch_test_command(pyproject: Option<&toml::Table>) -> Option<(String, String)> {
    let envs = pyproject?
        .get("tool")?
        .get("hatch")?
        .get("envs")?
        .as_table()?;
    // Another environment's `test` script tests something else (`integration`, `docs`).
    let names: Vec<&str> = ["default", "test", "tests", "hatch-test"]
        .into_iter()
        .filter(|name| envs.contains_key(*name))
        .collect();
    for name in names {
        let Some(scripts) = envs
            .get(name)
            .and_then(|env| env.get("scripts"))
            .and_then(toml::Value::as_table)
        else {
            continue;
        };
        let script_names: Vec<&str> = scripts.keys().map(String::as_str).collect();
        for key in ["test", "tests"] {
            let commands: Vec<&str> = match scripts.get(key) {
                Some(toml::Value::String(command)) => vec![command.as_str()],
                Some(toml::Value::Array(items)) => {
                    items.iter().filter_map(toml::Value::as_str).collect()
                }
                _ => continue,
            };
            if let Some(command) = task_sources::from_hatch_script(&commands, &script_names) {
                return Some((
                    command,
                    format!("[tool.hatch.envs.{name}.scripts] {key} in pyproject.toml"),
                ));
            }
        }
    }
    envs.contains_key("hatch-test").then(|| {
        (
            "pytest".to_string(),
            "[tool.hatch.envs.hatch-test] in pyproject.toml (`hatch test` runs pytest)".to_string(),
        )
    })
}

/// Directories no test lives in: tool state, environments, build output, documentation.
fn skipped_directory(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with(".egg-info")
        || matches!(
            name,
            "node_modules"
                | "build"
                | "dist"
                | "site-packages"
                | "__pycache__"
                | "docs"
                | "venv"
                | "env"
        )
}

/// The repository's Python files, a few levels deep, each with whether the directories
/// above it are packages; for `discover`.
fn python_files(repo: &Path) -> Vec<TestFile> {
    const DEPTH: usize = 5;
    const LIMIT: usize = 20_000;
    let mut files = Vec::new();
    // (directory, its path from the root, packages innermost first)
    let mut pending = vec![(repo.to_path_buf(), String::new(), Vec::new())];
    let mut seen = 0;
    while let Some((directory, prefix, packages)) = pending.pop() {
        let Ok(entries) = fs_err::read_dir(&directory) else {
            continue;
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
        entries.sort_by_key(fs_err::DirEntry::file_name);
        for entry in entries {
            seen += 1;
            if seen > LIMIT {
                return files;
            }
            let Ok(name) = entry.file_name().into_string() else {
                continue;
            };
            let path = entry.path();
            let relative = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            if path.is_dir() {
                if packages.len() < DEPTH
                    && !skipped_directory(&name)
                    && !path.join("pyvenv.cfg").exists()
                {
                    let mut inner = vec![path.join("__init__.py").is_file()];
                    inner.extend(&packages);
                    pending.push((path, relative, inner));
                }
            } else if is_module(&name) {
                files.push(TestFile {
                    path: relative,
                    packages: packages.clone(),
                });
            }
        }
    }
    files
}

/// A Python module other than a package's `__init__.py`.
#[expect(
    clippy::case_sensitive_file_extension_comparisons,
    reason = "Python imports only lowercase `.py` files on every platform CI runs"
)]
fn is_module(name: &str) -> bool {
    name.ends_with(".py") && name != "__init__.py"
}

fn infer_lint_tasks(repo: &Path, pyproject: Option<&toml::Table>, inferred: &mut Inferred) {
    let tool = |name: &str| pyproject.and_then(|pyproject| pyproject.get("tool")?.get(name));
    let ini_section = |text: Option<String>, section: &str| {
        text.and_then(|text| crate::python::ini::parse(&text).ok())
            .is_some_and(|ini| ini.has_section(section))
    };
    let ruff_file = [".ruff.toml", "ruff.toml"]
        .into_iter()
        .find(|name| exists(repo, name));
    let ruff_file_format = ruff_file
        .and_then(|name| read(repo, name, inferred))
        .and_then(|text| toml::from_str::<toml::Table>(&text).ok())
        .is_some_and(|table| table.contains_key("format"));
    let setup_cfg = read(repo, "setup.cfg", inferred);
    let facts = LintFacts {
        ruff: tool("ruff").is_some() || ruff_file.is_some(),
        ruff_format: tool("ruff").and_then(|ruff| ruff.get("format")).is_some() || ruff_file_format,
        flake8: exists(repo, ".flake8")
            || ini_section(setup_cfg.clone(), "flake8")
            || ini_section(read(repo, "tox.ini", inferred), "flake8"),
        black: tool("black").is_some(),
        isort: tool("isort").is_some()
            || exists(repo, ".isort.cfg")
            || ini_section(setup_cfg, "isort"),
        pre_commit: exists(repo, ".pre-commit-config.yaml"),
    };
    let why = |command: &str| {
        let file = |configured: bool, what: &str| configured.then(|| what.to_string());
        let reasons: Vec<String> = [
            file(
                command.starts_with("ruff"),
                match ruff_file {
                    Some(name) => name,
                    None => "[tool.ruff] in pyproject.toml",
                },
            ),
            file(command.starts_with("flake8"), "the flake8 configuration"),
            file(command.contains("black"), "[tool.black] in pyproject.toml"),
            file(command.starts_with("isort"), "the isort configuration"),
            file(command.starts_with("pre-commit"), ".pre-commit-config.yaml"),
        ]
        .into_iter()
        .flatten()
        .collect();
        reasons.join(", ")
    };
    let makefile = read(repo, "Makefile", inferred);
    for (task, target, configured) in [
        ("tasks.lint", "lint", lint_task(facts)),
        ("tasks.fmt", "fmt", fmt_task(facts)),
    ] {
        if let Some(command) = makefile_command(makefile.as_deref(), target) {
            let why = format!("the `{target}` target of the Makefile");
            inferred.set(task, toml::Value::String(command), &why);
        } else if let Some(command) = configured {
            inferred.set(
                task,
                toml::Value::String(command.to_string()),
                &why(command),
            );
        }
    }
}

/// The requirement lines (PEP 508 strings) of everything `installs` puts in the environment.
fn declared_requirements(
    repo: &Path,
    pyproject: Option<&toml::Table>,
    installs: &Installs<'_>,
    inferred: &mut Inferred,
) -> Vec<String> {
    let mut groups = installs.groups.to_vec();
    if installs.source == "uv-lock" {
        // `uv sync` installs the `dev` group unless told otherwise.
        groups.push("dev".to_string());
    }
    let table_items = |table: Option<&toml::Value>, wanted: &[String]| -> Vec<String> {
        let Some(table) = table.and_then(toml::Value::as_table) else {
            return Vec::new();
        };
        table
            .iter()
            .filter(|(name, _)| wanted.contains(&normalise_name(name)))
            .flat_map(|(_, items)| strings(Some(items)))
            .collect()
    };
    let mut declared: Vec<String> = Vec::new();
    if installs.source == "requirements" {
        let read_file = |path: &str| crate::project::requirements::read_in(repo, path);
        let nested =
            crate::project::requirements::nested(installs.files, &read_file).unwrap_or_default();
        for file in installs.files.iter().chain(&nested) {
            if let Some(text) = read(repo, file, inferred) {
                declared.extend(text.lines().map(str::to_string));
            }
        }
    }
    declared.extend(super::declared_by_tools(repo, installs.source));
    if let Some(pyproject) = pyproject {
        declared.extend(super::lock_tool_declared(
            installs.source,
            pyproject,
            &groups,
        ));
    }
    let project = project_table(pyproject);
    declared.extend(table_items(
        project.and_then(|project| project.get("optional-dependencies")),
        installs.extras,
    ));
    declared.extend(table_items(
        pyproject.and_then(|pyproject| pyproject.get("dependency-groups")),
        &groups,
    ));
    let setup_cfg = read(repo, "setup.cfg", inferred)
        .and_then(|text| crate::project::setup_cfg::read(&text).ok())
        .unwrap_or_default();
    for (name, requirements) in &setup_cfg.extras {
        if installs.extras.contains(&normalise_name(name)) {
            declared.extend(requirements.lines().map(str::to_string));
        }
    }
    if installs.editable
        || matches!(
            installs.source,
            "pyproject" | "setuptools" | "uv-lock" | "poetry" | "pdm"
        )
    {
        // The project is installed, with its own dependencies.
        declared.extend(strings(
            project.and_then(|project| project.get("dependencies")),
        ));
    }
    declared
}

/// The distribution name a requirement line starts with, normalised; `None` for options,
/// comments, paths and URLs.
fn requirement_name(line: &str) -> Option<String> {
    let line = line.trim();
    let name: String = line
        .chars()
        .take_while(|character| {
            character.is_ascii_alphanumeric() || matches!(character, '-' | '_' | '.')
        })
        .collect();
    let rest = &line[name.len()..];
    let bare = rest.is_empty()
        || rest.starts_with(|character: char| {
            character.is_whitespace() || "[<>=!~;@(,".contains(character)
        });
    (!name.is_empty()
        && name.starts_with(|character: char| character.is_ascii_alphanumeric())
        && bare)
        .then(|| normalise_name(&name))
}

/// One warning per task whose command calls a tool that nothing the answers install
/// declares (the project's own name counts when the project is installed).
pub(crate) fn task_warnings(repo: &Path, answers: &Answers) -> Vec<String> {
    let mut scratch = Inferred::default();
    let pyproject = read(repo, "pyproject.toml", &mut scratch)
        .and_then(|text| toml::from_str::<toml::Table>(&text).ok());
    let source = toml::Value::try_from(answers.deps.source)
        .ok()
        .and_then(|value| value.as_str().map(str::to_string))
        .unwrap_or_default();
    let files: Vec<String> = answers.deps.files.iter().map(ToString::to_string).collect();
    let extras: Vec<String> = answers
        .deps
        .extras
        .iter()
        .map(|extra| normalise_name(extra))
        .collect();
    let groups: Vec<String> = answers
        .deps
        .groups
        .iter()
        .map(|group| normalise_name(group))
        .collect();
    let installs = Installs {
        source: &source,
        files: &files,
        extras: &extras,
        groups: &groups,
        editable: answers.deps.editable,
    };
    let mut declared: Vec<String> =
        declared_requirements(repo, pyproject.as_ref(), &installs, &mut scratch)
            .iter()
            .filter_map(|line| requirement_name(line))
            .collect();
    if installs.editable
        || matches!(
            source.as_str(),
            "pyproject" | "setuptools" | "uv-lock" | "poetry" | "pdm"
        )
    {
        declared.push(normalise_name(&answers.project.name));
    }
    let tasks = [
        ("test", Some(&*answers.tasks.test)),
        ("lint", answers.tasks.lint.command()),
        ("fmt", answers.tasks.fmt.command()),
    ];
    tasks
        .into_iter()
        .filter_map(|(task, command)| {
            crate::project::tasks::missing_tool_warning(task, command?, &declared)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hatch_test_scripts_of_the_test_environments_only() {
        let command = |text: &str| {
            let table: toml::Table = toml::from_str(text).expect("valid TOML");
            hatch_test_command(Some(&table)).map(|(command, _)| command)
        };
        let rows = [
            (
                "[tool.hatch.envs.default.scripts]\ntest = \"pytest {args}\"\n[tool.hatch.envs.test.scripts]\ntest = \"python -m pytest\"\n",
                Some("pytest"),
            ),
            (
                "[tool.hatch.envs.test.scripts]\ntests = [\"pytest {args:tests}\"]\n",
                Some("pytest tests"),
            ),
            (
                "[tool.hatch.envs.integration.scripts]\ntest = \"python -m pkg.integration\"\n",
                None,
            ),
            (
                "[tool.hatch.envs.hatch-test]\nextra-dependencies = [\"pytest-mock\"]\n",
                Some("pytest"),
            ),
            (
                "[tool.hatch.envs.default.scripts]\ntest = \"cov\"\ncov = \"pytest --cov\"\n",
                None,
            ),
            ("[project]\nname = \"x\"\n", None),
        ];
        for (text, expected) in rows {
            assert_eq!(command(text).as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn requirement_lines_name_their_distribution() {
        let rows = [
            ("pytest", Some("pytest")),
            ("pytest>=8", Some("pytest")),
            ("Flake8 == 7.0 ; python_version >= '3.9'", Some("flake8")),
            ("ruff[format]~=0.5", Some("ruff")),
            ("pre_commit", Some("pre-commit")),
            ("pkg @ https://example.com/pkg.whl", Some("pkg")),
            ("-e .", None),
            ("--index-url https://example.com", None),
            ("# pytest", None),
            ("./vendor/pkg", None),
            ("", None),
        ];
        for (line, name) in rows {
            assert_eq!(requirement_name(line).as_deref(), name, "{line:?}");
        }
    }
}
