//! Poe the Poet's tasks (`[tool.poe.tasks]` of `pyproject.toml`), and PDM's scripts
//! (`[tool.pdm.scripts]`), written the same way: what one task runs.

/// What a poe task or PDM script runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RunnerTask {
    /// A `cmd` task (a plain string is one): one command, poe's own `${VAR}` left as is.
    Cmd(String),
    /// A `shell` task: a shell script.
    Shell(String),
    /// A poe `sequence` or a PDM `composite`: the steps it runs one after the other, each a
    /// `Cmd`, a `Shell` or `Other`, references followed and nested sequences flattened.
    Sequence(Vec<RunnerTask>),
    /// Anything else (`script`, `expr`, `switch`, `parallel`, a reference that leads
    /// nowhere or in a circle, a task run in another directory): poe decides at run time
    /// what runs.
    Other,
}

/// How many references deep a task is followed; past it, the task is `Other`.
const DEPTH: usize = 8;

/// The task named `name`, when `[tool.poe.tasks]` defines it.
pub(crate) fn task(pyproject: &toml::Table, name: &str) -> Option<RunnerTask> {
    let poe = pyproject.get("tool")?.get("poe")?;
    let tasks = poe.get("tasks")?.as_table()?;
    let option = |key: &str, default: &'static str| -> String {
        poe.get(key)
            .and_then(toml::Value::as_str)
            .unwrap_or(default)
            .to_string()
    };
    let poe = Poe {
        tasks,
        task_type: option("default_task_type", "cmd"),
        array_type: option("default_array_task_type", "sequence"),
        item_type: option("default_array_item_task_type", "ref"),
    };
    tasks
        .get(name)
        .map(|value| poe.task(value, &mut vec![name.to_string()]))
}

/// Poe's tasks and the global options that say how a string or an array reads.
struct Poe<'a> {
    tasks: &'a toml::Table,
    /// `default_task_type`: what a task written as a string is (`cmd`).
    task_type: String,
    /// `default_array_task_type`: what a task written as an array is (`sequence`).
    array_type: String,
    /// `default_array_item_task_type`: what a string in a sequence is (`ref`).
    item_type: String,
}

impl Poe<'_> {
    /// A task's value; `path` holds the names followed to it, for the cycle guard.
    fn task(&self, value: &toml::Value, path: &mut Vec<String>) -> RunnerTask {
        match value {
            toml::Value::String(text) => self.typed(&self.task_type, text, path),
            toml::Value::Array(items) if self.array_type == "sequence" => {
                self.sequence(items, &self.item_type, path)
            }
            toml::Value::Table(table) => self.table(table, path),
            _ => RunnerTask::Other,
        }
    }

    /// A task written as a table: `cmd`, `shell`, `ref` or `sequence`.
    fn table(&self, table: &toml::Table, path: &mut Vec<String>) -> RunnerTask {
        // Another directory, or a sequence that goes on past a failure: `&&` would not mean
        // the same.
        if table.contains_key("cwd") || table.get("ignore_fail").is_some_and(is_on) {
            return RunnerTask::Other;
        }
        let text = |key: &str| table.get(key).and_then(toml::Value::as_str);
        if let Some(toml::Value::Array(items)) = table.get("sequence") {
            let item_type = text("default_item_type").unwrap_or(&self.item_type);
            return self.sequence(items, item_type, path);
        }
        match (text("cmd"), text("shell"), text("ref")) {
            (Some(command), _, _) => RunnerTask::Cmd(command.to_string()),
            (None, Some(script), _) => RunnerTask::Shell(script.to_string()),
            (None, None, Some(reference)) => self.reference(reference, path),
            _ => RunnerTask::Other,
        }
    }

    /// A string read as the task type `kind`.
    fn typed(&self, kind: &str, text: &str, path: &mut Vec<String>) -> RunnerTask {
        match kind {
            "cmd" => RunnerTask::Cmd(text.to_string()),
            "shell" => RunnerTask::Shell(text.to_string()),
            "ref" => self.reference(text, path),
            _ => RunnerTask::Other,
        }
    }

    /// A sequence's items, strings read as `item_type`; an array inside one is a
    /// `parallel` task.
    fn sequence(
        &self,
        items: &[toml::Value],
        item_type: &str,
        path: &mut Vec<String>,
    ) -> RunnerTask {
        let steps = items.iter().map(|item| match item {
            toml::Value::String(text) => self.typed(item_type, text, path),
            toml::Value::Table(table) => self.table(table, path),
            _ => RunnerTask::Other,
        });
        flatten(steps.collect())
    }

    /// `ref = "name args…"`: the task `name`; arguments go on the end of a plain command
    /// that declares none of its own, as poe passes them, and make anything else `Other`.
    fn reference(&self, reference: &str, path: &mut Vec<String>) -> RunnerTask {
        let (name, arguments) = split_reference(reference);
        let Some(value) = self.tasks.get(name) else {
            return RunnerTask::Other;
        };
        follow(name, value, arguments, path, |path| self.task(value, path))
    }
}

/// `name args…` as the name and its arguments.
fn split_reference(reference: &str) -> (&str, &str) {
    let reference = reference.trim();
    reference
        .split_once(char::is_whitespace)
        .map_or((reference, ""), |(name, rest)| (name, rest.trim()))
}

/// The task `value` named `name`, read by `read` with `name` on the `path` followed, given
/// `arguments`; `Other` past `DEPTH` references or when the path leads back to `name`.
fn follow(
    name: &str,
    value: &toml::Value,
    arguments: &str,
    path: &mut Vec<String>,
    read: impl FnOnce(&mut Vec<String>) -> RunnerTask,
) -> RunnerTask {
    if path.len() >= DEPTH || path.iter().any(|seen| seen == name) {
        return RunnerTask::Other;
    }
    path.push(name.to_string());
    let task = read(path);
    path.pop();
    with_arguments(task, value, arguments)
}

/// A referenced task given `arguments`: a plain command gets them on its end; any other
/// task with arguments is `Other`.
fn with_arguments(task: RunnerTask, value: &toml::Value, arguments: &str) -> RunnerTask {
    if arguments.is_empty() {
        return task;
    }
    let declares_arguments = value.get("args").is_some();
    match task {
        RunnerTask::Cmd(command) if !declares_arguments && !command.contains("{args") => {
            RunnerTask::Cmd(format!("{command} {arguments}"))
        }
        _ => RunnerTask::Other,
    }
}

/// A sequence of `steps`, nested sequences' steps in their place.
fn flatten(steps: Vec<RunnerTask>) -> RunnerTask {
    let mut flat = Vec::new();
    for step in steps {
        match step {
            RunnerTask::Sequence(inner) => flat.extend(inner),
            step => flat.push(step),
        }
    }
    RunnerTask::Sequence(flat)
}

/// `true`, or a string such as poe's `ignore_fail = "return_zero"`.
fn is_on(value: &toml::Value) -> bool {
    value.as_bool().unwrap_or_else(|| value.is_str())
}

/// The script named `name`, when `[tool.pdm.scripts]` defines it.
pub(crate) fn pdm_script(pyproject: &toml::Table, name: &str) -> Option<RunnerTask> {
    let scripts = pyproject
        .get("tool")?
        .get("pdm")?
        .get("scripts")?
        .as_table()?;
    scripts
        .get(name)
        .map(|value| pdm_task(scripts, value, &mut vec![name.to_string()]))
}

/// A script's value: a string is a command; a table's `cmd` (a string, or a list of
/// words), `shell` or `composite`; anything else is composed at run time.
fn pdm_task(scripts: &toml::Table, value: &toml::Value, path: &mut Vec<String>) -> RunnerTask {
    let toml::Value::Table(table) = value else {
        return value.as_str().map_or(RunnerTask::Other, |command| {
            RunnerTask::Cmd(command.to_string())
        });
    };
    // Another directory, or a composite that goes on past a failure.
    if table.contains_key("working_dir") || table.get("keep_going").is_some_and(is_on) {
        return RunnerTask::Other;
    }
    match (table.get("cmd"), table.get("shell"), table.get("composite")) {
        (Some(toml::Value::String(command)), _, _) => RunnerTask::Cmd(command.clone()),
        (Some(toml::Value::Array(words)), _, _) => {
            let words: Option<Vec<&str>> = words.iter().map(toml::Value::as_str).collect();
            words.map_or(RunnerTask::Other, |words| RunnerTask::Cmd(words.join(" ")))
        }
        (None, Some(toml::Value::String(script)), _) => RunnerTask::Shell(script.clone()),
        (None, None, Some(toml::Value::Array(items))) => {
            let steps = items.iter().map(|item| match item.as_str() {
                Some(item) => pdm_composite_item(scripts, item, path),
                None => RunnerTask::Other,
            });
            flatten(steps.collect())
        }
        _ => RunnerTask::Other,
    }
}

/// One item of a `composite`: a script's name, with arguments or not, else a command.
fn pdm_composite_item(scripts: &toml::Table, item: &str, path: &mut Vec<String>) -> RunnerTask {
    let (name, arguments) = split_reference(item);
    let Some(value) = scripts.get(name) else {
        return RunnerTask::Cmd(item.trim().to_string());
    };
    follow(name, value, arguments, path, |path| {
        pdm_task(scripts, value, path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_kinds() {
        let pyproject: toml::Table = toml::from_str(
            "[tool.poe.tasks]\ntest = \"pytest --capture=no\"\nlint = { shell = \"ruff check . && mypy\" }\ncheck = [\"lint\", \"test\"]\n[tool.poe.tasks.cov]\ncmd = \"pytest --cov\"\nhelp = \"coverage\"\n[tool.poe.tasks.serve]\nscript = \"app:main\"\n",
        )
        .expect("valid TOML");
        assert_eq!(
            task(&pyproject, "test"),
            Some(RunnerTask::Cmd("pytest --capture=no".into()))
        );
        assert_eq!(
            task(&pyproject, "cov"),
            Some(RunnerTask::Cmd("pytest --cov".into()))
        );
        assert_eq!(
            task(&pyproject, "lint"),
            Some(RunnerTask::Shell("ruff check . && mypy".into()))
        );
        assert_eq!(
            task(&pyproject, "check"),
            Some(RunnerTask::Sequence(vec![
                RunnerTask::Shell("ruff check . && mypy".into()),
                RunnerTask::Cmd("pytest --capture=no".into()),
            ]))
        );
        assert_eq!(task(&pyproject, "serve"), Some(RunnerTask::Other));
        assert_eq!(task(&pyproject, "missing"), None);
        let pyproject: toml::Table = toml::from_str(
            "[tool.pdm.scripts]\ntest = \"pytest\"\nlint = { cmd = [\"ruff\", \"check\", \".\"] }\nall = { composite = [\"lint\", \"test\"] }\n",
        )
        .expect("valid TOML");
        assert_eq!(
            pdm_script(&pyproject, "test"),
            Some(RunnerTask::Cmd("pytest".into()))
        );
        assert_eq!(
            pdm_script(&pyproject, "lint"),
            Some(RunnerTask::Cmd("ruff check .".into()))
        );
        assert_eq!(
            pdm_script(&pyproject, "all"),
            Some(RunnerTask::Sequence(vec![
                RunnerTask::Cmd("ruff check .".into()),
                RunnerTask::Cmd("pytest".into()),
            ]))
        );
    }

    fn cmd(command: &str) -> RunnerTask {
        RunnerTask::Cmd(command.into())
    }

    #[test]
    fn sequences_follow_their_references() {
        // The shape of an application's `test`: lint through a sequence of references, a
        // private cleanup task, a JavaScript runner, then pytest.
        let pyproject: toml::Table = toml::from_str(
            "[tool.poe.tasks]\nfmt-check = { cmd = \"ruff format --check .\", help = \"x\" }\nlint-ruff = \"ruff check src\"\nlint = [{ ref = \"fmt-check\" }, { ref = \"lint-ruff\" }]\npytest = { cmd = \"pytest\", help = \"Run\" }\nweb-test = { cmd = \"yarn test\" }\n_clean = { shell = \"rm -f tests/cache.db\" }\ntest = [{ ref = \"lint\" }, { ref = \"_clean\" }, { ref = \"web-test\" }, { ref = \"pytest\" }]\n",
        )
        .expect("valid TOML");
        assert_eq!(
            task(&pyproject, "test"),
            Some(RunnerTask::Sequence(vec![
                cmd("ruff format --check ."),
                cmd("ruff check src"),
                RunnerTask::Shell("rm -f tests/cache.db".into()),
                cmd("yarn test"),
                cmd("pytest"),
            ]))
        );
    }

    #[test]
    fn sequence_items_of_every_kind() {
        let sequence = |text: &str| {
            let pyproject: toml::Table = toml::from_str(text).expect("valid TOML");
            task(&pyproject, "test")
        };
        let rows: &[(&str, RunnerTask)] = &[
            // Inline tables, a string naming a task, an array of tables.
            (
                "[tool.poe.tasks]\nunit = \"pytest tests/unit\"\ntest = [{ cmd = \"mypy .\" }, { shell = \"mkdir -p out\" }, \"unit\"]\n",
                RunnerTask::Sequence(vec![
                    cmd("mypy ."),
                    RunnerTask::Shell("mkdir -p out".into()),
                    cmd("pytest tests/unit"),
                ]),
            ),
            (
                "[tool.poe.tasks]\nlint = \"ruff check .\"\n[[tool.poe.tasks.test.sequence]]\nref = \"lint\"\n[[tool.poe.tasks.test.sequence]]\ncmd = \"pytest\"\n",
                RunnerTask::Sequence(vec![cmd("ruff check ."), cmd("pytest")]),
            ),
            // `default_item_type` on the sequence, or globally, makes strings commands.
            (
                "[tool.poe.tasks.test]\nsequence = [\"ruff check .\", \"pytest -q\"]\ndefault_item_type = \"cmd\"\n",
                RunnerTask::Sequence(vec![cmd("ruff check ."), cmd("pytest -q")]),
            ),
            (
                "[tool.poe]\ndefault_array_item_task_type = \"shell\"\n[tool.poe.tasks]\ntest = [\"rm -rf .cache\", \"pytest\"]\n",
                RunnerTask::Sequence(vec![
                    RunnerTask::Shell("rm -rf .cache".into()),
                    RunnerTask::Shell("pytest".into()),
                ]),
            ),
            (
                "[tool.poe.tasks.test]\nsequence = [\"tasks:run_tests\"]\ndefault_item_type = \"script\"\n",
                RunnerTask::Sequence(vec![RunnerTask::Other]),
            ),
            // Nested sequences flatten; an array inside one runs in parallel.
            (
                "[tool.poe.tasks]\nchecks = [{ cmd = \"ruff check .\" }, { cmd = \"mypy .\" }]\nall = { sequence = [{ ref = \"checks\" }] }\ntest = [\"all\", { sequence = [{ cmd = \"pytest\" }] }, [\"a\", \"b\"]]\n",
                RunnerTask::Sequence(vec![
                    cmd("ruff check ."),
                    cmd("mypy ."),
                    cmd("pytest"),
                    RunnerTask::Other,
                ]),
            ),
            // A reference's arguments go on a plain command; not on one that declares its own.
            (
                "[tool.poe.tasks]\nunit = \"pytest\"\nnamed = { cmd = \"pytest\", args = [\"k\"] }\ntest = [{ ref = \"unit -x tests\" }, { ref = \"named --k a\" }]\n",
                RunnerTask::Sequence(vec![cmd("pytest -x tests"), RunnerTask::Other]),
            ),
            // Cycles, missing tasks and a task run elsewhere lead nowhere.
            (
                "[tool.poe.tasks]\na = [\"b\"]\nb = [\"a\", { cmd = \"pytest\" }]\ntest = [\"a\", \"missing\", { ref = \"test\" }]\n",
                RunnerTask::Sequence(vec![
                    RunnerTask::Other,
                    cmd("pytest"),
                    RunnerTask::Other,
                    RunnerTask::Other,
                ]),
            ),
            (
                "[tool.poe.tasks]\nunit = { cmd = \"pytest\", cwd = \"svc\" }\ntest = [\"unit\"]\n",
                RunnerTask::Sequence(vec![RunnerTask::Other]),
            ),
            (
                "[tool.poe.tasks.test]\nsequence = [\"a\"]\nignore_fail = \"return_non_zero\"\n",
                RunnerTask::Other,
            ),
            (
                "[tool.poe]\ndefault_array_task_type = \"parallel\"\n[tool.poe.tasks]\ntest = [{ cmd = \"pytest\" }]\n",
                RunnerTask::Other,
            ),
            // A task that is a reference; a string task read as the global default type.
            (
                "[tool.poe.tasks]\nunit = \"pytest\"\ntest = { ref = \"unit\" }\n",
                cmd("pytest"),
            ),
            (
                "[tool.poe]\ndefault_task_type = \"script\"\n[tool.poe.tasks]\ntest = \"tasks:test\"\n",
                RunnerTask::Other,
            ),
        ];
        for (text, expected) in rows {
            assert_eq!(sequence(text).as_ref(), Some(expected), "{text}");
        }
    }

    #[test]
    fn a_deep_chain_of_references_stops() {
        let mut text = "[tool.poe.tasks]\ntest = [\"t0\"]\n".to_string();
        for at in 0..20 {
            text.push_str(&format!("t{at} = [\"t{}\"]\n", at + 1));
        }
        text.push_str("t20 = \"pytest\"\n");
        let pyproject: toml::Table = toml::from_str(&text).expect("valid TOML");
        assert_eq!(
            task(&pyproject, "test"),
            Some(RunnerTask::Sequence(vec![RunnerTask::Other]))
        );
    }

    #[test]
    fn pdm_composites_name_scripts_or_commands() {
        let pyproject: toml::Table = toml::from_str(
            "[tool.pdm.scripts]\nlint = \"flake8\"\nunit = { cmd = [\"pytest\", \"-q\"] }\nclean = { shell = \"rm -rf .cache\" }\nloop = { composite = [\"loop\"] }\ntest = { composite = [\"lint src/\", \"clean\", \"unit tests/\", \"python -m doctest README.md\", \"loop\"] }\ngo = { composite = [\"unit\"], keep_going = true }\n",
        )
        .expect("valid TOML");
        assert_eq!(
            pdm_script(&pyproject, "test"),
            Some(RunnerTask::Sequence(vec![
                cmd("flake8 src/"),
                RunnerTask::Shell("rm -rf .cache".into()),
                cmd("pytest -q tests/"),
                cmd("python -m doctest README.md"),
                RunnerTask::Other,
            ]))
        );
        assert_eq!(pdm_script(&pyproject, "go"), Some(RunnerTask::Other));
    }
}
