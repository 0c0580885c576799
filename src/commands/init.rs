//! `pybootstrap init`: resolve the answers (asking on a terminal), render every file, show
//! or check the plan, then write it atomically with the answers and the lock.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::answers::Detected;
use crate::cli::InitArgs;
use crate::error::{Error, Outcome};
use crate::output::Printer;
use crate::plan::lock::Lock;
use crate::plan::{self, Action, Overwrite};
use crate::prompt;
use crate::python::discover::{self, Origin, Search};
use crate::python::inspect;
use crate::workspace::{ANSWERS_FILE, AnswersFile, Workspace, find_repo};

pub(super) fn run(args: &InitArgs, printer: &Printer) -> Result<Outcome, Error> {
    let cwd = std::env::current_dir()?;
    let repo = args.dir.as_ref().map_or(cwd.clone(), |dir| cwd.join(dir));
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
    let detected = detect_machine(args.python.as_deref(), &cwd)?;
    let mut workspace = Workspace::open(&repo, &args.sets, args.templates.as_ref(), &detected)?;
    for note in &workspace.notes {
        printer.note(&format!("warning: {note}"));
    }
    for warning in &workspace.resolved.warnings {
        printer.note(&format!("warning: {warning}"));
    }

    // The spec's stdin and stdout, and stderr too: the prompts are drawn there.
    let interactive = !args.yes
        && std::io::stdin().is_terminal()
        && std::io::stdout().is_terminal()
        && std::io::stderr().is_terminal();
    if !args.yes && !interactive {
        printer.note(
            "pybootstrap: no terminal, so no questions: using the defaults and `--set` values (pass `--yes` to choose this and hide this note)",
        );
    }
    let mut terminal = prompt::TerminalPrompter::new(printer.color_stderr());
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
    for warning in crate::answers::task_warnings(workspace.project(), &answers) {
        printer.note(&format!("warning: {warning}"));
    }

    let (_, plans) = workspace.plan(
        &answers,
        Overwrite::from_force(args.force),
        &[],
        AnswersFile::Write,
    )?;
    let lock = workspace.lock.as_ref();
    if let Some(note) = workspace.makefile_note(&plans) {
        printer.note(&format!("warning: {note}"));
    }
    if let Some(note) = workspace.ci_note(&plans) {
        printer.note(&format!("note: {note}"));
    }

    let refused = plans.iter().filter(|p| p.action == Action::Refuse).count();
    let new_lock = Lock::after(&plans, answers.clone(), workspace.pack_stamp(), lock);
    if args.dry_run {
        plan::show::print(&plans, printer, false);
        plan::show::lock_line(lock, &new_lock, printer, plan::show::width(&plans));
        if args.diff || printer.verbose {
            plan::show::diffs(&plans);
        }
        return Ok(Outcome::action_needed_if(refused > 0));
    }
    if refused > 0 {
        plan::show::print(&plans, printer, false);
        printer.problem(
            &format!(
                "{refused} existing file(s) were not written by pybootstrap; nothing was written"
            ),
            Some("move them aside, or run again with `--force` to overwrite them"),
        );
        return Ok(Outcome::ActionNeeded);
    }
    if interactive {
        let files: Vec<String> = plans
            .iter()
            .filter(|p| p.action.writes())
            .map(|p| p.path.clone())
            .collect();
        if !prompt::confirm_files(&mut terminal, &files)? {
            printer.note("nothing written");
            return Ok(Outcome::Success);
        }
    }

    // Created only now, so a run that fails earlier leaves no empty directory behind.
    fs_err::create_dir_all(&repo)?;
    plan::write::apply(&repo, &plans)?;
    if lock != Some(&new_lock) {
        new_lock.save(&repo)?;
    }
    if !printer.quiet {
        plan::show::print(&plans, printer, false);
        plan::show::lock_line(lock, &new_lock, printer, plan::show::width(&plans));
    }
    let conflicts = plans
        .iter()
        .filter(|p| p.action == Action::Conflict)
        .count();
    if conflicts > 0 {
        printer.problem(
            &format!("{conflicts} file(s) have conflict markers: resolve them, then run `pybootstrap regen --check`"),
            None,
        );
        return Ok(Outcome::ActionNeeded);
    }
    let location = match &args.dir {
        Some(dir) if dir != Path::new(".") => format!("cd {} && ", dir.display()),
        _ => String::new(),
    };
    if printer.quiet {
        return Ok(Outcome::Success);
    }
    let bootstrap = workspace.renderer.make_targets().bootstrap;
    println!(
        "\nnext: {location}./scripts/bootstrap.sh   (or `make {bootstrap}`; on Windows `scripts\\bootstrap.ps1`)"
    );
    Ok(Outcome::Success)
}

/// The Python version and tools the defaults start from: one interpreter probe (cached).
pub(crate) fn detect_machine(python: Option<&Path>, cwd: &Path) -> Result<Detected, Error> {
    let path_var = std::env::var_os("PATH");
    let pythons: Vec<PathBuf> = python.map(Path::to_path_buf).into_iter().collect();
    let mut candidates = discover::discover(&Search {
        pythons: &pythons,
        all: false,
        path_var: path_var.as_deref(),
        virtual_env: None,
        home: None,
        cwd,
    });
    if let Some(missing) = discover::missing_flag(&candidates) {
        return Err(Error::PythonMissing {
            path: missing.path.clone(),
        });
    }
    if python.is_none() {
        candidates.retain(|c| {
            c.origin == Origin::Path && c.path.file_name().is_some_and(|n| n == "python3")
        });
    }
    candidates.truncate(1);
    let (inspected, _) = inspect::inspect(candidates, cwd, true);
    let python_version = match inspected
        .into_iter()
        .next()
        .map(|i| (i.candidate, i.result))
    {
        Some((_, Ok(facts))) => Some(facts.minor_version()),
        Some((candidate, Err(failure))) if python.is_some() => {
            return Err(Error::NotAPython {
                path: candidate.path,
                detail: failure.to_string(),
            });
        }
        _ => None,
    };
    let uv_available = discover::find_executable("uv", path_var.as_deref()).is_some();
    Ok(Detected {
        python_version,
        uv_available,
    })
}
