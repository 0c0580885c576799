//! A `Justfile`'s recipes: the header and body of one recipe, read as `just` parses them
//! (a recipe starts at the first column, its body is the indented lines below it).

/// One recipe: its parameters (the names, `*args` and `+args` without their sigil) and
/// the lines of its body, without their indentation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Recipe {
    pub(crate) parameters: Vec<String>,
    pub(crate) dependencies: Vec<String>,
    pub(crate) body: Vec<String>,
}

/// The recipe named `name` in `text`, when there is one; an alias (`alias t := test`)
/// does not define it.
pub(crate) fn recipe(text: &str, name: &str) -> Option<Recipe> {
    let lines: Vec<&str> = text.lines().collect();
    let (at, header) = lines.iter().enumerate().find_map(|(at, line)| {
        let header = line.strip_prefix('@').unwrap_or(line);
        let rest = header.strip_prefix(name)?;
        // `test:`, `test *args:`; not `tests:`, nor `test := …`, a variable.
        let assignment = rest.trim_start().starts_with(":=");
        (rest.starts_with([' ', ':']) && !assignment).then_some((at, rest))
    })?;
    let colon = header.find(':')?;
    let parameters = header[..colon]
        .split_whitespace()
        .map(|word| {
            let word = word.trim_start_matches(['*', '+', '$']);
            word.split('=').next().unwrap_or(word).to_string()
        })
        .collect();
    let dependencies = header[colon + 1..]
        .split_whitespace()
        .take_while(|word| !word.starts_with('#'))
        .map(ToString::to_string)
        .collect();
    let body = lines[at + 1..]
        .iter()
        .take_while(|line| line.is_empty() || line.starts_with([' ', '\t']))
        .map(|line| line.trim())
        .filter(|line| !line.is_empty())
        .map(ToString::to_string)
        .collect();
    Some(Recipe {
        parameters,
        dependencies,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipes_with_parameters_and_dependencies() {
        let text = "set shell := [\"bash\", \"-c\"]\n\ntests := \"tests\"\n\n# Run the suite\ntest *args: install\n    uv run pytest --capture=no {{args}}\n\n    coverage report\nlint:\n\truff check .\n";
        assert_eq!(
            recipe(text, "test"),
            Some(Recipe {
                parameters: vec!["args".into()],
                dependencies: vec!["install".into()],
                body: vec![
                    "uv run pytest --capture=no {{args}}".into(),
                    "coverage report".into()
                ],
            })
        );
        assert_eq!(
            recipe(text, "lint").map(|recipe| recipe.body),
            Some(vec!["ruff check .".to_string()])
        );
        assert_eq!(recipe(text, "tests"), None, "a variable is not a recipe");
        assert_eq!(recipe("alias test := tests\n", "test"), None);
        assert_eq!(
            recipe("@test:\n  pytest\n", "test").map(|recipe| recipe.body),
            Some(vec!["pytest".to_string()])
        );
    }
}
