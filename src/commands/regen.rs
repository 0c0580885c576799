//! `pybootstrap regen`: re-render from `pybootstrap.toml`, keep hand edits with a 3-way
//! merge, remove orphans; `--check` reports drift without writing. Starts no Python.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::answers::{self, Detected, Layers};
use crate::cli::RegenArgs;
use crate::commands::init::ANSWERS_FILE;
use crate::error::{Error, Outcome};
use crate::output::{Printer, Style};
use crate::plan::lock::{LOCK_FILE, Lock};
use crate::plan::{self, Action, FilePlan, Inputs, State, diff, why};
use crate::render::{Group, Renderer};

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

pub fn run(args: &RegenArgs, printer: &Printer) -> Result<Outcome, Error> {
    let cwd = std::env::current_dir()?;
    let repo = args.dir.as_ref().map_or(cwd.clone(), |dir| cwd.join(dir));
    let Some(saved) = answers::load(&repo.join(ANSWERS_FILE))? else {
        return Err(Error::Input {
            message: format!("no `{ANSWERS_FILE}` in `{}`", repo.display()),
            hint: Some("run `pybootstrap init` first".into()),
        });
    };
    let sets = args
        .sets
        .iter()
        .map(|set| answers::parse_set(set))
        .collect::<Result<Vec<_>, _>>()?;
    // Never the machine's Python: regen must give the same result on every machine.
    let detected = Detected {
        python_version: None,
        uv_available: false,
    };
    let resolved = answers::resolve(&Layers {
        repo: &repo,
        detected: &detected,
        pack: None,
        saved: Some(&saved),
        sets: &sets,
    })?;
    let answers = resolved.answers;
    let renderer = Renderer::builtin()?;
    let rendered = renderer.render_all(&answers)?;
    let lock = Lock::load(&repo)?;
    let only: Vec<Group> = args
        .only
        .iter()
        .filter_map(|name| serde_json::from_value(serde_json::Value::String(name.clone())).ok())
        .collect();
    let mut plans = plan::build(&Inputs {
        repo: &repo,
        rendered: &rendered,
        lock: lock.as_ref(),
        force: args.force,
        only: &only,
    })?;
    if !sets.is_empty() {
        plans.push(FilePlan::plain(
            ANSWERS_FILE,
            Some(saved.text.clone()),
            answers::update_file(&saved.text, &sets)?,
        ));
    }
    let reasons = lock
        .as_ref()
        .map(|lock| why::reasons(&renderer, &answers, &rendered, lock, None))
        .unwrap_or_default();

    let changed = plans.iter().any(|p| p.action.writes());
    let attention = plan::needs_attention(&plans);
    let edited = plans.iter().any(|p| p.state == State::Edited);
    if args.json {
        print_json(&plans, &reasons, changed)?;
    } else {
        print_plan(&plans, &reasons, printer, args.check || args.dry_run);
    }
    if args.check {
        let drift = changed || attention || (args.strict && edited);
        if drift && !args.json {
            eprintln!("error: the generated files are out of date: run `pybootstrap regen`");
        } else if !args.json {
            printer.note("up to date");
        }
        return Ok(Outcome::action_needed_if(drift));
    }
    if args.dry_run {
        return Ok(Outcome::action_needed_if(attention));
    }
    plan::write::apply(&repo, &plans)?;
    let pack = lock.as_ref().and_then(|l| l.pack.clone());
    let new_lock = Lock::after(&plans, answers, pack, lock.as_ref());
    if lock.as_ref() != Some(&new_lock) {
        plan::write::write_atomic(&repo.join(LOCK_FILE), new_lock.to_text().as_bytes(), false)?;
    }
    let conflicts: Vec<&str> = plans
        .iter()
        .filter(|p| p.action == Action::Conflict)
        .map(|p| p.path.as_str())
        .collect();
    if !conflicts.is_empty() && !args.json {
        eprintln!(
            "error: conflict markers left in {}: resolve them, then run `pybootstrap regen --check`",
            conflicts.join(", ")
        );
    }
    Ok(Outcome::action_needed_if(attention))
}

fn print_plan(
    plans: &[FilePlan],
    reasons: &BTreeMap<String, Vec<String>>,
    printer: &Printer,
    diffs: bool,
) {
    // Unchanged files are noise in a pre-commit hook; `-v` lists them.
    for plan in plans
        .iter()
        .filter(|p| printer.verbose || p.action != Action::Unchanged)
    {
        plan::show::print(std::slice::from_ref(plan), printer, false);
        if plan.action.writes() {
            for reason in reasons.get(&plan.path).into_iter().flatten() {
                println!(
                    "{:>9}   {}",
                    "",
                    printer.paint(Style::Dim, &format!("because {reason}"))
                );
            }
        }
        if diffs && plan.action.writes() {
            print!("{}", diff::unified(plan));
        }
    }
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
