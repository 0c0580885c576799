//! The built-in answers: what a repo gets when nothing else says otherwise.

use std::collections::BTreeMap;

use super::value::{ActionName, ActionPin, PreferredPython, ProjectName, PythonRequires, Schema};
use super::{Answers, Ci, Deps, Docs, Env, Lint, Make, Network, Project, Python, Scripts, Tasks};

/// `actions/checkout`, pinned to the commit of its v5.0.0 release.
pub const CHECKOUT_ACTION: (&str, &str) = (
    "actions/checkout",
    "08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0",
);

/// `actions/setup-python`, pinned to the commit of its v6.0.0 release.
pub const SETUP_PYTHON_ACTION: (&str, &str) = (
    "actions/setup-python",
    "e797f83bcb11b83ae66e0230d6156d7c80228e7c # v6.0.0",
);

/// `astral-sh/setup-uv`, pinned to the commit of its v10.0.1 release. From v8 on the action
/// publishes only immutable full-version tags (no floating `v10`), so a pin by SHA is the
/// only stable reference; v10 also turned its cache off by default (`enable-cache: auto`).
pub const SETUP_UV_ACTION: (&str, &str) = (
    "astral-sh/setup-uv",
    "20cfd1bf945f4377ade1205e4dbc17946fc9a30d # v10.0.1",
);

/// The pinned actions every new repo starts with.
pub fn default_actions() -> BTreeMap<ActionName, ActionPin> {
    [CHECKOUT_ACTION, SETUP_PYTHON_ACTION, SETUP_UV_ACTION]
        .into_iter()
        .map(|(name, reference)| {
            let name = name.parse().expect("a built-in action name is valid");
            let pin = reference.parse().expect("a built-in pin is valid");
            (name, pin)
        })
        .collect()
}

/// The built-in answers for a repo in a directory named `directory_name` (the last part
/// of its canonical path): that name as the project name, every supported CPython (CI: the
/// maintained ones), a `venv` in `.venv`, no dependencies, GitHub CI.
pub fn builtin(directory_name: &str) -> Answers {
    Answers {
        schema: Schema::CURRENT,
        project: Project {
            name: sanitise_project_name(directory_name),
        },
        python: {
            let requires = PythonRequires::any_supported();
            Python {
                versions: requires.default_matrix(),
                requires,
                preferred: PreferredPython::none(),
            }
        },
        env: Env::default(),
        deps: Deps::default(),
        tasks: Tasks::default(),
        ci: Ci::default(),
        make: Make::default(),
        lint: Lint::default(),
        scripts: Scripts::default(),
        docs: Docs::default(),
        network: Network::default(),
        templates: None,
    }
}

/// A valid `project.name` made from a directory name: characters outside
/// `[A-Za-z0-9._-]` become `-`, runs of `-` collapse, leading and trailing separators go,
/// at most 100 characters; `project` when nothing is left.
pub fn sanitise_project_name(directory: &str) -> ProjectName {
    let mut name = String::with_capacity(directory.len());
    for character in directory.chars() {
        let character = if character.is_ascii_alphanumeric() || matches!(character, '.' | '_' | '-')
        {
            character
        } else {
            '-'
        };
        if character == '-' && name.ends_with('-') {
            continue;
        }
        name.push(character);
    }
    let separator = |character: char| matches!(character, '.' | '_' | '-');
    let trimmed: String = name
        .trim_start_matches(separator)
        .chars()
        .take(100)
        .collect();
    let trimmed = trimmed.trim_end_matches(separator);
    let name = if trimmed.is_empty() {
        "project"
    } else {
        trimmed
    };
    name.parse()
        .expect("a sanitised name holds only valid characters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn project_names_from_directories() {
        assert_eq!(sanitise_project_name("my-app"), "my-app");
        assert_eq!(sanitise_project_name("My App (copy)"), "My-App-copy");
        assert_eq!(sanitise_project_name(".hidden"), "hidden");
        assert_eq!(sanitise_project_name("données"), "donn-es");
        assert_eq!(sanitise_project_name("$(rm -rf ~)"), "rm-rf");
        assert_eq!(sanitise_project_name("---"), "project");
        assert_eq!(sanitise_project_name(""), "project");
        assert_eq!(sanitise_project_name(&"a".repeat(300)).len(), 100);
    }

    #[test]
    fn builtin_answers_are_valid() {
        let answers = builtin(".tmpA1b2C3");
        super::super::validate(&answers).expect("built-in answers validate");
        let versions: Vec<String> = answers
            .python
            .versions
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            versions,
            vec!["3.9", "3.11", "3.12", "3.13", "3.14", "3.15"]
        );
        assert_eq!(answers.python.requires.to_string(), ">=3.9");
    }
}
