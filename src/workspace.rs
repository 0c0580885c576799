//! The repository `init`, `regen` and `snippet` work on: its saved answers, the team pack
//! they name, the resolved answers, the renderer and the lock — loaded the same way by each.

use std::path::{Path, PathBuf};

use crate::answers::{self, Assignment, Detected, Layers, Resolved, Saved};
use crate::error::Error;
use crate::plan::lock::{LOCK_FILE, Lock, PackStamp};
use crate::plan::{self, FilePlan, Inputs, Overwrite};
use crate::render::{self, Group, RenderedFile, Renderer};

/// The answers file at the top of a repository.
pub(crate) const ANSWERS_FILE: &str = "pybootstrap.toml";

/// Whether a plan also writes `pybootstrap.toml` itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AnswersFile {
    /// Written with the run's answers (`init`, or `regen --set`).
    Write,
    /// Left as it is.
    Leave,
}

/// A repository with its answers resolved and its templates loaded.
pub(crate) struct Workspace {
    pub repo: PathBuf,
    pub saved: Option<Saved>,
    pub sets: Vec<Assignment>,
    pub resolved: Resolved,
    pub renderer: Renderer,
    pub lock: Option<Lock>,
}

impl Workspace {
    /// Loads `repo`'s answers and lock, the pack named by `--templates`, `--set templates=…`
    /// or the saved file, and resolves the answers over `detected`.
    pub(crate) fn open(
        repo: &Path,
        set_args: &[String],
        templates_flag: Option<&Path>,
        detected: &Detected,
    ) -> Result<Self, Error> {
        let saved = answers::load(&repo.join(ANSWERS_FILE))?;
        let mut sets = set_args
            .iter()
            .map(|set| answers::parse_set(set))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(dir) = templates_flag {
            sets.push(answers::parse_set(&format!(
                "templates={}",
                pack_path_for(repo, dir)
            ))?);
        }
        let pack_dir = sets
            .iter()
            .rev()
            .find(|set| set.key == "templates")
            .map(|set| set.value.as_str().unwrap_or_default().to_string())
            .or_else(|| {
                saved
                    .as_ref()
                    .and_then(Saved::templates)
                    .map(str::to_string)
            })
            .filter(|dir| !dir.is_empty())
            .map(|dir| repo.join(dir));
        let renderer = match &pack_dir {
            Some(dir) => Renderer::with_pack(dir)?,
            None => Renderer::builtin()?,
        };
        let pack = renderer.pack().map(|pack| answers::Pack {
            name: &pack.name,
            defaults: &pack.defaults,
            fixed: &pack.fixed,
        });
        let resolved = answers::resolve(&Layers {
            repo,
            detected,
            pack,
            saved: saved.as_ref(),
            sets: &sets,
        })?;
        let lock = Lock::load(repo)?;
        Ok(Self {
            repo: repo.to_path_buf(),
            saved,
            sets,
            resolved,
            renderer,
            lock,
        })
    }

    /// Every file the answers call for, each checked to land inside the repository and to
    /// be the only one written at its path.
    pub(crate) fn render(&self, answers: &answers::Answers) -> Result<Vec<RenderedFile>, Error> {
        let files = self.renderer.render_all(answers)?;
        let mut seen: Vec<(&str, String)> = vec![
            (ANSWERS_FILE, "the answers file".into()),
            (LOCK_FILE, "the lock".into()),
        ];
        for file in &files {
            if let Some((_, owner)) = seen.iter().find(|(path, _)| *path == file.path.as_str()) {
                return Err(Error::Input {
                    message: format!("`{}` would be written twice: by {owner} and by template `{}`", file.path, file.template),
                    hint: Some("give each generated file its own path (`docs.path`, or `[files]` in the pack's `pack.toml`)".into()),
                });
            }
            seen.push((&file.path, format!("template `{}`", file.template)));
        }
        // A repository that does not exist yet holds no symlink to escape through.
        if self.repo.exists() {
            for file in &files {
                render::check_output_path(&self.repo, &file.path)?;
            }
        }
        Ok(files)
    }

    /// The renders for `answers` and the plan that writes them (the groups in `only`, all
    /// when empty), with `pybootstrap.toml` itself when `answers_file` says so.
    pub(crate) fn plan(
        &self,
        answers: &answers::Answers,
        overwrite: Overwrite,
        only: &[Group],
        answers_file: AnswersFile,
    ) -> Result<(Vec<RenderedFile>, Vec<FilePlan>), Error> {
        let rendered = self.render(answers)?;
        let inputs = Inputs {
            repo: &self.repo,
            rendered: &rendered,
            lock: self.lock.as_ref(),
            overwrite,
            only,
        };
        let mut plans = plan::build(&inputs)?;
        if answers_file == AnswersFile::Write {
            let before = self.saved.as_ref().map(|saved| saved.text.clone());
            plans.push(FilePlan::plain(
                ANSWERS_FILE,
                before,
                self.answers_text(answers)?,
            ));
        }
        Ok((rendered, plans))
    }

    /// The pack's name and version, for the lock.
    pub(crate) fn pack_stamp(&self) -> Option<PackStamp> {
        self.renderer.pack().map(|pack| PackStamp {
            name: pack.name.clone(),
            version: pack.version.clone(),
        })
    }

    /// The text of `pybootstrap.toml` after this run: the saved file with `--set`s and
    /// prompt answers applied (comments kept), or a fresh commented file.
    pub(crate) fn answers_text(&self, answers: &answers::Answers) -> Result<String, Error> {
        let Some(saved) = &self.saved else {
            return Ok(answers::render_file(answers));
        };
        let mut changes = self.sets.clone();
        changes.extend(answers::changes(&self.resolved.answers, answers));
        Ok(answers::update_file(&saved.text, &changes)?)
    }
}

/// How `pybootstrap.toml` names a pack given on the command line: relative to the repo when
/// it lies inside it (so the repo can move), else absolute.
fn pack_path_for(repo: &Path, dir: &Path) -> String {
    let absolute = std::env::current_dir().map_or_else(|_| dir.to_path_buf(), |cwd| cwd.join(dir));
    let absolute = fs_err::canonicalize(&absolute).unwrap_or(absolute);
    let repo = fs_err::canonicalize(repo).unwrap_or_else(|_| repo.to_path_buf());
    match absolute.strip_prefix(&repo) {
        Ok(inside) => inside.to_string_lossy().replace('\\', "/"),
        Err(_) => absolute.to_string_lossy().into_owned(),
    }
}
