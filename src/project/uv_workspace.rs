//! A virtual uv workspace root (`[tool.uv.workspace]`, no `[project]`): its members, and
//! the test task of the one environment uv makes for them all at the root.

use super::tree::Tree;
use crate::ci::Step;

/// The `[tool.uv.workspace]` table of a `pyproject.toml` without a `[project]`: a root that
/// is no package, only its members' container.
fn virtual_workspace(pyproject: &toml::Table) -> Option<&toml::Value> {
    if pyproject.contains_key("project") {
        return None;
    }
    pyproject.get("tool")?.get("uv")?.get("workspace")
}

/// Whether `pyproject` (parsed) is the root of a virtual uv workspace.
pub(crate) fn is_virtual(pyproject: &toml::Table) -> bool {
    virtual_workspace(pyproject).is_some()
}

/// The members of the virtual workspace whose root `pyproject` is (parsed), as uv finds
/// them in `tree`: the directories its `members` globs match that hold a `pyproject.toml`,
/// less those its `exclude` globs match; sorted. Empty for any other `pyproject.toml`.
pub(crate) fn members(pyproject: &toml::Table, tree: &dyn Tree) -> Vec<String> {
    let Some(workspace) = virtual_workspace(pyproject) else {
        return Vec::new();
    };
    let globs = |key: &str| -> Vec<String> {
        workspace
            .get(key)
            .and_then(toml::Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(toml::Value::as_str)
                    .map(|glob| glob.trim_start_matches("./").trim_end_matches('/'))
                    .filter(|glob| !glob.is_empty())
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    };
    let excluded = globs("exclude");
    let mut found: Vec<String> = globs("members")
        .iter()
        .flat_map(|glob| expand(tree, glob))
        .filter(|dir| tree.is_file(&format!("{dir}/pyproject.toml")))
        .filter(|dir| !excluded.iter().any(|glob| matches(glob, dir)))
        .collect();
    found.sort();
    found.dedup();
    found
}

/// The directories of `tree` that `glob` (`lib/*`, `packages/api`) matches, one segment at a
/// time; a wildcard never matches a leading dot, as in uv.
fn expand(tree: &dyn Tree, glob: &str) -> Vec<String> {
    let mut dirs = vec![String::new()];
    for segment in glob.split('/') {
        let join = |dir: &str, name: &str| {
            if dir.is_empty() {
                name.to_string()
            } else {
                format!("{dir}/{name}")
            }
        };
        if !segment.contains(['*', '?', '[']) {
            dirs = dirs.iter().map(|dir| join(dir, segment)).collect();
            continue;
        }
        let Some(matcher) = super::makefile::glob_regex(segment) else {
            return Vec::new();
        };
        dirs = dirs
            .iter()
            .flat_map(|dir| {
                tree.list(dir)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|entry| entry.kind == super::tree::Kind::Dir && entry.utf8)
                    .filter(|entry| !entry.name.starts_with('.') && matcher.is_match(&entry.name))
                    .map(|entry| join(dir, &entry.name))
                    .collect::<Vec<_>>()
            })
            .collect();
    }
    dirs
}

/// Whether the directory `dir` matches `glob`, segment by segment.
fn matches(glob: &str, dir: &str) -> bool {
    let globs: Vec<&str> = glob.split('/').collect();
    let parts: Vec<&str> = dir.split('/').collect();
    globs.len() == parts.len()
        && globs.iter().zip(&parts).all(|(glob, part)| {
            super::makefile::glob_regex(glob).is_some_and(|matcher| matcher.is_match(part))
        })
}

/// The test task the workspace's own CI runs, from the root's environment: each of its
/// test commands that enters a member (`cd lib/a && uv run pytest tests`, or a step whose
/// `working-directory` is one) and runs pytest with plain words, as
/// `cd lib/a && python -m pytest tests`; several joined so that each starts at the root
/// (`(cd lib/a && …) && (cd lib/b && …)`). `None` when the CI runs none, or one of its test
/// commands holds anything the shell or the CI would expand (`${{ matrix.group }}`,
/// `$ARGS`): running fewer tests, or other ones, than the CI would mislead.
pub(crate) fn ci_test_task(steps: &[Step], members: &[String]) -> Option<String> {
    let mut commands: Vec<String> = Vec::new();
    for step in steps {
        let step_dir = step
            .dir
            .as_deref()
            .filter(|dir| members.iter().any(|member| member == dir));
        for line in step.script.replace("\\\n", " ").lines() {
            let line = line.trim();
            if line.starts_with('#') || !super::ci::names_test_runner(line) {
                continue;
            }
            let command = member_command(line, step_dir, members)?;
            if !commands.contains(&command) {
                commands.push(command);
            }
        }
    }
    joined(commands)
}

/// One CI line that runs pytest, as a command from the root: `cd MEMBER && python -m pytest
/// ARGS`; `None` unless it runs in a member and every word is plain.
fn member_command(line: &str, step_dir: Option<&str>, members: &[String]) -> Option<String> {
    let (dir, rest) = match line.strip_prefix("cd ") {
        Some(after) => {
            let (dir, rest) = after.split_once("&&")?;
            (
                dir.trim().trim_start_matches("./").trim_end_matches('/'),
                rest,
            )
        }
        None => (step_dir?, line),
    };
    if !members.iter().any(|member| member == dir) {
        return None;
    }
    let command = super::task_sources::without_env_run(rest.trim());
    let mut words = command.split_whitespace();
    let runner = match (words.next(), words.next(), words.next()) {
        (Some("pytest"), ..) => 1,
        (Some("python" | "python3"), Some("-m"), Some("pytest")) => 3,
        _ => return None,
    };
    let arguments: Vec<&str> = command.split_whitespace().skip(runner).collect();
    let plain = |word: &&str| {
        word.chars()
            .all(|character| character.is_ascii_alphanumeric() || "-_./=:,+@%".contains(character))
    };
    if !arguments.iter().all(plain) {
        return None;
    }
    let mut translated = format!("cd {dir} && python -m pytest");
    for word in arguments {
        translated.push(' ');
        translated.push_str(word);
    }
    Some(translated)
}

/// Where the members' own tests run when neither the CI nor the root says how: each of
/// `tested` (the members with a `tests/` or `test/` directory) from its directory, one
/// alone and several joined so that each starts at the root.
pub(crate) fn members_test_task(tested: &[String]) -> Option<String> {
    let commands: Vec<String> = tested
        .iter()
        .map(|member| format!("cd {member} && python -m pytest"))
        .collect();
    joined(commands)
}

/// Commands that each start at the root: one as it is, several each in a subshell.
fn joined(commands: Vec<String>) -> Option<String> {
    match commands.as_slice() {
        [] => None,
        [only] => Some(only.clone()),
        several => Some(
            several
                .iter()
                .map(|command| format!("({command})"))
                .collect::<Vec<_>>()
                .join(" && "),
        ),
    }
}

/// What the project reader knows of a virtual workspace at its directory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Members {
    /// Every member, sorted.
    pub(crate) all: Vec<String>,
    /// The members with a `tests/` or `test/` directory.
    pub(crate) tested: Vec<String>,
}

impl Members {
    /// The members of the virtual workspace `pyproject` (parsed) is the root of, in `tree`;
    /// `None` for any other `pyproject.toml`.
    pub(crate) fn read(pyproject: &toml::Table, tree: &dyn Tree) -> Option<Self> {
        if !is_virtual(pyproject) {
            return None;
        }
        let all = members(pyproject, tree);
        let tested = all
            .iter()
            .filter(|member| {
                ["tests", "test"]
                    .iter()
                    .any(|dir| tree.exists(&format!("{member}/{dir}")))
            })
            .cloned()
            .collect();
        Some(Self { all, tested })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::tree::Memory;

    fn table(text: &str) -> toml::Table {
        crate::project::files::parse_toml(text).expect("valid TOML")
    }

    #[test]
    fn members_are_the_globs_matches_less_the_excluded() {
        let tree = Memory::new(&[
            ("pyproject.toml", ""),
            ("lib/a/pyproject.toml", ""),
            ("lib/b/pyproject.toml", ""),
            ("lib/old/pyproject.toml", ""),
            ("lib/notes/README.md", ""),
            ("lib/.hidden/pyproject.toml", ""),
            ("tools/cli/pyproject.toml", ""),
        ]);
        let root = table(
            "[tool.uv.workspace]\nmembers = [\"lib/*\", \"./tools/cli/\", \"missing\"]\nexclude = [\"lib/old\"]\n",
        );
        assert_eq!(members(&root, &tree), ["lib/a", "lib/b", "tools/cli"]);
        let package =
            table("[project]\nname = \"x\"\n[tool.uv.workspace]\nmembers = [\"lib/*\"]\n");
        assert!(members(&package, &tree).is_empty());
        assert!(is_virtual(&root));
        assert!(!is_virtual(&package));
        let groups_only = table(
            "[dependency-groups]\ndev = [\"typer\"]\n[tool.uv.workspace]\nmembers = [\"lib/*\"]\n",
        );
        assert!(is_virtual(&groups_only));
        let excluded_by_glob =
            table("[tool.uv.workspace]\nmembers = [\"lib/*\"]\nexclude = [\"lib/[ab]\"]\n");
        assert_eq!(members(&excluded_by_glob, &tree), ["lib/old"]);
    }

    fn step(script: &str, dir: Option<&str>) -> Step {
        Step {
            script: script.to_string(),
            dir: dir.map(String::from),
        }
    }

    #[test]
    fn the_cis_per_member_test_commands_run_from_the_root() {
        let members = ["lib/a".to_string(), "lib/b".to_string()];
        // (steps, task)
        let rows: &[(&[Step], Option<&str>)] = &[
            (
                &[step("uv sync\ncd lib/a && uv run pytest tests -q", None)],
                Some("cd lib/a && python -m pytest tests -q"),
            ),
            (
                &[
                    step("cd lib/a && uv run --frozen pytest tests", None),
                    step("cd ./lib/b/ && uv run python -m pytest", None),
                    step("cd lib/a && uv run --frozen pytest tests", None),
                ],
                Some("(cd lib/a && python -m pytest tests) && (cd lib/b && python -m pytest)"),
            ),
            (
                &[step("uv run pytest -x", Some("lib/b"))],
                Some("cd lib/b && python -m pytest -x"),
            ),
            // The CI's matrix and variables choose what runs: no translation.
            (
                &[step(
                    "cd lib/a && uv run pytest \\\n  --group ${{ matrix.group }}",
                    None,
                )],
                None,
            ),
            (&[step("cd lib/a && uv run pytest $ARGS", None)], None),
            // Not a member, or not from one: the root's own rules decide.
            (&[step("cd docs && uv run pytest", None)], None),
            (&[step("uv run pytest", None)], None),
            (&[step("uv run ruff check", None)], None),
        ];
        for (steps, task) in rows {
            assert_eq!(ci_test_task(steps, &members).as_deref(), *task, "{steps:?}");
        }
    }

    #[test]
    fn members_with_tests_run_each_in_its_directory() {
        let tree = Memory::new(&[
            ("lib/a/pyproject.toml", ""),
            ("lib/a/tests/test_a.py", ""),
            ("lib/b/pyproject.toml", ""),
            ("lib/b/src/b/__init__.py", ""),
            ("lib/c/pyproject.toml", ""),
            ("lib/c/test/test_c.py", ""),
        ]);
        let root = table("[tool.uv.workspace]\nmembers = [\"lib/*\"]\n");
        let members = Members::read(&root, &tree).expect("a virtual root");
        assert_eq!(members.all, ["lib/a", "lib/b", "lib/c"]);
        assert_eq!(members.tested, ["lib/a", "lib/c"]);
        assert_eq!(
            members_test_task(&members.tested).as_deref(),
            Some("(cd lib/a && python -m pytest) && (cd lib/c && python -m pytest)")
        );
        assert_eq!(
            members_test_task(&["lib/b".to_string()]).as_deref(),
            Some("cd lib/b && python -m pytest")
        );
        assert_eq!(members_test_task(&[]), None);
        assert_eq!(
            Members::read(&table("[project]\nname = \"x\"\n"), &tree),
            None
        );
    }
}
