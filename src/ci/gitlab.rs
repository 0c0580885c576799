//! GitLab CI: GitLab reads one root file, `.gitlab-ci.yml`; pybootstrap writes it whole when
//! it is absent or pybootstrap's, else writes its pipeline as a file of its own that the
//! user's root file includes, in a stage that pipeline has.

use serde::Serialize;

use super::{CiFile, CiProvider, Fit, Snippet};
use crate::project::gitlab::{GitlabRoot, Include, ROOT};
use crate::project::{Existing, Project};

/// The pipeline template, and where it goes when the user's root file includes it.
const PIPELINE: &str = "ci/gitlab/gitlab-ci.yml";
const INCLUDED: &str = ".gitlab/pybootstrap-ci.yml";
/// The managed block that includes it from the user's root file.
const INCLUDE: &str = "ci/gitlab/include.yml";

pub(super) struct Gitlab;

/// How pybootstrap's pipeline reaches GitLab, which reads one root file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    /// No root file, or pybootstrap's own: it is written whole.
    Root,
    /// The user's root file: pybootstrap's pipeline is a file of its own, and a managed
    /// block `include:`s it (as an entry of the user's `include:` list when there is one).
    Included { in_list: bool },
    /// The user's root `include:` is written inline (`include: a.yml`): the file of its
    /// own is written, and the user adds the entry (init says how).
    Beside,
}

/// Where pybootstrap's pipeline goes, from the root file there is.
fn placement(root: Option<&GitlabRoot>) -> Placement {
    match root {
        None => Placement::Root,
        Some(root) if root.generated => Placement::Root,
        Some(root) => match root.include {
            Include::Absent => Placement::Included { in_list: false },
            Include::List => Placement::Included { in_list: true },
            Include::Inline => Placement::Beside,
        },
    }
}

/// The stage of pybootstrap's included jobs: `test` where the user's pipeline has it (or
/// keeps GitLab's default stages), else the user's first stage named like a test stage,
/// else their last; an unknown stage would make GitLab reject the whole pipeline.
fn stage(stages: Option<&[String]>) -> String {
    let Some(stages) = stages.filter(|stages| !stages.is_empty()) else {
        return "test".to_string();
    };
    stages
        .iter()
        .find(|stage| *stage == "test")
        .or_else(|| stages.iter().find(|stage| stage.contains("test")))
        .or_else(|| stages.last())
        .cloned()
        .unwrap_or_else(|| "test".to_string())
}

/// The pipeline template's variables, as `ci.gitlab_*`.
#[derive(Debug, Clone, Serialize)]
struct Context {
    /// pybootstrap's pipeline is a file the user's root file includes (its jobs then carry
    /// their own variables and a `pybootstrap-` prefix, and it sets no stages).
    #[serde(rename = "gitlab_included")]
    included: bool,
    /// Whether a managed block in the user's root file includes the pipeline.
    #[serde(rename = "gitlab_include_block")]
    include_block: bool,
    /// Whether the include entry goes under the user's own `include:` list.
    #[serde(rename = "gitlab_include_in_list")]
    include_in_list: bool,
    /// The stage of pybootstrap's jobs.
    #[serde(rename = "gitlab_stage")]
    stage: String,
    /// The prefix of pybootstrap's job names (`""` or `pybootstrap-`).
    #[serde(rename = "gitlab_job_prefix")]
    job_prefix: String,
}

fn root(existing: Option<&Existing>) -> Option<&GitlabRoot> {
    existing.and_then(|existing| existing.gitlab.as_ref())
}

impl CiProvider for Gitlab {
    fn name(&self) -> &'static str {
        "gitlab"
    }

    fn snippet(&self) -> Option<Snippet> {
        Some(Snippet {
            help: "A GitLab CI job",
            template: "gitlab.yml",
        })
    }

    fn templates(&self) -> &'static [&'static str] {
        &[PIPELINE, INCLUDE]
    }

    fn detected(&self, project: &Project) -> Option<&'static str> {
        project.files.is_file(ROOT).then_some(ROOT)
    }

    fn own_tests(&self, existing: &Existing) -> Vec<String> {
        let listed = existing
            .ci
            .python_test_workflows
            .iter()
            .any(|path| path == ROOT);
        let root_tests = root(Some(existing))
            .is_some_and(|root| !root.generated && crate::project::ci::tests_python(&root.text));
        if listed || root_tests {
            vec![ROOT.to_string()]
        } else {
            Vec::new()
        }
    }

    fn fit(&self, existing: Option<&Existing>) -> Fit {
        let root = root(existing);
        let mut context = Context {
            included: false,
            include_block: false,
            include_in_list: false,
            stage: "test".to_string(),
            job_prefix: String::new(),
        };
        match placement(root) {
            Placement::Root => {}
            Placement::Included { in_list } => {
                context.included = true;
                context.include_block = true;
                context.include_in_list = in_list;
            }
            Placement::Beside => context.included = true,
        }
        if context.included {
            context.stage = stage(root.and_then(|root| root.stages.as_deref()));
            context.job_prefix = "pybootstrap-".to_string();
        }
        let path = if context.included { INCLUDED } else { ROOT };
        let mut files = vec![CiFile::whole(PIPELINE, path)];
        if context.include_block {
            files.push(CiFile {
                template: INCLUDE,
                path: ROOT,
                block: true,
                // An entry of the user's own `include:` list goes under its key line.
                anchor: context.include_in_list.then_some("include:"),
            });
        }
        let Ok(serde_json::Value::Object(context)) = serde_json::to_value(context) else {
            unreachable!("a struct serialises as a map")
        };
        Fit { files, context }
    }

    fn notes(&self, existing: &Existing) -> Vec<String> {
        if placement(root(Some(existing))) == Placement::Beside {
            vec![format!(
                "`{ROOT}` writes its `include:` on one line, which pybootstrap does not rewrite: pybootstrap's pipeline is `{INCLUDED}`; add `- local: {INCLUDED}` to your `include:` to run it"
            )]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pipeline_reaches_the_root_file_without_replacing_it() {
        let rows = [
            (None, Placement::Root),
            (
                Some("# Generated by pybootstrap: x\ntest: {}\n"),
                Placement::Root,
            ),
            (
                Some("build:\n  script: [make]\n"),
                Placement::Included { in_list: false },
            ),
            (
                Some("include:\n  - local: a.yml\n"),
                Placement::Included { in_list: true },
            ),
            (Some("include: a.yml\n"), Placement::Beside),
        ];
        for (text, expected) in rows {
            let root = text.map(GitlabRoot::parse);
            assert_eq!(placement(root.as_ref()), expected, "{text:?}");
        }
    }

    #[test]
    fn included_jobs_take_a_stage_the_pipeline_has() {
        let rows: [(Option<&[&str]>, &str); 5] = [
            (None, "test"),
            (Some(&["build", "test", "deploy"]), "test"),
            (Some(&["build", "unit-tests", "deploy"]), "unit-tests"),
            (Some(&["lint", "check"]), "check"),
            (Some(&[]), "test"),
        ];
        for (stages, expected) in rows {
            let stages: Option<Vec<String>> =
                stages.map(|list| list.iter().map(ToString::to_string).collect());
            assert_eq!(stage(stages.as_deref()), expected, "{stages:?}");
        }
    }

    #[test]
    fn each_placement_writes_its_files() {
        let files = |text: Option<&str>| -> Vec<(&str, bool, Option<&str>)> {
            let existing = Existing {
                gitlab: text.map(GitlabRoot::parse),
                ..Existing::default()
            };
            let fit = Gitlab.fit(Some(&existing));
            fit.files
                .iter()
                .map(|file| (file.path, file.block, file.anchor))
                .collect()
        };
        assert_eq!(files(None), [(ROOT, false, None)]);
        assert_eq!(
            files(Some("include:\n  - local: a.yml\n")),
            [(INCLUDED, false, None), (ROOT, true, Some("include:"))]
        );
        assert_eq!(files(Some("include: a.yml\n")), [(INCLUDED, false, None)]);
    }
}
