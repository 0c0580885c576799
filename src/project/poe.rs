//! Poe the Poet's tasks (`[tool.poe.tasks]` of `pyproject.toml`), and PDM's scripts
//! (`[tool.pdm.scripts]`), written the same way: what one task runs.

/// What a poe task or PDM script runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RunnerTask {
    /// A `cmd` task (a plain string is one): one command, poe's own `${VAR}` left as is.
    Cmd(String),
    /// A `shell` task: a shell script.
    Shell(String),
    /// Anything else (`sequence`, `script`, `ref`, `expr`, `switch`): poe decides at run
    /// time what runs.
    Other,
}

/// The task named `name`, when `[tool.poe.tasks]` defines it.
pub(crate) fn task(pyproject: &toml::Table, name: &str) -> Option<RunnerTask> {
    pyproject
        .get("tool")?
        .get("poe")?
        .get("tasks")?
        .get(name)
        .map(runner_task)
}

/// The script named `name`, when `[tool.pdm.scripts]` defines it.
pub(crate) fn pdm_script(pyproject: &toml::Table, name: &str) -> Option<RunnerTask> {
    pyproject
        .get("tool")?
        .get("pdm")?
        .get("scripts")?
        .get(name)
        .map(runner_task)
}

/// A task's value: a string is a command; a table's `cmd` (a string, or PDM's list of
/// words) or `shell`; anything else is composed at run time.
fn runner_task(value: &toml::Value) -> RunnerTask {
    match value {
        toml::Value::String(command) => RunnerTask::Cmd(command.clone()),
        toml::Value::Table(table) => match (table.get("cmd"), table.get("shell")) {
            (Some(toml::Value::String(command)), _) => RunnerTask::Cmd(command.clone()),
            (Some(toml::Value::Array(words)), _) => {
                let words: Option<Vec<&str>> = words.iter().map(toml::Value::as_str).collect();
                words.map_or(RunnerTask::Other, |words| RunnerTask::Cmd(words.join(" ")))
            }
            (None, Some(toml::Value::String(script))) => RunnerTask::Shell(script.clone()),
            _ => RunnerTask::Other,
        },
        _ => RunnerTask::Other,
    }
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
        assert_eq!(task(&pyproject, "check"), Some(RunnerTask::Other));
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
        assert_eq!(pdm_script(&pyproject, "all"), Some(RunnerTask::Other));
    }
}
