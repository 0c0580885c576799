//! `pybootstrap regen`: re-render from `pybootstrap.toml`, keep hand edits with a 3-way
//! merge, remove orphans; `--check` reports drift without writing. Starts no Python.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::apply::{self, Format, Planned, Report, Request};
use crate::answers;
use crate::cli::RegenArgs;
use crate::error::{Error, Outcome};
use crate::output::{Printer, Style};
use crate::plan::bumps::{self, Bump};
use crate::plan::lock::{Lock, normalize};
use crate::plan::{self, Action, FilePlan, Mode, Overwrite, State, diff, why};
use crate::render::Group;
use crate::workspace::{ANSWERS_FILE, AnswersFile, Workspace, find_repo};

/// `regen --json`: the plan as data.
#[derive(Serialize)]
struct RegenJson<'a> {
    schema: u32,
    /// Whether regen changes (or, with `--check`, would change) any file.
    changed: bool,
    /// Files left with conflict markers, or kept for the user to act on.
    attention: Vec<&'a str>,
    files: Vec<FileJson<'a>>,
}

#[derive(Serialize)]
struct FileJson<'a> {
    path: &'a str,
    group: Option<Group>,
    state: State,
    action: Action,
    reasons: &'a [String],
}

pub(super) fn run(args: &RegenArgs, printer: &Printer) -> Result<Outcome, Error> {
    let cwd = std::env::current_dir()?;
    let start = args.dir.as_ref().map_or(cwd.clone(), |dir| cwd.join(dir));
    if !start.is_dir() {
        return Err(Error::Input {
            message: format!("no such directory: `{}`", start.display()),
            hint: Some(
                "give the repository (or a directory inside it) that holds `pybootstrap.toml`"
                    .into(),
            ),
        });
    }
    let Some(repo) = find_repo(&start) else {
        return Err(Error::Input {
            message: format!(
                "no `{ANSWERS_FILE}` in `{}` or any parent directory up to the repository root",
                start.display()
            ),
            hint: Some("run `pybootstrap init` at the root of the repository first".into()),
        });
    };
    // `--json` alone is a report of the plan: it writes only with `--write`.
    let dry_run = args.dry_run || (args.json && !args.write);
    let mode = Mode::from_flags(args.check, args.strict, dry_run);
    // Pins a bot bumped in a generated workflow become answers, as if given with `--set`
    // (one given explicitly wins).
    let lock = crate::workspace::load_lock(&repo)?;
    let found = pin_bumps(&repo, lock.as_ref())?;
    let sets = answers::parse_sets(&args.sets)?;
    let bumps: Vec<Bump> = found
        .into_iter()
        .filter(|bump| !sets.iter().any(|set| set.action() == Some(&bump.action)))
        .collect();
    let mut with_bumps = sets.clone();
    for bump in &bumps {
        with_bumps.push(bump.assignment()?);
    }
    let workspace = Workspace::open_with_lock(&repo, lock, with_bumps)?;
    apply::print_notes(&workspace, printer);
    for bump in &bumps {
        printer.note(&format!(
            "`{}` was bumped in the workflow ({}): {} it in `ci.actions`",
            bump.action,
            bump.versions(),
            if mode == Mode::Write {
                "recording"
            } else {
                "regen records"
            }
        ));
    }
    let format = if args.json {
        Format::Json
    } else {
        Format::Text
    };
    let answers = &workspace.resolved.answers;
    // A `--set` that changes a task or what gets installed is when a task can stop
    // running; a plain regen says nothing new.
    let touches_tasks = sets
        .iter()
        .any(|set| set.is_under("tasks") || set.is_under("deps"));
    if touches_tasks && format == Format::Text {
        apply::print_task_warnings(&workspace, answers, printer);
    }
    // A bump is not drift: `--check` takes it as the answer without asking for a write.
    let answers_file =
        if sets.is_empty() && (bumps.is_empty() || matches!(mode, Mode::Check { .. })) {
            AnswersFile::Leave
        } else {
            AnswersFile::Write
        };
    let request = Request {
        workspace: &workspace,
        answers,
        mode,
        overwrite: Overwrite::from_force(args.force),
        only: &args.only,
        answers_file,
        format,
    };
    apply::run(&request, &mut RegenReport, printer)
}

/// How `regen` shows its plan: what changes and why, or JSON; `--check`'s verdict; and one
/// `error:` line per file the user must settle.
struct RegenReport;

impl Report for RegenReport {
    fn unwritten(&self, planned: &Planned, printer: &Printer) -> Result<Outcome, Error> {
        show(planned, printer)?;
        let plans = &planned.plans;
        let attention = plan::needs_attention(plans);
        let Mode::Check { strict } = planned.request.mode else {
            return Ok(Outcome::action_needed_if(attention));
        };
        let changed = plans.iter().any(|p| p.action.writes());
        let edited = plans.iter().any(|p| p.state == State::Edited);
        let drift = changed || attention || (strict && edited);
        if planned.request.format == Format::Text {
            if changed {
                printer.problem(
                    "the generated files are out of date: run `pybootstrap regen`",
                    None,
                );
            }
            report_attention(plans, strict, printer);
            if !drift {
                printer.note("up to date");
            }
        }
        Ok(Outcome::action_needed_if(drift))
    }

    fn before_write(
        &mut self,
        planned: &Planned,
        printer: &Printer,
    ) -> Result<Option<Outcome>, Error> {
        show(planned, printer)?;
        Ok(None)
    }

    fn written(&self, planned: &Planned, printer: &Printer) -> Outcome {
        if planned.request.format == Format::Text {
            report_attention(&planned.plans, false, printer);
        }
        Outcome::action_needed_if(plan::needs_attention(&planned.plans))
    }
}

/// Prints the plan, each change with why, as text or JSON.
fn show(planned: &Planned, printer: &Printer) -> Result<(), Error> {
    let Planned { request, plans, .. } = planned;
    let workspace = request.workspace;
    let pack = workspace.pack_stamp();
    // JSON gives every file's reasons; the text, those of the files that change.
    let explain: Vec<&str> = plans
        .iter()
        .filter(|plan| request.format == Format::Json || plan.action.writes())
        .map(|plan| plan.path.as_str())
        .collect();
    let reasons = match planned.lock() {
        Some(lock) => why::reasons(
            &workspace.renderer,
            request.answers,
            &planned.rendered,
            lock,
            pack.as_ref(),
            &explain,
        )?,
        None => BTreeMap::new(),
    };
    let mode = request.mode;
    if request.format == Format::Json {
        let changed = plans.iter().any(|p| p.action.writes());
        print_json(plans, &reasons, changed)?;
    } else if !printer.quiet || mode == Mode::DryRun {
        // `--quiet` leaves what must be acted on (the `error:` lines) and the plan
        // `--dry-run` asked for.
        let strict = mode == Mode::Check { strict: true };
        let width = print_plan(plans, &reasons, printer, mode != Mode::Write, strict);
        if !matches!(mode, Mode::Check { .. }) {
            planned.lock_line(printer, width);
        }
    }
    Ok(())
}

/// The pins bumped in each generated GitHub workflow since pybootstrap last wrote it.
fn pin_bumps(repo: &Path, lock: Option<&Lock>) -> Result<Vec<Bump>, Error> {
    let Some(lock) = lock else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    for file in lock
        .files
        .iter()
        .filter(|file| file.group == Group::Ci && file.path.starts_with(".github/workflows/"))
    {
        match fs_err::read_to_string(repo.join(&file.path)) {
            Ok(disk) => found.extend(bumps::bumps(file.base()?, &normalize(&disk))),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(error.into()),
        }
    }
    Ok(found)
}

/// One `error:` line per file regen cannot settle by itself, saying what the user must do.
fn report_attention(plans: &[FilePlan], strict: bool, printer: &Printer) {
    for plan in plans {
        let path = &plan.path;
        let what = match (plan.state, plan.action) {
            _ if plan.unresolved() => format!("`{path}` still has conflict markers: resolve them"),
            (_, Action::Conflict) => format!(
                "`{path}` has conflict markers: resolve them, then run `pybootstrap regen --check`"
            ),
            (State::Orphan, Action::Refuse) => format!(
                "`{path}` is no longer generated but is read-only: delete it yourself, or `--force` does"
            ),
            (_, Action::Refuse) if plan.read_only => format!(
                "`{path}` is read-only: make it writable (`chmod u+w {path}`), or `--force` overwrites it"
            ),
            (_, Action::Refuse) => format!(
                "`{path}` exists and was not written by pybootstrap: move it aside, or `--force` overwrites it"
            ),
            (State::Orphan, Action::Keep) => format!(
                "`{path}` is no longer generated but was edited by hand: delete it yourself, or `--force` does"
            ),
            (State::Edited, _) if strict => format!(
                "`{path}` was edited by hand (`--strict` forbids it): `pybootstrap regen --force` restores it"
            ),
            _ => continue,
        };
        printer.problem(&what, None);
    }
}

fn print_plan(
    plans: &[FilePlan],
    reasons: &BTreeMap<String, Vec<String>>,
    printer: &Printer,
    diffs: bool,
    strict: bool,
) -> usize {
    // Unchanged files, and hand edits kept as they were on the last run, are noise in a
    // pre-commit hook; `-v` lists them (and `--strict`, to which an edit is drift).
    let quiet_keep = |p: &FilePlan| {
        !strict && p.state == State::Edited && p.action == Action::Keep && !p.needs_attention()
    };
    let shown: Vec<&FilePlan> = plans
        .iter()
        .filter(|p| printer.verbose || (p.action != Action::Unchanged && !quiet_keep(p)))
        .collect();
    let width = plan::show::width(shown.iter().copied());
    for plan in shown {
        plan::show::row(plan, printer, width);
        if plan.action.writes() {
            for reason in reasons.get(&plan.path).into_iter().flatten() {
                println!(
                    "{:>width$}   {}",
                    "",
                    printer.paint(Style::Dim, &format!("because {reason}"))
                );
            }
        }
        if diffs && plan.action.writes() {
            print!("{}", diff::unified(plan));
        }
    }
    width
}

fn print_json(
    plans: &[FilePlan],
    reasons: &BTreeMap<String, Vec<String>>,
    changed: bool,
) -> Result<(), Error> {
    let files = plans
        .iter()
        .map(|plan| FileJson {
            path: &plan.path,
            group: plan.group,
            state: plan.state,
            action: plan.action,
            reasons: reasons.get(&plan.path).map_or(&[], Vec::as_slice),
        })
        .collect();
    let attention = plans
        .iter()
        .filter(|p| p.needs_attention())
        .map(|p| p.path.as_str())
        .collect();
    let json = RegenJson {
        schema: 1,
        changed,
        attention,
        files,
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&json).map_err(std::io::Error::other)?
    );
    Ok(())
}
