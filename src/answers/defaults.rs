//! The built-in answers: what a repo gets when nothing else says otherwise.

use std::collections::BTreeMap;
use std::path::Path;

use super::versions::newest_two;
use super::{
    Answers, Backend, Ci, Deps, DepsSource, Docs, Env, Lint, Make, Project, Provider, Python, Tasks,
};

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
pub fn default_actions() -> BTreeMap<String, String> {
    [CHECKOUT_ACTION, SETUP_PYTHON_ACTION, SETUP_UV_ACTION]
        .into_iter()
        .map(|(name, reference)| (name.to_string(), reference.to_string()))
        .collect()
}

/// The built-in answers for the repo at `repo`: its directory name as the project name, the
/// newest two supported Pythons, a `venv` in `.venv`, no dependencies, GitHub CI.
pub fn builtin(repo: &Path) -> Answers {
    // `.` or a relative path has no useful file name until it is made absolute.
    let absolute = fs_err::canonicalize(repo).unwrap_or_else(|_| repo.to_path_buf());
    let directory = absolute
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    Answers {
        schema: 1,
        project: Project {
            name: sanitise_project_name(&directory),
        },
        python: Python {
            versions: newest_two(),
        },
        env: Env {
            backend: Backend::Venv,
            dir: ".venv".to_string(),
        },
        deps: Deps {
            source: DepsSource::None,
            files: Vec::new(),
            extras: Vec::new(),
        },
        tasks: Tasks {
            test: "pytest".to_string(),
            lint: "ruff check .".to_string(),
            fmt: "ruff format .".to_string(),
        },
        ci: Ci {
            providers: vec![Provider::Github],
            os: vec!["ubuntu-latest".to_string()],
            pep668_job: true,
            actions: default_actions(),
        },
        make: Make { enabled: true },
        lint: Lint { ignore: Vec::new() },
        docs: Docs {
            path: "docs/python-environment.md".to_string(),
        },
        templates: None,
    }
}

/// A valid `project.name` made from a directory name: characters outside
/// `[A-Za-z0-9._-]` become `-`, runs of `-` collapse, leading and trailing separators go,
/// at most 100 characters; `project` when nothing is left.
pub fn sanitise_project_name(directory: &str) -> String {
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
    if trimmed.is_empty() {
        "project".to_string()
    } else {
        trimmed.to_string()
    }
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
        let directory = tempfile::tempdir().expect("temp dir");
        let answers = builtin(directory.path());
        super::super::validate(&answers).expect("built-in answers validate");
        assert_eq!(answers.python.versions, vec!["3.13", "3.14"]);
    }
}
