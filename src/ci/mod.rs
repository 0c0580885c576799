//! The CI providers pybootstrap writes pipelines for. Each provider is one module that owns
//! all it knows: its templates and where their files go, its part of the render context,
//! what the repository's own pipelines of it say, and its notes. This file is the registry
//! (`Provider` and `Provider::ci`) and what every provider shares.

mod github;
mod gitlab;
mod lines;
pub(crate) mod others;
#[cfg(test)]
pub(crate) mod stub;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::answers::{Choice, Item, choice};
use crate::lint::yaml::Node;
use crate::project::services::{self, Needs, Variable};

/// Declares `Provider` (its variants, their names in `ci.providers`' valid values) and
/// `Provider::ci`, the module of each, from one line per provider.
macro_rules! registry {
    ($first:ident $first_name:literal => $first_module:expr
        $(, $variant:ident $name:literal => $module:expr)* $(,)?) => {
        /// A CI system pybootstrap writes a pipeline for, as `ci.providers` names it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "kebab-case", try_from = "String")]
        pub enum Provider {
            $first,
            $($variant,)*
        }
        choice!(Provider: $first $(, $variant)*);

        /// `ci.providers`' valid values in words.
        pub(crate) const PROVIDER_VALUES: &str = concat!(
            "a list of `", $first_name, "`", $(", `", $name, "`",)* " (or empty: no CI)"
        );

        impl Provider {
            /// The module that knows the provider.
            pub(crate) fn ci(self) -> &'static dyn CiProvider {
                match self {
                    Self::$first => &$first_module,
                    $(Self::$variant => &$module,)*
                }
            }
        }
    };
}

// The registration: one line per provider, in the order prompts offer them.
registry! {
    Github "github" => github::Github,
    Gitlab "gitlab" => gitlab::Gitlab,
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

/// Everything pybootstrap knows about one CI provider. Its methods are pure: the project
/// reader reads the files at its `locations` and hands it their text.
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

    /// Where the repository's own pipelines of this provider live.
    fn locations(&self) -> &'static [Location];

    /// What the repository's own pipelines (`found` at its `locations`, none when the
    /// repository has none or there is no repository) mean for pybootstrap's: decided once,
    /// when the project is read. `scripts` judges the commands they run.
    fn read(&self, found: &[Found<'_>], scripts: &dyn Scripts) -> Facts;
}

/// Where a provider's own pipelines live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Location {
    /// One file.
    File(&'static str),
    /// Every `.yml` and `.yaml` file in a directory.
    Dir(&'static str),
}

/// A file at one of a provider's `locations`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Found<'a> {
    /// Repo-relative, `/`-separated.
    pub(crate) path: &'a str,
    /// `None` when it could not be read.
    pub(crate) text: Option<&'a str>,
}

/// A script a pipeline step runs, and the directory (repo-relative) it starts in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Step {
    pub(crate) script: String,
    pub(crate) dir: Option<String>,
}

/// How the project reader judges what a pipeline runs, following the repository's files
/// (scripts, `make` targets, hatch scripts) that the commands run.
pub(crate) trait Scripts {
    /// Whether `text` names a Python test runner as a word (`pytest`, not `pytest-cov`).
    fn names_test_runner(&self, text: &str) -> bool;
    /// Whether the step's commands run Python tests.
    fn runs_tests(&self, step: &Step) -> bool;
}

/// The judge when there is no repository: nothing runs tests.
pub(crate) struct NoScripts;

impl Scripts for NoScripts {
    fn names_test_runner(&self, _: &str) -> bool {
        false
    }

    fn runs_tests(&self, _: &Step) -> bool {
        false
    }
}

/// The first line of every file pybootstrap writes whole: such a pipeline is not the
/// repository's own (an older pybootstrap wrote its GitHub workflow as `ci.yml`).
pub(crate) const GENERATED: &str = "# Generated by pybootstrap";

/// What a provider made of the repository's own pipelines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Facts {
    /// Why the repository suggests this provider (the file found), when it does.
    pub(crate) detected: Option<&'static str>,
    /// The repository's own pipelines that already run its Python tests.
    pub(crate) own_tests: Vec<String>,
    /// The steps of those pipelines that run the tests, in file order: the commands a
    /// task may follow (a uv workspace's `cd lib/a && uv run pytest`).
    pub(crate) test_steps: Vec<Step>,
    /// Where its files go, and its template variables.
    pub(crate) fit: Fit,
    /// What `init` tells the user about its files in this repository.
    pub(crate) notes: Vec<String>,
    /// The oldest and the newest CPython minor its own pipelines set up, where they name
    /// one.
    pub(crate) python: Option<(u32, u32)>,
    /// The services (and variables) its job that runs the tests starts for them.
    pub(crate) services: Option<Needs>,
}

/// What every provider made of the repository's own pipelines, in `Provider` order (with
/// no repository: of none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Own(Vec<(&'static str, Facts)>, Vec<String>);

impl Own {
    /// The facts of every provider in `providers`, from what `find` finds at its
    /// locations.
    pub(crate) fn read<'a>(
        providers: impl IntoIterator<Item = &'a dyn CiProvider>,
        find: impl Fn(Location) -> Vec<(String, Option<String>)>,
        scripts: &dyn Scripts,
    ) -> Self {
        let facts = providers.into_iter().map(|provider| {
            let files: Vec<(String, Option<String>)> = provider
                .locations()
                .iter()
                .flat_map(|location| find(*location))
                .collect();
            let found: Vec<Found<'_>> = files
                .iter()
                .map(|(path, text)| Found {
                    path,
                    text: text.as_deref(),
                })
                .collect();
            (provider.name(), provider.read(&found, scripts))
        });
        Self(facts.collect(), Vec::new())
    }

    /// These facts with the pipelines of systems pybootstrap writes none for (`others`)
    /// that already run the tests.
    pub(crate) fn with_others(mut self, paths: Vec<String>) -> Self {
        self.1 = paths;
        self
    }

    /// Each provider's name and facts.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&'static str, &Facts)> {
        self.0.iter().map(|(name, facts)| (*name, facts))
    }

    /// The facts of the provider named `name`.
    pub(crate) fn of(&self, name: &str) -> Option<&Facts> {
        self.iter()
            .find(|(provider, _)| *provider == name)
            .map(|(_, facts)| facts)
    }

    /// The repository's own pipelines that run its Python tests, every provider's. A repo
    /// with any gets only what its CI lacks (the bootstrap a contributor runs, the PEP 668
    /// proof), never a second copy of its test pipeline.
    pub(crate) fn tests(&self) -> Vec<String> {
        self.0
            .iter()
            .flat_map(|(_, facts)| facts.own_tests.iter().cloned())
            .chain(self.1.iter().cloned())
            .collect()
    }

    /// The steps of every provider's own pipelines that run the tests.
    pub(crate) fn test_steps(&self) -> Vec<Step> {
        self.0
            .iter()
            .flat_map(|(_, facts)| facts.test_steps.iter().cloned())
            .collect()
    }

    /// What `init` says when the repository's own CI already runs the tests.
    pub(crate) fn tests_note(&self) -> Option<String> {
        let own = self.tests();
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
}

impl Default for Own {
    /// No repository: every provider's facts of no pipelines.
    fn default() -> Self {
        Self::read(providers(), |_| Vec::new(), &NoScripts)
    }
}

/// The `(name, value)` pairs of a mapping node (`env:`, `variables:`); GitLab's
/// `NAME: {value: …}` form gives its `value`. A value the outline cannot decode is `None`:
/// left out, never misquoted.
pub(crate) fn pairs(node: Option<&Node>) -> Vec<(String, Option<String>)> {
    node.map(|node| {
        node.children
            .iter()
            .filter_map(|child| {
                let name = child.key.clone()?;
                Some((name, child.get("value").unwrap_or(child).scalar()))
            })
            .collect()
    })
    .unwrap_or_default()
}

/// What a provider reads of one service: name, image, env, ports and options.
pub(crate) type ServiceFields = (
    String,
    String,
    Vec<(String, Option<String>)>,
    Vec<String>,
    String,
);

/// The service containers a job's `services:` node declares, read by `service`; those
/// with a value refused are left out, their secrets' names added to `left_out`.
pub(crate) fn read_services(
    node: &Node,
    service: impl Fn(&Node) -> Option<ServiceFields>,
    left_out: &mut Vec<String>,
) -> Vec<services::Service> {
    node.children
        .iter()
        .filter_map(|child| {
            let (name, image, env, ports, options) = service(child)?;
            let (env, secrets): (Vec<Variable>, Vec<String>) = services::variables(env);
            left_out.extend(secrets);
            let ports = ports
                .iter()
                .filter_map(|port| services::port(port))
                .collect();
            services::Service::new(&name, &image, env, ports, &options).ok()
        })
        .collect()
}

/// A provider's `snippet`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Snippet {
    pub(crate) help: &'static str,
    pub(crate) template: &'static str,
}

/// How a provider's files fit one repository.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
        let own = Own::read(
            providers().chain([&stub::Stub as &dyn CiProvider]),
            |_| Vec::new(),
            &NoScripts,
        );
        for (name, facts) in own.iter() {
            let provider = providers()
                .chain([&stub::Stub as &dyn CiProvider])
                .find(|provider| provider.name() == name)
                .expect("read from the list");
            for file in &facts.fit.files {
                assert!(
                    provider.templates().contains(&file.template),
                    "{name}: {}",
                    file.template
                );
            }
        }
    }

    #[test]
    fn ci_that_tests_python_gets_a_complement() {
        let pipeline = "test:\n  script: [pytest]\n";
        let rows = [
            (vec![], None),
            (
                vec![(".github/workflows/ci.yml", pipeline)],
                Some("CI: `.github/workflows/ci.yml` already runs the tests"),
            ),
            (
                vec![
                    (".github/workflows/b.yml", pipeline),
                    (".github/workflows/a.yml", pipeline),
                    (".gitlab-ci.yml", pipeline),
                ],
                Some(
                    "CI: `.github/workflows/a.yml`, `.github/workflows/b.yml`, `.gitlab-ci.yml` already run the tests",
                ),
            ),
        ];
        for (files, expected) in rows {
            let find = |location| match location {
                Location::File(path) | Location::Dir(path) => files
                    .iter()
                    .filter(|(file, _)| file.starts_with(path))
                    .map(|(file, text)| ((*file).to_string(), Some((*text).to_string())))
                    .collect(),
            };
            let own = Own::read(providers(), find, &Runner);
            let note = own.tests_note();
            assert_eq!(
                note.as_deref()
                    .map(|note| note.split(';').next().unwrap_or("")),
                expected
            );
        }
    }

    /// A judge for which naming pytest is running the tests.
    struct Runner;

    impl Scripts for Runner {
        fn names_test_runner(&self, text: &str) -> bool {
            text.contains("pytest")
        }

        fn runs_tests(&self, _: &Step) -> bool {
            false
        }
    }
}
