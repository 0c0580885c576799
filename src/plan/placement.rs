//! Where generated things go so that they fit around what the repo already has: pure
//! decisions over the facts in `project`, one unit test per row.

use std::collections::BTreeSet;

use crate::project::Ci;
use crate::project::docs::DocsTree;
use crate::project::gitlab::{GitlabRoot, Include};
use crate::render::{CiJobs, MakeTargets};

/// Where the contributor guide goes by default.
pub(crate) const DOCS_PATH: &str = "docs/python-environment.md";

/// Where the guide goes when `DOCS_PATH` lies inside a docs build's source tree: beside
/// the README, where neither Sphinx nor MkDocs reads it.
pub(crate) const DOCS_PATH_BESIDE_TREE: &str = "python-environment.md";

/// The contributor guide's default path: `DOCS_PATH`, unless a Sphinx or MkDocs build
/// reads that directory, where an unlisted page fails `sphinx-build -W` (not in any
/// toctree) or `mkdocs build --strict`; then the tree that holds it, and the path beside it.
pub(crate) fn docs_path(trees: &[DocsTree]) -> (&'static str, Option<&DocsTree>) {
    let inside = |tree: &&DocsTree| {
        tree.dir.is_empty() || tree.dir == "." || DOCS_PATH.starts_with(&format!("{}/", tree.dir))
    };
    match trees.iter().find(inside) {
        Some(tree) => (DOCS_PATH_BESIDE_TREE, Some(tree)),
        None => (DOCS_PATH, None),
    }
}

/// How pybootstrap's GitLab pipeline reaches GitLab, which reads one root file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GitlabPlacement {
    /// No root file, or pybootstrap's own: it is written whole.
    Root,
    /// The user's root file: pybootstrap's pipeline is a file of its own, and a managed
    /// block `include:`s it (as an entry of the user's `include:` list when there is one).
    Included { in_list: bool },
    /// The user's root `include:` is written inline (`include: a.yml`): the file of its
    /// own is written, and the user adds the entry (init says how).
    Beside,
}

/// Where pybootstrap's GitLab pipeline goes, from the root file there is.
pub(crate) fn gitlab(root: Option<&GitlabRoot>) -> GitlabPlacement {
    match root {
        None => GitlabPlacement::Root,
        Some(root) if root.generated => GitlabPlacement::Root,
        Some(root) => match root.include {
            Include::Absent => GitlabPlacement::Included { in_list: false },
            Include::List => GitlabPlacement::Included { in_list: true },
            Include::Inline => GitlabPlacement::Beside,
        },
    }
}

/// The stage of pybootstrap's included jobs: `test` where the user's pipeline has it (or
/// keeps GitLab's default stages), else the user's first stage named like a test stage,
/// else their last; an unknown stage would make GitLab reject the whole pipeline.
pub(crate) fn gitlab_stage(stages: Option<&[String]>) -> String {
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

/// Which jobs pybootstrap's workflow holds: a repo whose own CI already runs its Python
/// tests gets only what it lacks (the bootstrap a contributor runs, the PEP 668 proof),
/// never a second copy of its test pipeline.
pub(crate) fn ci_jobs(ci: &Ci, gitlab: Option<&GitlabRoot>) -> CiJobs {
    let gitlab_tests =
        gitlab.is_some_and(|root| !root.generated && crate::project::ci::tests_python(&root.text));
    if ci.tests_python() || gitlab_tests {
        CiJobs::Complement
    } else {
        CiJobs::Full
    }
}

/// The name each of pybootstrap's `Makefile` targets takes beside the user's `targets`:
/// the user's target wins, and pybootstrap's variant moves to `venv-<role>` (or
/// `pybootstrap-<role>` when that is taken too), so make never sees a second recipe.
pub(crate) fn make_targets(user: &BTreeSet<String>) -> MakeTargets {
    MakeTargets::named(|role| {
        [
            role.to_string(),
            format!("venv-{role}"),
            format!("pybootstrap-{role}"),
        ]
        .into_iter()
        .find(|name| !user.contains(name))
        .unwrap_or_else(|| format!("pybootstrap-venv-{role}"))
    })
}

/// `(user's target, pybootstrap's name for it)` for every role the user's `Makefile` owns.
pub(crate) fn renamed(targets: &MakeTargets) -> Vec<(&'static str, &str)> {
    targets
        .pairs()
        .into_iter()
        .filter(|(role, name)| role != name)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(user: &[&str]) -> Vec<(&'static str, String)> {
        let user = user.iter().map(ToString::to_string).collect();
        let targets = make_targets(&user);
        renamed(&targets)
            .into_iter()
            .map(|(role, name)| (role, name.to_string()))
            .collect()
    }

    #[test]
    fn gitlab_reaches_the_root_file_without_replacing_it() {
        let rows = [
            (None, GitlabPlacement::Root),
            (
                Some("# Generated by pybootstrap: x\ntest: {}\n"),
                GitlabPlacement::Root,
            ),
            (
                Some("build:\n  script: [make]\n"),
                GitlabPlacement::Included { in_list: false },
            ),
            (
                Some("include:\n  - local: a.yml\n"),
                GitlabPlacement::Included { in_list: true },
            ),
            (Some("include: a.yml\n"), GitlabPlacement::Beside),
        ];
        for (text, expected) in rows {
            let root = text.map(GitlabRoot::parse);
            assert_eq!(gitlab(root.as_ref()), expected, "{text:?}");
        }
    }

    #[test]
    fn gitlab_jobs_take_a_stage_the_pipeline_has() {
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
            assert_eq!(gitlab_stage(stages.as_deref()), expected, "{stages:?}");
        }
    }

    #[test]
    fn the_guide_stays_out_of_docs_build_trees() {
        use crate::project::docs::DocsTool;
        let tree = |tool, dir: &str| DocsTree {
            tool,
            dir: dir.to_string(),
        };
        let rows = [
            (vec![], DOCS_PATH),
            (vec![tree(DocsTool::Sphinx, "docs")], DOCS_PATH_BESIDE_TREE),
            (vec![tree(DocsTool::Sphinx, "docs/source")], DOCS_PATH),
            (vec![tree(DocsTool::Sphinx, "doc")], DOCS_PATH),
            (vec![tree(DocsTool::MkDocs, "docs")], DOCS_PATH_BESIDE_TREE),
            (vec![tree(DocsTool::MkDocs, "site")], DOCS_PATH),
            (vec![tree(DocsTool::MkDocs, "docsite")], DOCS_PATH),
        ];
        for (trees, expected) in rows {
            assert_eq!(docs_path(&trees).0, expected, "{trees:?}");
        }
    }

    #[test]
    fn ci_that_tests_python_gets_a_complement() {
        let rows = [
            (Vec::new(), CiJobs::Full),
            (
                vec![".github/workflows/ci.yml".to_string()],
                CiJobs::Complement,
            ),
        ];
        for (python_test_workflows, expected) in rows {
            let ci = Ci {
                python_test_workflows,
            };
            assert_eq!(ci_jobs(&ci, None), expected);
        }
    }

    #[test]
    fn the_users_targets_win() {
        type Row<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)]);
        let rows: &[Row<'_>] = &[
            (&[], &[]),
            (&["all", "docs"], &[]),
            (&["test"], &[("test", "venv-test")]),
            (
                &["test", "clean", "fmt"],
                &[
                    ("test", "venv-test"),
                    ("fmt", "venv-fmt"),
                    ("clean", "venv-clean"),
                ],
            ),
            (&["lint", "venv-lint"], &[("lint", "pybootstrap-lint")]),
            (&["bootstrap"], &[("bootstrap", "venv-bootstrap")]),
        ];
        for (user, expected) in rows {
            let expected: Vec<(&str, String)> = expected
                .iter()
                .map(|(role, name)| (*role, (*name).to_string()))
                .collect();
            assert_eq!(names(user), expected, "{user:?}");
        }
    }
}
