//! The repository `init`, `regen` and `snippet` work on: its saved answers, the team pack
//! they name, the resolved answers, the renderer and the lock — loaded the same way by each.

use std::path::{Component, Path, PathBuf};

use crate::answers::{self, Assignment, Layers, Resolved, Saved};
use crate::error::Error;
use crate::plan::lock::{LOCK_FILE, Lock, LockError, PackStamp};
use crate::plan::{self, Disk, FilePlan, Inputs, OnDisk, Overwrite, PlanError, write};
use crate::project::Project;
use crate::render::{
    self, Group, Pack, PackOrigin, PackSource, Refresh, RenderedFile, Renderer, SourceError,
};

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
    /// What the user should know about how the answers were saved (printed as warnings).
    pub notes: Vec<String>,
    /// Which of pybootstrap's `Makefile` targets moved aside for the user's own, said when
    /// the block is written.
    pub makefile_note: Option<String>,
    /// Why pybootstrap's pipeline holds only what the repo's own CI lacks, when it does.
    pub ci_note: Option<String>,
    /// Where every provider's files go in this repo: writing one writes a pipeline.
    pipelines: Vec<String>,
}

impl Workspace {
    /// Loads `repo`'s answers and lock, the pack named by `--templates`, `--set templates=…`
    /// or the saved file, and resolves the answers (never over the machine: the same repo
    /// gives the same answers on every machine).
    pub(crate) fn open(
        repo: &Path,
        sets: Vec<Assignment>,
        templates_flag: Option<&PackSource>,
    ) -> Result<Self, Error> {
        let saved = load_answers(repo)?;
        let lock = load_lock(repo)?;
        Self::open_read(repo, saved, lock, sets, templates_flag)
    }

    /// As `open`, with the lock the caller has read already (`regen` reads it first, for
    /// the pins a bot bumped): the lock is read once a run.
    pub(crate) fn open_with_lock(
        repo: &Path,
        lock: Option<Lock>,
        sets: Vec<Assignment>,
    ) -> Result<Self, Error> {
        let saved = load_answers(repo)?;
        Self::open_read(repo, saved, lock, sets, None)
    }

    fn open_read(
        repo: &Path,
        saved: Option<Saved>,
        lock: Option<Lock>,
        mut sets: Vec<Assignment>,
        templates_flag: Option<&PackSource>,
    ) -> Result<Self, Error> {
        let mut notes = Vec::new();
        // An absolute `--set templates=DIR` is saved the way teammates can use it; a
        // relative one is, as in the file, relative to the repository.
        for set in sets.iter_mut().filter(|set| set.key == "templates") {
            let written = set.value.as_str().unwrap_or_default().to_string();
            if let Ok(PackSource::Directory(dir)) = written.parse::<PackSource>()
                && dir.is_absolute()
            {
                let (saved_as, note) = pack_path_for(repo, &dir);
                notes.extend(note);
                *set = answers::parse_set(&format!("templates={saved_as}"))?;
            }
        }
        // `--templates DIR` is a path from the current directory, like any other flag.
        if let Some(source) = templates_flag {
            let saved_as = match source {
                PackSource::Directory(dir) => {
                    let (saved_as, note) = pack_path_for(repo, dir);
                    notes.extend(note);
                    saved_as
                }
                PackSource::Git(_) => source.to_string(),
            };
            sets.push(answers::parse_set(&format!("templates={saved_as}"))?);
        }
        let explicit = sets.iter().rev().find(|set| set.key == "templates");
        let refresh = if explicit.is_some() {
            Refresh::Remote
        } else {
            Refresh::Locked
        };
        let written = explicit
            .map(|set| set.value.as_str().unwrap_or_default().to_string())
            .or_else(|| {
                saved
                    .as_ref()
                    .and_then(Saved::templates)
                    .map(str::to_string)
            })
            .filter(|written| !written.is_empty());
        let mut renderer = match &written {
            Some(written) => {
                Renderer::with_loaded_pack(load_pack(repo, written, lock.as_ref(), refresh)?)?
            }
            None => Renderer::builtin()?,
        };
        let pack = renderer.pack().map(|pack| answers::Pack {
            name: &pack.name,
            defaults: &pack.defaults,
            fixed: &pack.fixed,
        });
        let mut project = Project::read(repo);
        let resolved = answers::resolve(&Layers {
            project: &project,
            pack,
            saved: saved.as_ref(),
            sets: &sets,
        })?;
        // The requirement files the answers name (and the lock's, which `regen` re-renders
        // to say why a file changes) are rendered from, so read now.
        project.read_requirement_files(repo, &requirement_files(&resolved.answers));
        if let Some(lock) = &lock {
            project.read_requirement_files(repo, &requirement_files(&lock.answers));
        }
        let mut makefile_note = None;
        if resolved.answers.make.enabled
            && let Some(makefile) = &project.existing.makefile
        {
            let targets = render::MakeTargets::around(&makefile.targets);
            let tasks = &resolved.answers.tasks;
            // An absent task has no target to rename.
            let renamed: Vec<_> = targets
                .renamed()
                .into_iter()
                .filter(|(role, _)| match *role {
                    "lint" => tasks.lint.command().is_some(),
                    "fmt" => tasks.fmt.command().is_some(),
                    _ => true,
                })
                .collect();
            if !renamed.is_empty() {
                let list: Vec<String> = renamed
                    .iter()
                    .map(|(role, name)| format!("`{name}` for `{role}`"))
                    .collect();
                makefile_note = Some(format!(
                    "{}: your own targets are kept; pybootstrap's run as {}",
                    project.makefile_name,
                    list.join(", ")
                ));
            }
        }
        let own = &project.existing.ci;
        for provider in &resolved.answers.ci.providers {
            if let Some(facts) = own.of(provider.ci().name()) {
                notes.extend(facts.notes.iter().cloned());
            }
        }
        let ci_note = (!resolved.answers.ci.providers.is_empty())
            .then(|| own.tests_note())
            .flatten();
        // Every provider's: the prompts may choose others than the answers read here.
        let pipelines = own
            .iter()
            .flat_map(|(_, facts)| {
                facts
                    .fit
                    .files
                    .iter()
                    .map(|file| project.place.ci_path(file.path))
            })
            .collect();
        renderer.fit(project);
        Ok(Self {
            repo: repo.to_path_buf(),
            saved,
            sets,
            resolved,
            renderer,
            lock,
            notes,
            makefile_note,
            ci_note,
            pipelines,
        })
    }

    /// What the repository says, read once when the workspace opened.
    pub(crate) fn project(&self) -> &Project {
        self.renderer
            .project()
            .expect("a workspace renders for its repository")
    }

    /// Reads the requirement files `answers` name that the workspace has not read yet
    /// (prompts may name new ones), so rendering finds them.
    pub(crate) fn read_files_named(&mut self, answers: &answers::Answers) {
        if let Some(project) = self.renderer.project_mut() {
            project.read_requirement_files(&self.repo, &requirement_files(answers));
        }
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
            let place = &self.project().place;
            // Each root resolved once for all the files, not once per file.
            let (mut repo, mut outer) = (None, None);
            for file in &files {
                // A monorepo project's pipeline goes to the repository root, up from here.
                let (root, path, resolved) =
                    match (&place.root, file.path.strip_prefix(&place.up())) {
                        (Some(root), Some(from_root)) if place.is_below() => {
                            (root, from_root, &mut outer)
                        }
                        _ => (&self.repo, file.path.as_str(), &mut repo),
                    };
                if resolved.is_none() {
                    *resolved = Some(render::canonical_root(root)?);
                }
                if let Some(resolved) = resolved {
                    render::check_output_path_under(resolved, path)?;
                }
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
        let lock = self.lock.as_ref();
        let disk = read_targets(&self.repo, &plan::targets(&rendered, lock, only))?;
        let inputs = Inputs {
            rendered: &rendered,
            lock,
            disk: &disk,
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

    /// The `Makefile` note, when `plans` write pybootstrap's block into the `Makefile`.
    pub(crate) fn makefile_note(&self, plans: &[FilePlan]) -> Option<&str> {
        let writes_block = plans.iter().any(|plan| {
            crate::project::makefile::NAMES.contains(&plan.path.as_str())
                && plan.action.writes()
                && plan.action != plan::Action::Delete
        });
        self.makefile_note.as_deref().filter(|_| writes_block)
    }

    /// The CI note, when `plans` write pybootstrap's pipeline.
    pub(crate) fn ci_note(&self, plans: &[FilePlan]) -> Option<&str> {
        let writes_pipeline = plans.iter().any(|plan| {
            self.pipelines.contains(&plan.path)
                && plan.action.writes()
                && plan.action != plan::Action::Delete
        });
        self.ci_note.as_deref().filter(|_| writes_pipeline)
    }

    /// The pack's name and version, for the lock.
    pub(crate) fn pack_stamp(&self) -> Option<PackStamp> {
        self.renderer.pack().map(|pack| PackStamp {
            name: pack.name.clone(),
            version: pack.version.clone(),
            source: pack.origin.as_ref().map(|origin| origin.source.clone()),
            commit: pack.origin.as_ref().map(|origin| origin.commit.clone()),
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

/// `repo`'s `pybootstrap.toml`, checked; `None` when there is none yet.
pub(crate) fn load_answers(repo: &Path) -> Result<Option<Saved>, answers::Error> {
    let path = repo.join(ANSWERS_FILE);
    match fs_err::read_to_string(&path) {
        Ok(text) => answers::parse_saved(&path, text).map(Some),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(answers::Error::Read { path, source }),
    }
}

/// `repo`'s lock, or `None` when there is none yet.
pub(crate) fn load_lock(repo: &Path) -> Result<Option<Lock>, LockError> {
    let path = repo.join(LOCK_FILE);
    match fs_err::read_to_string(&path) {
        Ok(text) => Lock::parse(&path, &text).map(Some),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(LockError::Read { path, source }),
    }
}

/// The requirement files `answers` install.
fn requirement_files(answers: &answers::Answers) -> Vec<String> {
    answers.deps.files.iter().map(ToString::to_string).collect()
}

/// Each of `paths` under `repo` as it is on disk, for the plan: the file's text (UTF-8, or
/// the plan cannot merge into it) and whether it is read-only.
fn read_targets(repo: &Path, paths: &[&str]) -> Result<Disk, PlanError> {
    let mut disk = Disk::new();
    for &path in paths {
        let text = match fs_err::read(repo.join(path)) {
            // Lossy decoding would write U+FFFD over the user's bytes on the next splice or merge.
            Ok(bytes) => {
                String::from_utf8(bytes).map_err(|_| PlanError::NotUtf8 { path: path.into() })?
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => {
                return Err(PlanError::Read {
                    path: path.into(),
                    source,
                });
            }
        };
        // The mode bits decide, not a failed write: root writes through them, and whoever
        // made the file read-only meant it for everyone.
        let read_only = write::mode_of(&repo.join(path)).is_some_and(|mode| mode & 0o222 == 0);
        disk.insert(path.to_string(), OnDisk { text, read_only });
    }
    Ok(disk)
}

/// The directory of the `pybootstrap.toml` that governs `start`: `start` itself or its
/// nearest parent holding one, searched no higher than the repository root (the first
/// directory with `.git`), as git and cargo search.
pub(crate) fn find_repo(start: &Path) -> Option<PathBuf> {
    for dir in start.ancestors() {
        if dir.join(ANSWERS_FILE).is_file() {
            return Some(dir.to_path_buf());
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// The pack `written` names: a directory under `repo`, or a git source at the commit the
/// lock records for it (from the cache, offline) or its ref resolves to.
pub(crate) fn load_pack(
    repo: &Path,
    written: &str,
    lock: Option<&Lock>,
    refresh: Refresh,
) -> Result<Pack, Error> {
    let git = match written.parse::<PackSource>().map_err(render::Error::from)? {
        PackSource::Directory(dir) => return Ok(Pack::load(&lexical(&repo.join(dir)))?),
        PackSource::Git(git) => git,
    };
    let locked = lock
        .and_then(|lock| lock.pack.as_ref())
        .filter(|stamp| stamp.source.as_deref() == Some(written))
        .and_then(|stamp| stamp.commit.as_deref());
    let fetched = git
        .materialize(locked, refresh)
        .map_err(render::Error::from)?;
    let mut pack = Pack::load(&fetched.dir).map_err(|error| {
        render::Error::from(SourceError::Invalid {
            source_text: written.to_string(),
            commit: fetched.commit.clone(),
            reason: error.to_string(),
        })
    })?;
    pack.origin = Some(PackOrigin {
        source: written.to_string(),
        commit: fetched.commit,
    });
    Ok(pack)
}

/// How `pybootstrap.toml` names a directory pack given on the command line: relative to the
/// repo when it lies inside it or shares a parent below the root with it (the usual
/// `~/src/pack` beside `~/src/repo`), else absolute, with a warning that teammates will
/// not have it.
fn pack_path_for(repo: &Path, dir: &Path) -> (String, Option<String>) {
    let absolute = std::env::current_dir()
        .map(|cwd| cwd.join(dir))
        .unwrap_or_else(|_| dir.to_path_buf());
    let absolute = fs_err::canonicalize(&absolute).unwrap_or_else(|_| lexical(&absolute));
    let repo = std::env::current_dir()
        .map(|cwd| cwd.join(repo))
        .unwrap_or_else(|_| repo.to_path_buf());
    let repo = canonical_prefix(&repo);
    if let Some(relative) = relative_path(&repo, &absolute) {
        return (relative, None);
    }
    let text = absolute.to_string_lossy().into_owned();
    let note = format!(
        "`templates` is saved as the absolute path `{text}`, which teammates will not have: publish the pack in git (`templates = \"git+https://…@TAG\"`) or keep it inside the repository"
    );
    (text, Some(note))
}

/// `path` with `..` and `.` taken out by name: `repo/../pack` must work before `init` has
/// created `repo`.
fn lexical(path: &Path) -> PathBuf {
    let mut clean = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(clean.components().next_back(), Some(Component::Normal(_))) =>
            {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    clean
}

/// `path` canonicalised as far as it exists (a repository `init` creates does not yet).
fn canonical_prefix(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut current = path.to_path_buf();
    loop {
        if let Ok(found) = fs_err::canonicalize(&current) {
            return rest.iter().rev().fold(found, |path, part| path.join(part));
        }
        match (current.file_name().map(ToOwned::to_owned), current.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                current = parent.to_path_buf();
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// `target` relative to `base`, `/`-separated, when both are absolute and share more than
/// the root directory.
fn relative_path(base: &Path, target: &Path) -> Option<String> {
    let base: Vec<Component> = base.components().collect();
    let target: Vec<Component> = target.components().collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let root_only = base
        .iter()
        .take(common)
        .all(|part| matches!(part, Component::RootDir | Component::Prefix(_)));
    if root_only {
        return None;
    }
    let parts: Vec<String> = std::iter::repeat_n("..".to_string(), base.len() - common)
        .chain(
            target[common..]
                .iter()
                .map(|part| part.as_os_str().to_string_lossy().into_owned()),
        )
        .collect();
    Some(if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absent_answers_and_lock_are_none() {
        let missing = load_answers(Path::new("/nonexistent")).expect("absent is fine");
        assert!(missing.is_none());
        let missing = load_lock(Path::new("/nonexistent")).expect("absent is fine");
        assert!(missing.is_none());
    }

    #[test]
    fn parent_components_are_resolved_by_name() {
        let rows = [
            ("/tmp/x/repo/../pack", "/tmp/x/pack"),
            ("/tmp/x/repo/./pack", "/tmp/x/repo/pack"),
            ("/tmp/x/repo/../../a/../b", "/tmp/b"),
            ("/../pack", "/../pack"),
        ];
        for (path, expected) in rows {
            assert_eq!(lexical(Path::new(path)), Path::new(expected), "{path}");
        }
    }

    #[test]
    fn packs_beside_the_repo_are_saved_relative() {
        let rows = [
            ("/home/me/src/repo", "/home/me/src/repo/pack", Some("pack")),
            ("/home/me/src/repo", "/home/me/src/pack", Some("../pack")),
            (
                "/home/me/src/repo",
                "/home/me/packs/acme",
                Some("../../packs/acme"),
            ),
            ("/work/repo", "/srv/pack", None),
        ];
        for (repo, pack, expected) in rows {
            assert_eq!(
                relative_path(Path::new(repo), Path::new(pack)).as_deref(),
                expected,
                "{pack}"
            );
        }
    }
}
