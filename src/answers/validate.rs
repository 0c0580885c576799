//! The rules between answers, checked once every layer is in: each value already holds
//! only what its type allows (`value.rs`). Each failure names the key, the bad value and
//! the valid values.

use super::error::{Error, Location, Problem};
use super::{Answers, DepsSource};

/// Checks the rules between answers.
pub fn validate(answers: &Answers) -> Result<(), Error> {
    let fail = |key: &str, problem: Problem| Err(problem.at(key, Location::Answers));
    if answers.deps.source == DepsSource::Requirements && answers.deps.files.is_empty() {
        return fail(
            "deps.files",
            Problem::Invalid {
                value: "the empty list".to_string(),
                reason: "names no requirement file, but `deps.source` is `requirements`"
                    .to_string(),
            },
        );
    }
    if let Some(outside) = answers
        .python
        .versions
        .iter()
        .find(|minor| !answers.python.requires.allows(**minor))
    {
        return fail(
            "python.versions",
            Problem::invalid(
                outside,
                format!(
                    "is outside `python.requires = \"{}\"`: CI would test a Python the project does not accept (widen `python.requires` or drop it from the matrix)",
                    answers.python.requires
                ),
            ),
        );
    }
    if let Some(preferred) = answers.python.preferred.minor()
        && !answers.python.requires.allows(preferred)
    {
        return fail(
            "python.preferred",
            Problem::invalid(
                preferred,
                format!(
                    "is outside `python.requires = \"{}\"`: the bootstrap would never pick it (pick one inside, or `\"\"` for the newest)",
                    answers.python.requires
                ),
            ),
        );
    }
    let env_dir: &str = &answers.env.dir;
    if inside(&answers.docs.path, env_dir) {
        return fail(
            "docs.path",
            Problem::invalid(
                &answers.docs.path,
                format!(
                    "is inside the environment directory `{env_dir}`, which `--recreate` deletes"
                ),
            ),
        );
    }
    for file in &answers.deps.files {
        if inside(file, env_dir) {
            return fail(
                "deps.files",
                Problem::invalid(
                    file,
                    format!("is inside the environment directory `{env_dir}`"),
                ),
            );
        }
    }
    Ok(())
}

/// Whether `path` is `directory` or below it (both normalised, `/`-separated).
fn inside(path: &str, directory: &str) -> bool {
    path == directory
        || path
            .strip_prefix(directory)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::answers::builtin;

    fn sample() -> Answers {
        builtin("demo")
    }

    fn refused(change: impl FnOnce(&mut Answers)) -> Error {
        let mut answers = sample();
        change(&mut answers);
        validate(&answers).expect_err("invalid answers")
    }

    #[test]
    fn rules_between_keys() {
        let error = refused(|answers| {
            answers.deps.source = DepsSource::Requirements;
            answers.deps.files = crate::answers::List::empty();
        });
        assert_eq!(error.key(), Some("deps.files"));
        assert_eq!(
            refused(|answers| answers.docs.path = ".venv/guide.md".parse().expect("valid")).key(),
            Some("docs.path")
        );
        assert_eq!(
            refused(|answers| {
                answers.python.requires = ">=3.12".parse().expect("valid");
                answers.python.versions = answers.python.requires.default_matrix();
                answers.python.preferred = "3.11".parse().expect("valid");
            })
            .key(),
            Some("python.preferred")
        );
        let mut answers = sample();
        answers.python.preferred = "3.11".parse().expect("valid");
        validate(&answers).expect("inside the range");
        answers.docs.path = ".venv-docs/guide.md".parse().expect("valid");
        validate(&answers).expect("a sibling that shares a prefix is fine");
    }
}
