//! The write pipeline `init` and `regen` share: plan the files for the answers, then show
//! the plan (`--dry-run`, `--check`) or write it with the answers and the lock. How each
//! command lists the plan, what stops its write and what it says after is its `Report`.

use crate::answers::Answers;
use crate::error::{Error, Outcome};
use crate::output::Printer;
use crate::plan::lock::{LOCK_FILE, Lock};
use crate::plan::write::Change;
use crate::plan::{self, FilePlan, Mode, Overwrite};
use crate::render::{Group, RenderedFile};
use crate::workspace::{AnswersFile, Workspace};

/// Whether a run's output is for a person or is its plan as JSON (`regen --json`), which
/// leaves out the notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Text,
    Json,
}

/// What to plan, and what to do with the plan.
pub(super) struct Request<'a> {
    pub(super) workspace: &'a Workspace,
    pub(super) answers: &'a Answers,
    pub(super) mode: Mode,
    pub(super) overwrite: Overwrite,
    /// The groups to plan; all when empty.
    pub(super) only: &'a [Group],
    pub(super) answers_file: AnswersFile,
    pub(super) format: Format,
}

/// A request's renders and plan, and the lock the plan leaves.
pub(super) struct Planned<'a> {
    pub(super) request: &'a Request<'a>,
    pub(super) rendered: Vec<RenderedFile>,
    pub(super) plans: Vec<FilePlan>,
    /// `None` for `--check`, which neither shows nor writes the lock: it would read every
    /// base to compare them.
    pub(super) new_lock: Option<Lock>,
}

impl Planned<'_> {
    /// The lock as this run found it.
    pub(super) fn lock(&self) -> Option<&Lock> {
        self.request.workspace.lock.as_ref()
    }

    /// The lock's row of the plan, in an action column `width` wide.
    pub(super) fn lock_line(&self, printer: &Printer, width: usize) {
        if let Some(new_lock) = &self.new_lock {
            plan::show::lock_line(self.lock(), new_lock, printer, width);
        }
    }
}

/// The steps of the pipeline that differ by command.
pub(super) trait Report {
    /// Prints the plan of a run that writes nothing (`Mode::DryRun`, `Mode::Check`) and
    /// returns its exit.
    fn unwritten(&self, planned: &Planned, printer: &Printer) -> Result<Outcome, Error>;

    /// Runs before the write; `Some` ends the run there, with that exit.
    fn before_write(
        &mut self,
        planned: &Planned,
        printer: &Printer,
    ) -> Result<Option<Outcome>, Error>;

    /// Says what was written and what is left for the user, and returns the exit.
    fn written(&self, planned: &Planned, printer: &Printer) -> Outcome;
}

/// Plans `request` and shows or writes the plan as its mode says.
pub(super) fn run(
    request: &Request,
    report: &mut impl Report,
    printer: &Printer,
) -> Result<Outcome, Error> {
    let workspace = request.workspace;
    let (rendered, plans) = workspace.plan(
        request.answers,
        request.overwrite,
        request.only,
        request.answers_file,
    )?;
    if request.format == Format::Text {
        if let Some(note) = workspace.makefile_note(&plans) {
            printer.note(&format!("warning: {note}"));
        }
        if let Some(note) = workspace.ci_note(&plans) {
            printer.note(&format!("note: {note}"));
        }
    }
    let new_lock = match request.mode {
        Mode::Check { .. } => None,
        Mode::Write | Mode::DryRun => Some(Lock::after(
            &plans,
            request.answers.clone(),
            workspace.pack_stamp(),
            workspace.lock.as_ref(),
        )?),
    };
    let planned = Planned {
        request,
        rendered,
        plans,
        new_lock,
    };
    if request.mode != Mode::Write {
        return report.unwritten(&planned, printer);
    }
    if let Some(outcome) = report.before_write(&planned, printer)? {
        return Ok(outcome);
    }
    // Created only now, so a run that fails earlier leaves no empty directory behind.
    fs_err::create_dir_all(&workspace.repo)?;
    // The lock is one more change of the same all-or-nothing write, renamed last: files,
    // `pybootstrap.toml` and the lock change together or not at all, so a failed run never
    // leaves a lock that calls half-written files hand edits.
    let lock_text = match &planned.new_lock {
        Some(new_lock) if planned.lock() != Some(new_lock) => Some(new_lock.text()?),
        _ => None,
    };
    let changes: Vec<Change> = planned
        .plans
        .iter()
        .filter(|plan| plan.action.writes())
        .map(|plan| Change {
            path: &plan.path,
            contents: plan.after.as_deref().map(str::as_bytes),
            executable: plan.executable,
        })
        .chain(lock_text.as_deref().map(|text| Change {
            path: LOCK_FILE,
            contents: Some(text.as_bytes()),
            executable: false,
        }))
        .collect();
    plan::write::apply(&workspace.repo, &changes)?;
    Ok(report.written(&planned, printer))
}

/// Prints what the user should know about how the workspace was loaded.
pub(super) fn print_notes(workspace: &Workspace, printer: &Printer) {
    for note in &workspace.notes {
        printer.note(&format!("warning: {note}"));
    }
}

/// Prints a warning for each task that calls a tool nothing the answers install declares.
pub(super) fn print_task_warnings(workspace: &Workspace, answers: &Answers, printer: &Printer) {
    for warning in crate::answers::task_warnings(workspace.project(), answers) {
        printer.note(&format!("warning: {warning}"));
    }
}
