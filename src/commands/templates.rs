//! `pybootstrap templates list | show NAME | export DIR`: the built-in templates, a team
//! pack's, and the starting point of a new pack.

use std::path::{Path, PathBuf};

use crate::answers;
use crate::cli::TemplatesCommand;
use crate::error::{Error, Outcome};
use crate::output::{Printer, Style};
use crate::plan::write::write_atomic;
use crate::render::{self, PACK_FILE, Pack};
use crate::workspace::ANSWERS_FILE;

/// The `pack.toml` an export writes: every field explained, nothing fixed yet.
const PACK_MANIFEST: &str = r#"# pack.toml: a pybootstrap template pack, the team's standard bootstrap.
# Point a repository at it with `pybootstrap init --templates DIR`, or set
# `templates = "DIR"` in its pybootstrap.toml; `pybootstrap regen` then rolls changes out.

# Shown by `regen` when a file changes because the pack did ("acme-python 1.3 → 1.4").
name = "my-team"
version = "0.1.0"

# Dotted keys a repository may not change: `--set` or a hand edit of them is refused.
# fixed = ["ci.providers", "env.backend"]
fixed = []

# Answers every repository starts from, in the shape of pybootstrap.toml.
[defaults]
# python.versions = ["3.12", "3.13"]
# ci.providers = ["github"]
# tasks.lint = "ruff check ."

# The templates beside this file replace the built-in ones of the same name. A template
# can instead start with {% extends "builtin/<name>" %} and override only its blocks
# (CI: test_steps, jobs; Makefile: targets; docs: extra_sections; scripts: after_install).
# Any other file here is rendered too, to the same path in the repository, or where
# [files."<name>"] says; files whose name starts with `_` are partials for {% include %}.
# [files."ci/lint.yml"]
# path = ".github/workflows/lint.yml"
# group = "ci"
"#;

pub(super) fn run(command: &TemplatesCommand, printer: &Printer) -> Result<Outcome, Error> {
    match command {
        TemplatesCommand::List { templates } => {
            list(load_pack(templates.as_deref())?.as_ref(), printer)
        }
        TemplatesCommand::Show { name, templates } => {
            show(name, load_pack(templates.as_deref())?.as_ref())
        }
        TemplatesCommand::Export { dir, force } => export(dir, *force, printer),
    }
}

/// The pack named on the command line, else by `./pybootstrap.toml`.
fn load_pack(flag: Option<&Path>) -> Result<Option<Pack>, Error> {
    let dir: Option<PathBuf> = match flag {
        Some(dir) => Some(dir.to_path_buf()),
        None => answers::load(Path::new(ANSWERS_FILE))?
            .and_then(|saved| saved.templates().map(PathBuf::from)),
    };
    Ok(dir.map(|dir| Pack::load(&dir)).transpose()?)
}

fn list(pack: Option<&Pack>, printer: &Printer) -> Result<Outcome, Error> {
    for id in render::template_ids() {
        let group = render::template_group(id).map_or("snippet", |g| g.as_str());
        let origin = if pack.is_some_and(|p| p.templates.contains_key(id)) {
            "pack (replaces built-in)"
        } else {
            "built-in"
        };
        println!("{id:<32} {group:<8} {}", printer.paint(Style::Dim, origin));
    }
    if let Some(pack) = pack {
        for id in pack
            .templates
            .keys()
            .filter(|id| render::template_source(id).is_none())
        {
            let group = pack
                .files
                .get(id)
                .and_then(|f| f.group)
                .map_or("docs", |g| g.as_str());
            println!(
                "{id:<32} {group:<8} {}",
                printer.paint(Style::Dim, &format!("pack {} {}", pack.name, pack.version))
            );
        }
    }
    Ok(Outcome::Success)
}

fn show(name: &str, pack: Option<&Pack>) -> Result<Outcome, Error> {
    let text = pack
        .and_then(|p| p.templates.get(name).map(String::as_str))
        .or_else(|| render::template_source(name));
    let Some(text) = text else {
        return Err(Error::Input {
            message: format!("no template named `{name}`"),
            hint: Some("`pybootstrap templates list` shows the names".into()),
        });
    };
    print!("{text}");
    Ok(Outcome::Success)
}

fn export(dir: &Path, force: bool, printer: &Printer) -> Result<Outcome, Error> {
    let mut files: Vec<(String, &str)> = render::template_ids()
        .into_iter()
        .filter_map(|id| Some((id.to_string(), render::template_source(id)?)))
        .collect();
    files.push((PACK_FILE.to_string(), PACK_MANIFEST));
    let existing: Vec<&str> = files
        .iter()
        .map(|(id, _)| id.as_str())
        .filter(|id| dir.join(id).exists())
        .collect();
    if !existing.is_empty() && !force {
        printer.problem(
            &format!(
                "{} already has {}; nothing was written",
                dir.display(),
                existing.join(", ")
            ),
            Some("pass `--force` to overwrite them"),
        );
        return Ok(Outcome::ActionNeeded);
    }
    for (id, text) in &files {
        write_atomic(&dir.join(id), text.as_bytes(), false)?;
    }
    printer.note(&format!(
        "wrote {} templates and {PACK_FILE} to {}",
        files.len() - 1,
        dir.display()
    ));
    println!(
        "next: edit {}, then `pybootstrap init --templates {}`",
        dir.join(PACK_FILE).display(),
        dir.display()
    );
    Ok(Outcome::Success)
}
