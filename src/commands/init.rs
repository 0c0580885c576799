//! `pybootstrap init`: resolve the answers (asking on a terminal), render every file, show
//! or check the plan, then write it atomically with the answers and the lock.

use std::io::IsTerminal;
use std::path::Path;

use super::apply::{self, Format, Planned, Report, Request};
use crate::answers;
use crate::cli::InitArgs;
use crate::error::{Error, Outcome};
use crate::output::Printer;
use crate::plan::{self, Action, FilePlan, Mode, Overwrite};
use crate::prompt;
use crate::python::machine;
use crate::render::MakeTargets;
use crate::workspace::{ANSWERS_FILE, AnswersFile, Workspace, find_repo};

pub(super) fn run(args: &InitArgs, printer: &Printer) -> Result<Outcome, Error> {
    let cwd = std::env::current_dir()?;
    let asked = args.dir.as_ref().map_or(cwd.clone(), |dir| cwd.join(dir));
    let interactive = !args.yes
        && std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal()
        && std::io::stderr().is_terminal();
    let mut terminal = prompt::TerminalPrompter::new(printer.color_stderr());
    let (repo, below) = match project_below(&asked, interactive.then_some(&mut terminal), printer)?
    {
        Below::Here => (asked, None),
        Below::Chosen(dir) => (asked.join(&dir), Some(dir)),
        Below::Several => return Ok(Outcome::ActionNeeded),
    };
    // A second bootstrap inside a bootstrapped repository is almost always a mistake
    // (`regen` from a subdirectory used to suggest it); `--force` means it.
    if let Some(outer) = find_repo(&repo).filter(|found| *found != repo)
        && !args.force
    {
        printer.problem(
            &format!(
                "`{}` is inside a repository pybootstrap already set up: `{}`; nothing was written",
                repo.display(),
                outer.join(ANSWERS_FILE).display()
            ),
            Some(&format!(
                "run `pybootstrap regen` (it finds `{ANSWERS_FILE}` from any subdirectory), or `--force` to set up a second project here"
            )),
        );
        return Ok(Outcome::ActionNeeded);
    }
    let detected = machine::detect(args.python.as_deref(), &cwd)?;
    let sets = answers::parse_sets(&args.sets)?;
    let mut workspace = Workspace::open(&repo, sets, args.templates.as_ref())?;
    apply::print_notes(&workspace, printer);
    for warning in &workspace.resolved.warnings {
        printer.note(&format!("warning: {warning}"));
    }
    // What the repository decided, before any question or write, so a wrong guess is seen
    // (and fixed with `--set`) before it reaches a file.
    let inferred = workspace.resolved.inferred_lines();
    if !inferred.is_empty() {
        printer.note("inferred from the repository:");
        for line in &inferred {
            printer.note(&format!("  {line}"));
        }
    }

    if !args.yes && !interactive {
        printer.note(
            "pybootstrap: no terminal, so no questions: using the defaults and `--set` values (pass `--yes` to choose this and hide this note)",
        );
    }
    let answers = if interactive {
        prompt::ask(
            &mut terminal,
            workspace.resolved.clone(),
            detected.uv_available,
        )?
    } else {
        workspace.resolved.answers.clone()
    };
    if answers.ci.pep668_job
        && !answers.ci.providers.is_empty()
        && crate::render::pep668_image(&answers.python.requires).is_empty()
    {
        printer.note(&format!(
            "warning: no PEP 668 CI job: no distro image pybootstrap knows (Debian 12: 3.11, Ubuntu 24.04: 3.12, Debian 13: 3.13) has a system Python inside `python.requires = \"{}\"`; the CI file says so too",
            answers.python.requires
        ));
    }
    workspace.read_files_named(&answers);
    apply::print_task_warnings(&workspace, &answers, printer);
    if let Some(needs) = workspace
        .project()
        .services(&answers.tasks.test.to_string())
    {
        printer.note(&format!("note: {}", needs.note()));
        let other_runners: Vec<String> = answers
            .ci
            .os
            .iter()
            .map(ToString::to_string)
            .filter(|os| os.starts_with("windows") || os.starts_with("macos"))
            .collect();
        // The whole pipeline's test job runs on every `ci.os`; the complement runs the
        // tests only in its Linux container job.
        if needs.in_ci()
            && answers.ci.providers.contains(&crate::ci::Provider::Github)
            && workspace.project().existing.ci.tests().is_empty()
            && !other_runners.is_empty()
        {
            printer.note(&format!(
                "warning: GitHub starts service containers on Linux runners only: the test job fails on {}; drop {} from `ci.os` (`--set ci.os=ubuntu-latest`) or start the services in a step of your own",
                other_runners.join(", "),
                if other_runners.len() == 1 { "it" } else { "them" }
            ));
        }
    }

    let request = Request {
        workspace: &workspace,
        answers: &answers,
        mode: Mode::from_flags(false, false, args.dry_run),
        overwrite: Overwrite::from_force(args.force),
        only: &[],
        answers_file: AnswersFile::Write,
        format: Format::Text,
    };
    let mut report = InitReport {
        args,
        below,
        terminal: interactive.then_some(&mut terminal),
    };
    apply::run(&request, &mut report, printer)
}

/// How `init` shows its plan: every file, and all or nothing: it writes no file while one
/// is refused, nor before a person at the terminal agrees.
struct InitReport<'a> {
    args: &'a InitArgs,
    /// The project below the directory asked for that `init` set up, when it did.
    below: Option<String>,
    /// The terminal to confirm the write on, when there is a person at it.
    terminal: Option<&'a mut prompt::TerminalPrompter>,
}

impl Report for InitReport<'_> {
    fn unwritten(&self, planned: &Planned, printer: &Printer) -> Result<Outcome, Error> {
        print_plan(planned, printer);
        if self.args.diff || printer.verbose {
            plan::show::diffs(&planned.plans);
        }
        Ok(Outcome::action_needed_if(refused(&planned.plans) > 0))
    }

    fn before_write(
        &mut self,
        planned: &Planned,
        printer: &Printer,
    ) -> Result<Option<Outcome>, Error> {
        let refused = refused(&planned.plans);
        if refused > 0 {
            // Only what stopped the write: `create` lines for files that were not written
            // would read as if they had been.
            let stopped: Vec<FilePlan> = planned
                .plans
                .iter()
                .filter(|p| p.action == Action::Refuse)
                .cloned()
                .collect();
            plan::show::print(&stopped, printer, false);
            let read_only = planned
                .plans
                .iter()
                .filter(|p| p.action == Action::Refuse && p.read_only)
                .count();
            if refused > read_only {
                printer.problem(
                    &format!(
                        "{} existing file(s) were not written by pybootstrap; nothing was written",
                        refused - read_only
                    ),
                    Some("move them aside, or run again with `--force` to overwrite them"),
                );
            }
            if read_only > 0 {
                printer.problem(
                    &format!("{read_only} generated file(s) are read-only; nothing was written"),
                    Some("make them writable (`chmod u+w FILE`), or run again with `--force` to overwrite them"),
                );
            }
            return Ok(Some(Outcome::ActionNeeded));
        }
        if let Some(terminal) = self.terminal.as_deref_mut() {
            let files: Vec<String> = planned
                .plans
                .iter()
                .filter(|p| p.action.writes())
                .map(|p| p.path.clone())
                .collect();
            if !prompt::confirm_files(terminal, &files)? {
                printer.note("nothing written");
                return Ok(Some(Outcome::Success));
            }
        }
        Ok(None)
    }

    fn written(&self, planned: &Planned, printer: &Printer) -> Outcome {
        if !printer.quiet {
            print_plan(planned, printer);
        }
        let conflicts = planned
            .plans
            .iter()
            .filter(|p| p.action == Action::Conflict)
            .count();
        if conflicts > 0 {
            printer.problem(
                &format!("{conflicts} file(s) have conflict markers: resolve them, then run `pybootstrap regen --check`"),
                None,
            );
            return Outcome::ActionNeeded;
        }
        if printer.quiet {
            return Outcome::Success;
        }
        let dir = match (&self.args.dir, &self.below) {
            (Some(dir), Some(below)) => Some(dir.join(below)),
            (None, Some(below)) => Some(Path::new(below).to_path_buf()),
            (dir, None) => dir.clone(),
        };
        let location = match dir {
            Some(dir) if dir != Path::new(".") => format!("cd {} && ", dir.display()),
            _ => String::new(),
        };
        let answers = planned.request.answers;
        let targets = answers
            .make
            .enabled
            .then(|| planned.request.workspace.renderer.make_targets());
        println!(
            "\n{}",
            next_step(
                &location,
                &answers.scripts.dir,
                targets.as_ref(),
                answers.make.export_env
            )
        );
        Outcome::Success
    }
}

/// init's last line: the bootstrap, then the test target that exists now under the name it
/// has (`venv-test` beside the user's own `test`).
fn next_step(
    location: &str,
    scripts: &str,
    make: Option<&MakeTargets>,
    export_env: bool,
) -> String {
    let windows = scripts.replace('/', "\\");
    let Some(targets) = make else {
        return format!(
            "next: {location}./{scripts}/bootstrap.sh   (on Windows `{windows}\\bootstrap.cmd`)"
        );
    };
    let bootstrap = &targets.bootstrap;
    let then = if targets.test == "test" {
        "then `make test`".to_string()
    } else if export_env {
        format!(
            "then `make {bootstrap} test` (your own `test` target, run inside the environment) or `make {}`",
            targets.test
        )
    } else {
        format!(
            "then `make {}` (your own `test` target runs outside the environment: `make.export_env = false`)",
            targets.test
        )
    };
    format!(
        "next: {location}./{scripts}/bootstrap.sh   (or `make {bootstrap}`; on Windows `{windows}\\bootstrap.cmd`), {then}"
    )
}

/// Every file of the plan, then the lock's row.
fn print_plan(planned: &Planned, printer: &Printer) {
    plan::show::print(&planned.plans, printer, false);
    planned.lock_line(printer, plan::show::width(&planned.plans));
}

/// How many files the plan refuses to overwrite.
fn refused(plans: &[FilePlan]) -> usize {
    plans.iter().filter(|p| p.action == Action::Refuse).count()
}

/// Where `init` sets a project up, when the directory asked for is no Python project.
enum Below {
    /// The directory asked for.
    Here,
    /// The project in this subdirectory of it: the only one, or the one chosen.
    Chosen(String),
    /// Several, and nobody at a terminal to choose: the run stops, having named them.
    Several,
}

/// The Python project to set up below `asked`, a monorepo's root whose top is none
/// (`backend/`, `services/api/`): the one there is, or the one chosen on `terminal`.
fn project_below(
    asked: &Path,
    terminal: Option<&mut prompt::TerminalPrompter>,
    printer: &Printer,
) -> Result<Below, Error> {
    use crate::project::{files::parse_toml, place, tree::Disk, uv_workspace::Members};
    let tree = Disk(asked);
    let members = fs_err::read_to_string(asked.join("pyproject.toml"))
        .ok()
        .and_then(|text| parse_toml(&text).ok())
        .and_then(|pyproject| Members::read(&pyproject, &tree));
    if !asked.is_dir()
        || asked.join(ANSWERS_FILE).is_file()
        || (place::is_project(&tree, "") && members.is_none())
    {
        return Ok(Below::Here);
    }
    // uv's model: one lock and one environment for the whole workspace, made at its root.
    // Unlocked, there is nothing for the bootstrap's `uv sync --frozen` to install there.
    if let Some(members) = members
        .filter(|members| members.all.len() >= 2)
        .filter(|_| asked.join("uv.lock").is_file())
    {
        printer.note(&format!(
            "a uv workspace of {} members: one env at its root, as `uv sync --all-packages` makes (`pybootstrap init DIR` sets up one member on its own)",
            members.all.len()
        ));
        return Ok(Below::Here);
    }
    let found = place::projects_below(&tree);
    let chosen = match (found.as_slice(), terminal) {
        ([], _) => return Ok(Below::Here),
        ([only], _) => only.clone(),
        (several, Some(terminal)) => {
            let choices: Vec<&str> = several.iter().map(String::as_str).collect();
            let question = prompt::Question {
                key: "project".to_string(),
                title: "Which Python project should pybootstrap set up?".to_string(),
                help: "each project gets its own environment, pybootstrap.toml and CI job; set up the others with `pybootstrap init DIR`".to_string(),
            };
            let at = prompt::Prompter::select(terminal, &question, &choices, 0)?;
            several[at].clone()
        }
        (several, None) => {
            printer.problem(
                &format!(
                    "`{}` is no Python project, and {} below it are: {}; nothing was written",
                    asked.display(),
                    several.len(),
                    several.iter().map(|dir| format!("`{dir}`")).collect::<Vec<_>>().join(", ")
                ),
                Some(&format!(
                    "set up each with `pybootstrap init DIR` (`pybootstrap init {}`): each gets its own environment, `{ANSWERS_FILE}` and CI job",
                    several[0]
                )),
            );
            return Ok(Below::Several);
        }
    };
    printer.note(&format!(
        "`{}` is no Python project; setting up `{chosen}/`, the one below it (`pybootstrap init DIR` sets up another)",
        asked.display()
    ));
    Ok(Below::Chosen(chosen))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn the_next_step_names_the_targets_that_exist() {
        let plain = MakeTargets::plain();
        assert_eq!(
            next_step("", "scripts", Some(&plain), true),
            "next: ./scripts/bootstrap.sh   (or `make bootstrap`; on Windows `scripts\\bootstrap.cmd`), then `make test`"
        );
        let users: BTreeSet<String> = ["test".to_string(), "bootstrap".to_string()].into();
        let around = MakeTargets::around(&users);
        let kept = next_step("cd app && ", "scripts", Some(&around), true);
        assert!(
            kept.starts_with("next: cd app && ./scripts/bootstrap.sh   (or `make venv-bootstrap`;"),
            "{kept}"
        );
        assert!(kept.ends_with("then `make venv-bootstrap test` (your own `test` target, run inside the environment) or `make venv-test`"), "{kept}");
        let outside = next_step("", "scripts", Some(&around), false);
        assert!(outside.ends_with("then `make venv-test` (your own `test` target runs outside the environment: `make.export_env = false`)"), "{outside}");
        assert_eq!(
            next_step("", "tools/dev", None, true),
            "next: ./tools/dev/bootstrap.sh   (on Windows `tools\\dev\\bootstrap.cmd`)"
        );
    }
}
