//! invoke's `tasks.py`: the commands one `@task` function runs through `c.run("…")`, when
//! they are string literals and nothing in the function decides between them.

/// The `run` calls of the task function `name` (`def name(c, …)` under a `@task`
/// decorator), in order; `None` when there is no such task, a call's command is not one
/// plain string literal, or the body branches or loops.
pub(crate) fn task_commands(text: &str, name: &str) -> Option<Vec<String>> {
    let lines: Vec<&str> = text.lines().collect();
    let header = format!("def {name}(");
    let start = lines.iter().position(|line| line.starts_with(&header))?;
    let decorated = lines[..start]
        .iter()
        .rev()
        .take_while(|line| line.trim_start().starts_with('@'))
        .any(|line| line.trim_start().starts_with("@task"));
    if !decorated {
        return None;
    }
    let context = lines[start][header.len()..]
        .split([',', ')', ':'])
        .next()
        .map(str::trim)
        .filter(|name| !name.is_empty())?;
    let body = super::task_sources::indented_body(&lines[start + 1..]);
    for keyword in ["if ", "for ", "while ", "try:", "with ", "return "] {
        if body
            .lines()
            .any(|line| line.trim_start().starts_with(keyword))
        {
            return None;
        }
    }
    let call = format!("{context}.run(");
    let mut commands = Vec::new();
    for (at, _) in body.match_indices(&call) {
        let arguments = body[at + call.len()..].trim_start();
        let quote = arguments
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\''))?;
        let literal = &arguments[1..];
        let end = literal.find(quote)?;
        let command = &literal[..end];
        let after = literal[end + 1..].trim_start();
        // `c.run("pytest " + args)`, an escape or a second literal: not one plain string.
        if command.contains(['\\', '\n']) || !after.starts_with([',', ')']) {
            return None;
        }
        commands.push(command.to_string());
    }
    (!commands.is_empty()).then_some(commands)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_run_calls_of_a_task() {
        let text = "from invoke import task\n\n\n@task\ndef test(c):\n    \"\"\"Run the tests.\"\"\"\n    c.run(\"pytest --capture=no tests\", pty=True)\n\n\n@task(help={\"k\": \"filter\"})\ndef lint(ctx, k=\"\"):\n    ctx.run('ruff check .')\n    ctx.run('mypy src')\n";
        assert_eq!(
            task_commands(text, "test"),
            Some(vec!["pytest --capture=no tests".to_string()])
        );
        assert_eq!(
            task_commands(text, "lint"),
            Some(vec!["ruff check .".to_string(), "mypy src".to_string()])
        );
        assert_eq!(task_commands(text, "docs"), None);
        for body in [
            "    c.run(\"pytest \" + opts)",
            "    c.run(f\"pytest {opts}\")",
            "    if ci:\n        c.run(\"pytest\")",
            "    c.run(COMMAND)",
            "    print('nothing to run')",
        ] {
            let text = format!("@task\ndef test(c, opts=''):\n{body}\n");
            assert_eq!(task_commands(&text, "test"), None, "{body}");
        }
        assert_eq!(
            task_commands("def test(c):\n    c.run(\"pytest\")\n", "test"),
            None,
            "not a task"
        );
    }
}
