//! The CI providers pybootstrap writes pipelines for. Each provider is one module that owns
//! all it knows: its templates and where their files go, its part of the render context,
//! what the repository's own pipelines of it say, and its notes. This file is the registry
//! (`Provider` and `Provider::ci`) and what every provider shares.

mod github;
mod gitlab;
#[cfg(test)]
pub(crate) mod stub;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::answers::{Choice, Item, choice};
use crate::project::{Existing, Project};

/// A CI system pybootstrap writes a pipeline for, as `ci.providers` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", try_from = "String")]
pub enum Provider {
    Github,
    Gitlab,
}
choice!(Provider: Github, Gitlab);

/// `ci.providers`' valid values in words (a unit test checks that they name every provider).
pub(crate) const PROVIDER_VALUES: &str = "a list of `github`, `gitlab` (or empty: no CI)";

impl Provider {
    /// The module that knows the provider: the one place a provider is registered.
    pub(crate) fn ci(self) -> &'static dyn CiProvider {
        match self {
            Self::Github => &github::Github,
            Self::Gitlab => &gitlab::Gitlab,
        }
    }
}

impl Item for Provider {}

impl fmt::Display for Provider {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.name())
    }
}

/// Every registered provider, in `Provider` order.
pub(crate) fn providers() -> impl Iterator<Item = &'static dyn CiProvider> {
    Provider::ALL.iter().map(|provider| provider.ci())
}

/// Everything pybootstrap knows about one CI provider. Its methods are pure over the facts
/// the project reader read; none reads a file.
pub(crate) trait CiProvider: Sync {
    /// Its name in `ci.providers`, in `snippet`, and as `ci.<name>` in templates.
    fn name(&self) -> &'static str;

    /// What `pybootstrap snippet <name>` prints it as, when it has a snippet: `--help`'s
    /// line, and the template under `templates/snippets/`.
    fn snippet(&self) -> Option<Snippet> {
        None
    }

    /// The ids of its built-in templates (under `templates/ci/<name>/`).
    fn templates(&self) -> &'static [&'static str];

    /// Why the repository suggests this provider (the file found), when it does.
    fn detected(&self, project: &Project) -> Option<&'static str>;

    /// The repository's own pipelines of this provider that already run its Python tests.
    fn own_tests(&self, existing: &Existing) -> Vec<String>;

    /// Where its files go around what the repository has (`None`: nothing there), and its
    /// part of the render context.
    fn fit(&self, existing: Option<&Existing>) -> Fit;

    /// What `init` tells the user about its files in this repository.
    fn notes(&self, _existing: &Existing) -> Vec<String> {
        Vec::new()
    }
}

/// A provider's `snippet`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Snippet {
    pub(crate) help: &'static str,
    pub(crate) template: &'static str,
}

/// How a provider's files fit one repository.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fit {
    pub(crate) files: Vec<CiFile>,
    /// Its template variables, beside the others of `ci` (`ci.gitlab_stage`).
    pub(crate) context: serde_json::Map<String, serde_json::Value>,
}

/// One file a provider renders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CiFile {
    pub(crate) template: &'static str,
    /// Repo-relative output path.
    pub(crate) path: &'static str,
    /// A managed block in the user's own file rather than a whole file.
    pub(crate) block: bool,
    /// For a block not yet in the file: the line it goes right after.
    pub(crate) anchor: Option<&'static str>,
}

impl CiFile {
    /// A whole file pybootstrap owns.
    pub(crate) fn whole(template: &'static str, path: &'static str) -> Self {
        Self {
            template,
            path,
            block: false,
            anchor: None,
        }
    }
}

/// The repository's own pipelines that run its Python tests, every provider's, in `Provider`
/// order. A repo with any gets only what its CI lacks (the bootstrap a contributor runs,
/// the PEP 668 proof), never a second copy of its test pipeline.
pub(crate) fn own_tests(existing: &Existing) -> Vec<String> {
    providers()
        .flat_map(|provider| provider.own_tests(existing))
        .collect()
}

/// What `init` says when the repository's own CI already runs the tests.
pub(crate) fn own_tests_note(existing: &Existing) -> Option<String> {
    let own = own_tests(existing);
    if own.is_empty() {
        return None;
    }
    let list: Vec<String> = own.iter().map(|path| format!("`{path}`")).collect();
    let verb = if own.len() == 1 { "runs" } else { "run" };
    Some(format!(
        "CI: {} already {verb} the tests; pybootstrap's pipeline holds only the contributor bootstrap and the PEP 668 job",
        list.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_provider_is_registered_under_its_answer_name() {
        for provider in Provider::ALL {
            assert_eq!(provider.ci().name(), provider.name());
        }
    }

    #[test]
    fn each_provider_renders_only_its_own_templates() {
        let existing = Existing::default();
        for provider in providers().chain([&stub::Stub as &dyn CiProvider]) {
            for file in provider.fit(Some(&existing)).files {
                assert!(
                    provider.templates().contains(&file.template),
                    "{}: {}",
                    provider.name(),
                    file.template
                );
            }
        }
    }

    #[test]
    fn ci_that_tests_python_gets_a_complement() {
        let rows = [
            (Vec::new(), None),
            (
                vec![".github/workflows/ci.yml".to_string()],
                Some("CI: `.github/workflows/ci.yml` already runs the tests"),
            ),
            (
                vec![
                    ".github/workflows/a.yml".to_string(),
                    ".gitlab-ci.yml".to_string(),
                ],
                Some("CI: `.github/workflows/a.yml`, `.gitlab-ci.yml` already run the tests"),
            ),
        ];
        for (python_test_workflows, expected) in rows {
            let existing = Existing {
                ci: crate::project::Ci {
                    python_test_workflows,
                },
                ..Existing::default()
            };
            let note = own_tests_note(&existing);
            assert_eq!(
                note.as_deref()
                    .map(|note| note.split(';').next().unwrap_or("")),
                expected
            );
        }
    }
}
