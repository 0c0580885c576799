//! `pybootstrap snippet PROVIDER`: the steps to paste into a pipeline (or Dockerfile)
//! pybootstrap does not write, rendered from the repo's answers and templates.

use serde::Serialize;

use crate::answers;
use crate::cli::{SnippetArgs, SnippetProvider};
use crate::error::{Error, Outcome};
use crate::output::Printer;
use crate::render::SNIPPETS_DIR;
use crate::workspace::{Workspace, find_repo};

/// Why a snippet cannot be printed.
#[derive(Debug, thiserror::Error)]
enum SnippetError {
    #[error("`--image` applies to the `docker` snippet only, not `{provider}`")]
    ImageWithoutDocker { provider: String },

    #[error("`{image}` is not a container image reference")]
    Image { image: String },
}

impl From<SnippetError> for Error {
    fn from(error: SnippetError) -> Self {
        Self::Input {
            message: error.to_string(),
            hint: error.hint(),
        }
    }
}

impl SnippetError {
    /// The fix to suggest under the error.
    fn hint(&self) -> Option<String> {
        match self {
            Self::ImageWithoutDocker { .. } => {
                Some("drop `--image`, or run `pybootstrap snippet docker --image ...`".into())
            }
            Self::Image { .. } => Some(
                "name an image as `docker pull` takes it, e.g. `python:3.13-slim` or `debian:12`"
                    .into(),
            ),
        }
    }
}

/// What the `docker` snippet knows beyond the answers, as `snippet.*` in its template.
#[derive(Debug, Serialize)]
struct DockerContext {
    image: String,
    /// How the base image gets a Python with venv: `python` (it has one), `apt`, `apk`,
    /// `dnf`, or `other` (the stage says what it needs).
    family: &'static str,
}

pub(super) fn run(args: &SnippetArgs, printer: &Printer) -> Result<Outcome, Error> {
    let (provider, _, template) = args.provider.describe();
    if args.image.is_some() && args.provider != SnippetProvider::Docker {
        return Err(SnippetError::ImageWithoutDocker {
            provider: provider.to_string(),
        }
        .into());
    }
    let cwd = std::env::current_dir()?;
    let start = args.dir.as_ref().map_or(cwd.clone(), |dir| cwd.join(dir));
    // Saved answers decide; without them, the defaults `init --yes` would take here.
    let repo = find_repo(&start).unwrap_or(start);
    let sets = answers::parse_sets(&args.sets)?;
    let workspace = Workspace::open(&repo, sets, None)?;
    for warning in &workspace.resolved.warnings {
        printer.note(&format!("warning: {warning}"));
    }
    let mut answers = workspace.resolved.answers.clone();
    // The GitHub steps pin their actions even when the repo's own CI is not on GitHub.
    for (action, pin) in answers::default_actions() {
        answers.ci.actions.entry(action).or_insert(pin);
    }

    let id = format!("{SNIPPETS_DIR}{template}");
    let text = if args.provider == SnippetProvider::Docker {
        let image = match &args.image {
            Some(image) => checked_image(image)?,
            None => format!("python:{}-slim", newest(&answers)),
        };
        let family = image_family(&image);
        workspace.renderer.render_with(
            &id,
            &answers,
            "snippet",
            &DockerContext { image, family },
        )?
    } else {
        workspace.renderer.render(&id, &answers)?
    };
    print!("{text}");
    Ok(Outcome::Success)
}

/// The newest allowed version: the list is never empty and oldest first.
fn newest(answers: &answers::Answers) -> String {
    answers
        .python
        .versions
        .last()
        .map_or_else(|| "3".to_string(), ToString::to_string)
}

/// An image reference as `FROM` takes it: one word of the characters registries allow, so
/// nothing can end the instruction or add one.
fn checked_image(image: &str) -> Result<String, SnippetError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "._-/:@".contains(c);
    if image.is_empty() || image.starts_with('-') || !image.chars().all(allowed) {
        return Err(SnippetError::Image {
            image: image.escape_debug().to_string(),
        });
    }
    Ok(image.to_string())
}

/// Which package manager gives the image a Python with venv, by the image's name (the last
/// path segment, without tag or digest).
fn image_family(image: &str) -> &'static str {
    let name = image.rsplit('/').next().unwrap_or(image);
    let name = name.split(['@', ':']).next().unwrap_or(name);
    match name {
        "python" | "pypy" => "python",
        "debian" | "ubuntu" | "buildpack-deps" => "apt",
        "alpine" => "apk",
        "fedora" | "almalinux" | "rockylinux" | "centos" | "ubi8" | "ubi9" | "ubi" => "dnf",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_families_come_from_the_image_name() {
        assert_eq!(image_family("python:3.13-slim"), "python");
        assert_eq!(image_family("debian:12"), "apt");
        assert_eq!(image_family("docker.io/library/ubuntu:24.04"), "apt");
        assert_eq!(image_family("ubuntu@sha256:abc"), "apt");
        assert_eq!(image_family("alpine"), "apk");
        assert_eq!(image_family("registry.access.redhat.com/ubi9"), "dnf");
        assert_eq!(image_family("ghcr.io/acme/base:1"), "other");
    }

    #[test]
    fn image_references_cannot_add_instructions() {
        assert!(checked_image("python:3.13-slim").is_ok());
        assert!(checked_image("ghcr.io/acme/base@sha256:0123").is_ok());
        for hostile in ["", "-x", "debian\nRUN rm -rf /", "debian AS x", "a$(b)"] {
            assert!(checked_image(hostile).is_err(), "{hostile:?}");
        }
    }
}
