//! Poe the Poet's tasks (`[tool.poe.tasks]` of `pyproject.toml`): what one task runs.

/// What a poe task runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PoeTask {
    /// A `cmd` task (a plain string is one): one command, poe's own `${VAR}` left as is.
    Cmd(String),
    /// A `shell` task: a shell script.
    Shell(String),
    /// Anything else (`sequence`, `script`, `ref`, `expr`, `switch`): poe decides at run
    /// time what runs.
    Other,
}

/// The task named `name`, when `[tool.poe.tasks]` defines it.
pub(crate) fn task(pyproject: &toml::Table, name: &str) -> Option<PoeTask> {
    let value = pyproject.get("tool")?.get("poe")?.get("tasks")?.get(name)?;
    Some(match value {
        toml::Value::String(command) => PoeTask::Cmd(command.clone()),
        toml::Value::Table(table) => {
            let text = |key: &str| table.get(key).and_then(toml::Value::as_str);
            if let Some(command) = text("cmd") {
                PoeTask::Cmd(command.to_string())
            } else if let Some(script) = text("shell") {
                PoeTask::Shell(script.to_string())
            } else {
                PoeTask::Other
            }
        }
        _ => PoeTask::Other,
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
            Some(PoeTask::Cmd("pytest --capture=no".into()))
        );
        assert_eq!(
            task(&pyproject, "cov"),
            Some(PoeTask::Cmd("pytest --cov".into()))
        );
        assert_eq!(
            task(&pyproject, "lint"),
            Some(PoeTask::Shell("ruff check . && mypy".into()))
        );
        assert_eq!(task(&pyproject, "check"), Some(PoeTask::Other));
        assert_eq!(task(&pyproject, "serve"), Some(PoeTask::Other));
        assert_eq!(task(&pyproject, "missing"), None);
    }
}
