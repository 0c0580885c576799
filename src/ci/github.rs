//! GitHub Actions: pybootstrap's workflow under `.github/workflows/`, beside the repo's own.

use super::{CiFile, CiProvider, Fit, Snippet};
use crate::project::{Existing, Project};

/// The directory GitHub reads workflows from.
const WORKFLOWS: &str = ".github/workflows";

pub(super) struct Github;

impl CiProvider for Github {
    fn name(&self) -> &'static str {
        "github"
    }

    fn snippet(&self) -> Option<Snippet> {
        Some(Snippet {
            help: "Steps for a GitHub Actions job's `steps:`",
            template: "github.yml",
        })
    }

    fn templates(&self) -> &'static [&'static str] {
        &["ci/github/ci.yml"]
    }

    fn detected(&self, project: &Project) -> Option<&'static str> {
        project.github_workflows.then_some(WORKFLOWS)
    }

    fn own_tests(&self, existing: &Existing) -> Vec<String> {
        let inside = |path: &&String| {
            path.strip_prefix(WORKFLOWS)
                .is_some_and(|rest| rest.starts_with('/'))
        };
        existing
            .ci
            .python_test_workflows
            .iter()
            .filter(inside)
            .cloned()
            .collect()
    }

    fn fit(&self, _: Option<&Existing>) -> Fit {
        // A workflow file of its own never collides with the repo's: GitHub runs them all.
        Fit {
            files: vec![CiFile::whole(
                "ci/github/ci.yml",
                ".github/workflows/pybootstrap.yml",
            )],
            context: serde_json::Map::new(),
        }
    }
}
