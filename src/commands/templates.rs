//! `pybootstrap templates list | show NAME | export DIR`: the built-in templates, a team
//! pack's, and the starting point of a new pack (small by default, a full copy on request).

use std::path::Path;

use crate::cli::TemplatesCommand;
use crate::error::{Error, Outcome};
use crate::output::{Printer, Style};
use crate::plan::write::write_atomic;
use crate::render::{self, PACK_FILE, Pack, PackSource, Refresh};
use crate::workspace::{find_repo, load_pack as load_pack_from};

/// The `pack.toml` an export writes: every field explained, nothing fixed yet.
const PACK_MANIFEST: &str = r#"# pack.toml: a pybootstrap template pack, the team's standard bootstrap.
# Point a repository at it with `pybootstrap init --templates DIR`, or set
# `templates = "DIR"` in its pybootstrap.toml; `pybootstrap regen` then rolls changes out.
# Shared through git, a repository takes it at a tag and stays on it until told otherwise:
# `templates = "git+https://git.example.com/acme/python-pack.git@v0.1.0"` (or `gh:ORG/REPO@TAG`).

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
# (CI: test_steps, jobs; Makefile: targets; docs: extra_sections; scripts: after_install),
# as make/Makefile here does. `pybootstrap templates show <name>` prints a built-in one.
# Any other file here is rendered too, to the same path in the repository, or where
# [files."<name>"] says; files whose name starts with `_` are partials for {% include %}.
# [files."ci/lint.yml"]
# path = ".github/workflows/lint.yml"
# group = "ci"
"#;

/// The one template a minimal export writes: a built-in extended, one block overridden.
const EXAMPLE_ID: &str = "make/Makefile";
const EXAMPLE_TEMPLATE: &str = r#"{% extends "builtin/make/Makefile" %}
{#- Everything of the built-in Makefile block stays; this adds the team's own targets.
    Delete this file to keep the built-in one as it is. -#}
{% block targets %}
.PHONY: outdated
outdated: bootstrap
	$(PYBOOTSTRAP_PYTHON) -m pip list --outdated
{% endblock targets %}
"#;

pub(super) fn run(command: &TemplatesCommand, printer: &Printer) -> Result<Outcome, Error> {
    match command {
        TemplatesCommand::List { templates } => {
            list(load_pack(templates.as_ref())?.as_ref(), printer)
        }
        TemplatesCommand::Show { name, templates } => {
            show(name, load_pack(templates.as_ref())?.as_ref())
        }
        TemplatesCommand::Export { dir, force, full } => {
            let mode = if *full { Export::Full } else { Export::Minimal };
            export(dir, *force, mode, printer)
        }
    }
}

/// What `templates export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Export {
    /// `pack.toml` and one template that extends a built-in.
    Minimal,
    /// `pack.toml` and a copy of every built-in template.
    Full,
}

/// The pack named on the command line (a directory is relative to the current one), else by
/// the `pybootstrap.toml` found from here.
fn load_pack(flag: Option<&PackSource>) -> Result<Option<Pack>, Error> {
    let cwd = std::env::current_dir()?;
    match flag {
        Some(PackSource::Directory(dir)) => Ok(Some(Pack::load(&cwd.join(dir))?)),
        Some(source) => Ok(Some(load_pack_from(
            &cwd,
            &source.to_string(),
            None,
            Refresh::Remote,
        )?)),
        None => {
            let Some(repo) = find_repo(&cwd) else {
                return Ok(None);
            };
            let Some(saved) = crate::workspace::load_answers(&repo)? else {
                return Ok(None);
            };
            let Some(written) = saved.templates() else {
                return Ok(None);
            };
            let lock = crate::workspace::load_lock(&repo)?;
            Ok(Some(load_pack_from(
                &repo,
                written,
                lock.as_ref(),
                Refresh::Locked,
            )?))
        }
    }
}

fn list(pack: Option<&Pack>, printer: &Printer) -> Result<Outcome, Error> {
    for id in render::template_ids() {
        let group = render::template_group(id).map_or("snippet", |g| g.as_str());
        let origin = match pack.and_then(|p| p.templates.get(id)) {
            Some(text) if render::extends_builtin(id, text) => "pack (extends built-in)",
            Some(_) => "pack (replaces built-in)",
            None => "built-in",
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

fn export(dir: &Path, force: bool, mode: Export, printer: &Printer) -> Result<Outcome, Error> {
    let mut files: Vec<(String, &str)> = match mode {
        Export::Full => render::template_ids()
            .into_iter()
            .filter_map(|id| Some((id.to_string(), render::template_source(id)?)))
            .collect(),
        Export::Minimal => vec![(EXAMPLE_ID.to_string(), EXAMPLE_TEMPLATE)],
    };
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
    let what = match mode {
        Export::Full => format!("{} templates", files.len() - 1),
        Export::Minimal => format!("`{EXAMPLE_ID}` (extends the built-in one)"),
    };
    printer.note(&format!(
        "wrote {what} and {PACK_FILE} to {}",
        dir.display()
    ));
    if printer.quiet {
        return Ok(Outcome::Success);
    }
    println!(
        "next: edit {}, then `pybootstrap init --templates {}`",
        dir.join(PACK_FILE).display(),
        dir.display()
    );
    Ok(Outcome::Success)
}
