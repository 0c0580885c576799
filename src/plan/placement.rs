//! Where generated things go so that they fit around what the repo already has: pure
//! decisions over the facts in `project`, one unit test per row.

use std::collections::BTreeSet;

use crate::project::Ci;
use crate::project::docs::DocsTree;
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

/// Which jobs pybootstrap's workflow holds: a repo whose own CI already runs its Python
/// tests gets only what it lacks (the bootstrap a contributor runs, the PEP 668 proof),
/// never a second copy of its test pipeline.
pub(crate) fn ci_jobs(ci: &Ci) -> CiJobs {
    if ci.tests_python() {
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
            assert_eq!(ci_jobs(&ci), expected);
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
