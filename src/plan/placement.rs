//! Where generated things go so that they fit around what the repo already has: pure
//! decisions over the facts in `project`, one unit test per row.

use std::collections::BTreeSet;

use crate::project::Ci;
use crate::render::{CiJobs, MakeTargets};

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
        [role.to_string(), format!("venv-{role}"), format!("pybootstrap-{role}")]
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
    fn ci_that_tests_python_gets_a_complement() {
        let rows = [
            (Vec::new(), CiJobs::Full),
            (vec![".github/workflows/ci.yml".to_string()], CiJobs::Complement),
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
        let rows: &[(&[&str], &[(&str, &str)])] = &[
            (&[], &[]),
            (&["all", "docs"], &[]),
            (&["test"], &[("test", "venv-test")]),
            (
                &["test", "clean", "fmt"],
                &[("test", "venv-test"), ("fmt", "venv-fmt"), ("clean", "venv-clean")],
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
