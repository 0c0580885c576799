//! The questions `init` asks on a terminal, behind the small `Prompter` trait so tests drive
//! the same flow with scripted replies. Each question maps to a dotted key (also a `--set`
//! key), shows its default, its choices and a one-line help, and re-asks until the reply is
//! valid.

#[cfg(test)]
mod scripted;
mod terminal;

pub(crate) use terminal::TerminalPrompter;

use crate::answers::{self, Answers, DepsSource, Location, Origin, Resolved};

/// Why the questions stopped.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// The user pressed Ctrl-C: the caller writes nothing.
    #[error("interrupted")]
    Interrupted,

    #[error("failed to talk to the terminal")]
    Terminal(#[source] std::io::Error),

    /// A scripted prompter ran out of replies (a test's script is too short).
    #[cfg(test)]
    #[error("no scripted reply left for `{key}`")]
    NoReply { key: String },

    #[error(transparent)]
    Answers(#[from] answers::Error),
}

impl Error {
    /// The `hint:` line printed under the error, when there is a fix to suggest.
    pub(crate) fn hint(&self) -> Option<String> {
        match self {
            Self::Interrupted => Some("nothing was written".to_string()),
            Self::Terminal(_) => Some(
                "run with `--yes` (and `--set KEY=VALUE`) to answer without prompts".to_string(),
            ),
            #[cfg(test)]
            Self::NoReply { .. } => None,
            Self::Answers(error) => error.hint(),
        }
    }
}

/// One question: the key it answers, a short title and one line of help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Question {
    /// The dotted key (`confirm` for the final confirmation).
    pub key: String,
    pub title: String,
    /// One line: what the key decides and its valid values.
    pub help: String,
}

/// Asks one question at a time. Implementations show the default and the choices; `ask`
/// validates the reply and re-asks after `error`.
pub(crate) trait Prompter {
    /// Free text; an empty reply means `default`. A reply `check` refuses is asked again
    /// on the spot (a terminal shows no accepted mark for it).
    fn text(
        &mut self,
        question: &Question,
        default: &str,
        check: &Check<'_>,
    ) -> Result<String, Error>;
    /// One of `choices` (returns its index).
    fn select(
        &mut self,
        question: &Question,
        choices: &[&str],
        default: usize,
    ) -> Result<usize, Error>;
    /// Any of `choices`, `selected` pre-checked (returns the chosen indices).
    fn multi_select(
        &mut self,
        question: &Question,
        choices: &[&str],
        selected: &[bool],
    ) -> Result<Vec<usize>, Error>;
    /// Yes or no.
    fn confirm(&mut self, question: &Question, default: bool) -> Result<bool, Error>;
    /// Shows why the last reply was refused, before the question is asked again.
    fn error(&mut self, message: &str) -> Result<(), Error>;
    /// Shows plain lines (the files about to be written).
    fn note(&mut self, text: &str) -> Result<(), Error>;
}

/// Why a typed reply is refused, or `Ok` to accept it.
pub(crate) type Check<'a> = dyn Fn(&str) -> Result<(), String> + 'a;

/// A list reply that means "no items".
const NONE_REPLY: &str = "none";

fn question(key: &str, title: &str) -> Question {
    let info = answers::find_key(key);
    // Choices are listed by the prompt itself; other keys say what they accept.
    let help = info.map_or(String::new(), |info| {
        if info.choice_names().is_empty() {
            format!("{} Valid: {}.", info.help, info.values)
        } else {
            info.help.to_string()
        }
    });
    Question {
        key: key.to_string(),
        title: title.to_string(),
        help,
    }
}

/// Asks the questions `init` needs, in order, starting from the resolved answers as
/// defaults: project name, Python versions, environment backend, dependency source (then
/// the requirement files or the extras), CI providers (then runner OS and the PEP 668 job),
/// Makefile. Keys given with `--set` or fixed by the pack are not asked.
pub(crate) fn ask(
    prompter: &mut dyn Prompter,
    resolved: Resolved,
    uv_available: bool,
) -> Result<Answers, Error> {
    let skip = |key: &str| resolved.is_fixed(key) || *resolved.origin(key) == Origin::Set;
    let mut answers = resolved.answers.clone();

    if !skip("project.name") {
        ask_text(prompter, &mut answers, "project.name", "Project name", None)?;
    }
    if !skip("python.requires") {
        ask_text(
            prompter,
            &mut answers,
            "python.requires",
            "Python versions the project accepts",
            None,
        )?;
        // The CI matrix follows the range unless it was chosen (saved, set or fixed).
        let chosen =
            skip("python.versions") || *resolved.origin("python.versions") == Origin::Saved;
        let python = &mut answers.python;
        if !chosen
            || python
                .versions
                .iter()
                .any(|minor| !python.requires.allows(*minor))
        {
            python.versions = python.requires.default_matrix();
        }
    }
    if !skip("env.backend") {
        // uv is offered when it is installed, but only as the prompt's default: without a
        // prompt the built-in `venv` stays, so `--yes` never depends on the machine.
        let prefer_uv = uv_available && *resolved.origin("env.backend") == Origin::Builtin;
        let default = prefer_uv.then_some("uv");
        ask_choice(
            prompter,
            &mut answers,
            "env.backend",
            "Environment backend",
            default,
        )?;
    }
    if !skip("deps.source") {
        ask_choice(
            prompter,
            &mut answers,
            "deps.source",
            "Dependencies are declared in",
            None,
        )?;
    }
    match answers.deps.source {
        DepsSource::Requirements if !skip("deps.files") => {
            let default = answers
                .deps
                .files
                .is_empty()
                .then(|| "requirements.txt".to_string());
            ask_text(
                prompter,
                &mut answers,
                "deps.files",
                "Requirement files (comma-separated)",
                default,
            )?;
        }
        DepsSource::Pyproject | DepsSource::Setuptools | DepsSource::UvLock
            if !skip("deps.extras") =>
        {
            ask_text(
                prompter,
                &mut answers,
                "deps.extras",
                "Extras to install with the project (comma-separated, `none` for none)",
                None,
            )?;
        }
        _ => {}
    }
    if !skip("ci.providers") {
        ask_providers(prompter, &mut answers)?;
    }
    if !answers.ci.providers.is_empty() {
        if !skip("ci.os") {
            ask_text(
                prompter,
                &mut answers,
                "ci.os",
                "CI runner OS labels (comma-separated)",
                None,
            )?;
        }
        if !skip("ci.pep668_job") {
            ask_confirm(
                prompter,
                &mut answers,
                "ci.pep668_job",
                "Add a CI job on an externally managed (PEP 668) distro Python?",
            )?;
        }
    }
    if !skip("make.enabled") {
        ask_confirm(
            prompter,
            &mut answers,
            "make.enabled",
            "Maintain Makefile targets?",
        )?;
    }
    answers::validate(&answers)?;
    Ok(answers)
}

/// Lists the files about to be written and asks whether to go ahead.
pub(crate) fn confirm_files(prompter: &mut dyn Prompter, files: &[String]) -> Result<bool, Error> {
    let mut list = String::from("pybootstrap will write:");
    for file in files {
        list.push_str("\n  ");
        list.push_str(file);
    }
    prompter.note(&list)?;
    let question = Question {
        key: "confirm".to_string(),
        title: "Write these files?".to_string(),
        help: String::new(),
    };
    prompter.confirm(&question, true)
}

/// The current value of `key` as it would be typed.
fn typed(answers: &Answers, key: &str) -> String {
    let value = answers::current_value(answers, key);
    answers::display_typed(value.as_ref())
}

/// Applies a typed reply, or says why it is refused.
fn apply(answers: &Answers, key: &str, reply: &str) -> Result<Answers, String> {
    let list_kind = answers::find_key(key).is_some_and(|info| info.kind == answers::Kind::List);
    let reply = if list_kind && reply.trim().eq_ignore_ascii_case(NONE_REPLY) {
        ""
    } else {
        reply
    };
    let value = answers::typed_value(key, reply).map_err(|error| error.to_string())?;
    if key == "deps.files"
        && answers.deps.source == DepsSource::Requirements
        && value.as_array().is_some_and(Vec::is_empty)
    {
        return Err(
            "`deps.files`: name at least one requirement file, since dependencies come from requirement files"
                .to_string(),
        );
    }
    answers::with_value(answers, key, &value)
        .map_err(|problem| problem.at(key, Location::Prompt).to_string())
}

fn ask_text(
    prompter: &mut dyn Prompter,
    answers: &mut Answers,
    key: &str,
    title: &str,
    default: Option<String>,
) -> Result<(), Error> {
    let question = question(key, title);
    let default = default.unwrap_or_else(|| typed(answers, key));
    let or_default = |reply: &str| {
        if reply.trim().is_empty() {
            default.clone()
        } else {
            reply.to_string()
        }
    };
    loop {
        let current: &Answers = answers;
        let check = |reply: &str| apply(current, key, &or_default(reply)).map(|_| ());
        let reply = or_default(&prompter.text(&question, &default, &check)?);
        match apply(answers, key, &reply) {
            Ok(updated) => {
                *answers = updated;
                return Ok(());
            }
            Err(message) => prompter.error(&message)?,
        }
    }
}

fn ask_choice(
    prompter: &mut dyn Prompter,
    answers: &mut Answers,
    key: &str,
    title: &str,
    preferred: Option<&str>,
) -> Result<(), Error> {
    let question = question(key, title);
    let names = answers::find_key(key).map_or_else(Vec::new, answers::KeyInfo::choice_names);
    let choices: Vec<&str> = names.iter().map(String::as_str).collect();
    let current = typed(answers, key);
    let wanted = preferred.unwrap_or(&current);
    let default = choices
        .iter()
        .position(|choice| *choice == wanted)
        .unwrap_or(0);
    loop {
        let index = prompter.select(&question, &choices, default)?;
        let Some(choice) = choices.get(index) else {
            prompter.error("that is not one of the choices")?;
            continue;
        };
        match apply(answers, key, choice) {
            Ok(updated) => {
                *answers = updated;
                return Ok(());
            }
            Err(message) => prompter.error(&message)?,
        }
    }
}

fn ask_providers(prompter: &mut dyn Prompter, answers: &mut Answers) -> Result<(), Error> {
    let key = "ci.providers";
    let question = question(key, "CI providers (none for no CI)");
    let names = answers::find_key(key).map_or_else(Vec::new, answers::KeyInfo::choice_names);
    let choices: Vec<&str> = names.iter().map(String::as_str).collect();
    let current = typed(answers, key);
    let selected: Vec<bool> = choices
        .iter()
        .map(|choice| current.split(',').any(|item| item == *choice))
        .collect();
    loop {
        let indices = prompter.multi_select(&question, &choices, &selected)?;
        let chosen: Vec<&str> = indices
            .iter()
            .filter_map(|index| choices.get(*index).copied())
            .collect();
        match apply(answers, key, &chosen.join(",")) {
            Ok(updated) => {
                *answers = updated;
                return Ok(());
            }
            Err(message) => prompter.error(&message)?,
        }
    }
}

fn ask_confirm(
    prompter: &mut dyn Prompter,
    answers: &mut Answers,
    key: &str,
    title: &str,
) -> Result<(), Error> {
    let question = question(key, title);
    let default = typed(answers, key) == "true";
    let yes = prompter.confirm(&question, default)?;
    match apply(answers, key, if yes { "true" } else { "false" }) {
        Ok(updated) => {
            *answers = updated;
            Ok(())
        }
        Err(message) => {
            // A boolean cannot be invalid; this only guards against a future rule.
            prompter.error(&message)?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::scripted::{Reply, ScriptedPrompter};
    use super::*;
    use crate::answers::{Backend, Layers, Pack, Provider, parse_set, resolve};

    fn resolved_in(files: &[(&str, &str)], sets: &[&str]) -> (tempfile::TempDir, Resolved) {
        let directory = tempfile::tempdir().expect("temp dir");
        for (name, text) in files {
            fs_err::write(directory.path().join(name), text).expect("write file");
        }
        let sets: Vec<_> = sets
            .iter()
            .map(|set| parse_set(set).expect("valid"))
            .collect();
        let resolved = resolve(&Layers {
            project: &crate::project::Project::read(directory.path()),
            pack: None,
            saved: None,
            sets: &sets,
        })
        .expect("resolves");
        (directory, resolved)
    }

    #[test]
    fn defaults_all_the_way() {
        let (_directory, resolved) = resolved_in(&[], &[]);
        let expected = resolved.answers.clone();
        let mut prompter = ScriptedPrompter::new(["", "", "", "", "", "", "", ""]);
        let answers = ask(&mut prompter, resolved, false).expect("answers");
        assert_eq!(answers, expected);
        assert_eq!(
            prompter.keys(),
            vec![
                "project.name",
                "python.requires",
                "env.backend",
                "deps.source",
                "ci.providers",
                "ci.os",
                "ci.pep668_job",
                "make.enabled"
            ]
        );
        assert_eq!(prompter.remaining(), 0);
        let shown: Vec<&str> = prompter
            .asked
            .iter()
            .map(|asked| asked.default.as_str())
            .collect();
        assert_eq!(
            shown[1..],
            [
                ">=3.9",
                "venv",
                "none",
                "github",
                "ubuntu-latest",
                "true",
                "true"
            ]
        );
        assert_eq!(prompter.asked[2].choices, vec!["venv", "uv", "virtualenv"]);
        assert!(prompter.asked.iter().all(|asked| !asked.help.is_empty()));
    }

    #[test]
    fn uv_is_the_offered_default_when_installed() {
        let (_directory, resolved) = resolved_in(&[], &[]);
        let mut prompter = ScriptedPrompter::new(["", "", "", "", "none", ""]);
        let answers = ask(&mut prompter, resolved, true).expect("answers");
        assert_eq!(prompter.asked[2].default, "uv");
        assert_eq!(answers.env.backend, Backend::Uv);
        assert!(answers.ci.providers.is_empty());
        assert_eq!(
            prompter.keys(),
            vec![
                "project.name",
                "python.requires",
                "env.backend",
                "deps.source",
                "ci.providers",
                "make.enabled"
            ],
            "no CI questions without a provider"
        );
    }

    #[test]
    fn invalid_replies_are_asked_again() {
        let (_directory, resolved) = resolved_in(&[], &[]);
        let mut prompter = ScriptedPrompter::new([
            "bad name!",
            "my-app",
            "3.8",
            ">=3.12,<3.14",
            "virtualenv",
            "requirements",
            "none",
            "../outside.txt",
            "requirements.txt, requirements-dev.txt",
            "github,gitlab",
            "ubuntu latest",
            "ubuntu-latest,windows-latest",
            "n",
            "n",
        ]);
        let answers = ask(&mut prompter, resolved, false).expect("answers");
        assert_eq!(answers.project.name, "my-app");
        assert_eq!(answers.python.versions, vec!["3.12", "3.13"]);
        assert_eq!(answers.env.backend, Backend::Virtualenv);
        assert_eq!(
            answers.deps.files,
            vec!["requirements.txt", "requirements-dev.txt"]
        );
        assert_eq!(
            answers.ci.providers,
            vec![Provider::Github, Provider::Gitlab]
        );
        assert_eq!(answers.ci.os, vec!["ubuntu-latest", "windows-latest"]);
        assert!(!answers.ci.pep668_job);
        assert!(!answers.make.enabled);
        assert_eq!(prompter.errors.len(), 5, "{:#?}", prompter.errors);
        assert!(
            prompter.errors[0].contains("`project.name`"),
            "{}",
            prompter.errors[0]
        );
        assert!(
            prompter.errors[1].contains("`3.8`"),
            "{}",
            prompter.errors[1]
        );
        assert!(
            prompter.errors[2].contains("at least one requirement file"),
            "{}",
            prompter.errors[2]
        );
        assert!(
            prompter.errors[3].contains("`..`"),
            "{}",
            prompter.errors[3]
        );
        assert!(
            prompter.errors[4].contains("`ci.os`"),
            "{}",
            prompter.errors[4]
        );
        assert_eq!(
            prompter.asked[6].default, "requirements.txt",
            "a requirements default is offered"
        );
    }

    #[test]
    fn extras_for_pyproject_and_repo_defaults() {
        let (_directory, resolved) = resolved_in(
            &[
                (
                    "pyproject.toml",
                    "[project]\nname = \"demo\"\nrequires-python = \">=3.11\"\n[dependency-groups]\ndev = []\n",
                ),
                ("uv.lock", ""),
            ],
            &[],
        );
        let mut prompter = ScriptedPrompter::new(["", "", "", "", "none", "", "", "", ""]);
        let answers = ask(&mut prompter, resolved, false).expect("answers");
        let shown: Vec<(&str, &str)> = prompter
            .asked
            .iter()
            .map(|asked| (asked.key.as_str(), asked.default.as_str()))
            .collect();
        assert_eq!(
            shown[..5],
            [
                ("project.name", "demo"),
                ("python.requires", ">=3.11"),
                ("env.backend", "uv"),
                ("deps.source", "uv-lock"),
                ("deps.extras", ""),
            ]
        );
        assert!(answers.deps.extras.is_empty(), "`none` empties the list");
        assert_eq!(answers.deps.groups, vec!["dev"]);
    }

    #[test]
    fn set_and_fixed_keys_are_not_asked() {
        let directory = tempfile::tempdir().expect("temp dir");
        let defaults: toml::Table = toml::from_str("[make]\nenabled = false\n").expect("toml");
        let fixed = vec!["make.enabled".to_string()];
        let sets = vec![
            parse_set("python.requires=>=3.12").expect("valid"),
            parse_set("python.versions=3.12").expect("valid"),
        ];
        let resolved = resolve(&Layers {
            project: &crate::project::Project::read(directory.path()),
            pack: Some(Pack {
                name: "acme",
                defaults: &defaults,
                fixed: &fixed,
            }),
            saved: None,
            sets: &sets,
        })
        .expect("resolves");
        let mut prompter = ScriptedPrompter::new(["", "", "", "", "", ""]);
        let answers = ask(&mut prompter, resolved, false).expect("answers");
        assert!(!prompter.keys().contains(&"python.requires"));
        assert!(!prompter.keys().contains(&"make.enabled"));
        assert_eq!(answers.python.versions, vec!["3.12"]);
        assert!(!answers.make.enabled);
    }

    #[test]
    fn interrupt_stops_everything() {
        let (_directory, resolved) = resolved_in(&[], &[]);
        let mut prompter = ScriptedPrompter::new([Reply::Default, Reply::Interrupt]);
        let error = ask(&mut prompter, resolved, false).expect_err("interrupted");
        assert!(matches!(error, Error::Interrupted));
        assert_eq!(error.hint().as_deref(), Some("nothing was written"));
    }

    #[test]
    fn confirming_the_file_list() {
        let files = vec![
            "pybootstrap.toml".to_string(),
            "scripts/bootstrap.sh".to_string(),
        ];
        let mut prompter = ScriptedPrompter::new(["n"]);
        assert!(!confirm_files(&mut prompter, &files).expect("answered"));
        assert_eq!(
            prompter.notes,
            vec!["pybootstrap will write:\n  pybootstrap.toml\n  scripts/bootstrap.sh"]
        );
        let mut prompter = ScriptedPrompter::new([""]);
        assert!(confirm_files(&mut prompter, &files).expect("answered"));
        assert_eq!(prompter.asked[0].default, "true");
    }
}
