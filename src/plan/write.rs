//! Applying a plan all or nothing: every new file is first written to a temp file beside its
//! target, then all are renamed over their targets; if any step fails, the targets already
//! replaced get their old contents back and the new ones are removed, so a failed run
//! leaves the repository as it found it (files, `pybootstrap.toml` and the lock agree).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// One file to write (`contents`) or delete (`None`), by its path inside the repository.
pub(crate) struct Change<'a> {
    pub path: &'a str,
    pub contents: Option<&'a [u8]>,
    pub executable: bool,
}

/// A write that failed, and was undone.
#[derive(Debug, thiserror::Error)]
#[error("failed to write `{path}`{}", undo_note(unrestored))]
pub(crate) struct WriteError {
    /// The target, as the plan names it; never the temp file.
    pub path: String,
    /// The targets that could not be put back as they were.
    pub unrestored: Vec<String>,
    #[source]
    pub source: io::Error,
}

fn undo_note(unrestored: &[String]) -> String {
    if unrestored.is_empty() {
        "; nothing was changed".into()
    } else {
        format!(
            "; these could not be restored: {}",
            unrestored
                .iter()
                .map(|path| format!("`{path}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

impl WriteError {
    /// The `hint:` line for the error.
    pub(crate) fn hint(&self) -> String {
        let dir = Path::new(&self.path)
            .parent()
            .filter(|dir| !dir.as_os_str().is_empty())
            .map_or_else(|| ".".into(), |dir| dir.display().to_string());
        format!("make `{}` and `{dir}` writable, then run again", self.path)
    }
}

/// A change ready to commit: its new contents in a temp file beside the target.
struct Staged<'a> {
    change: &'a Change<'a>,
    /// Where the contents go: the target, or the file a symlinked target points to.
    target: PathBuf,
    temp: Option<NamedTempFile>,
    /// The target exists: the temp file replaces what the user had, so it is flushed to
    /// disk before the rename (see `flush`).
    replaces: bool,
}

/// What a committed change replaced, to put back on failure.
struct Undo {
    path: String,
    target: PathBuf,
    /// The previous bytes and mode; `None` when the change created the file.
    previous: Option<(Vec<u8>, Option<u32>)>,
}

/// Applies every change, or none of them.
pub(crate) fn apply(repo: &Path, changes: &[Change]) -> Result<(), WriteError> {
    let mut created_dirs = Vec::new();
    let staged = match stage_all(repo, changes, &mut created_dirs)
        .and_then(|staged| flush(&staged).map(|()| staged))
    {
        Ok(staged) => staged,
        Err(err) => {
            remove_dirs(&created_dirs);
            return Err(err);
        }
    };
    let mut undo = Vec::new();
    // Writes first, deletions last: a deleted file is the easiest to restore.
    let (writes, deletions): (Vec<_>, Vec<_>) = staged.into_iter().partition(|s| s.temp.is_some());
    for staged in writes.into_iter().chain(deletions) {
        if let Err(source) = commit(repo, staged, &mut undo) {
            let unrestored = roll_back(undo);
            remove_dirs(&created_dirs);
            return Err(WriteError {
                path: source.0,
                unrestored,
                source: source.1,
            });
        }
    }
    Ok(())
}

/// Writes every change's temp file; fails, naming the target, on the first that cannot be.
fn stage_all<'a>(
    repo: &Path,
    changes: &'a [Change<'a>],
    created_dirs: &mut Vec<PathBuf>,
) -> Result<Vec<Staged<'a>>, WriteError> {
    let failed = |change: &Change, source| WriteError {
        path: change.path.to_string(),
        unrestored: Vec::new(),
        source: bare(source),
    };
    let mut staged = Vec::new();
    for change in changes {
        let (target, mode) = resolve(&repo.join(change.path)).map_err(|err| failed(change, err))?;
        let temp = match change.contents {
            Some(contents) => Some(
                stage(&target, mode, contents, change.executable, created_dirs)
                    .map_err(|err| failed(change, err))?,
            ),
            None => None,
        };
        staged.push(Staged {
            change,
            target,
            temp,
            replaces: mode.is_some(),
        });
    }
    Ok(staged)
}

/// Where a change goes, and the mode of the file there (`None` when there is none yet). A
/// symlinked file (already checked to stay inside the repository) is written where it
/// points: renaming over the link would replace the user's link with a plain file.
fn resolve(path: &Path) -> io::Result<(PathBuf, Option<u32>)> {
    match fs_err::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            let target = fs_err::canonicalize(path)?;
            let mode = mode_of(&target);
            Ok((target, mode))
        }
        Ok(meta) => Ok((path.to_path_buf(), Some(mode_from(&meta)))),
        Err(_) => Ok((path.to_path_buf(), None)),
    }
}

/// Flushes to disk the temp files that replace an existing file, all at once (on a
/// journalled filesystem one commit then covers them all, where one `fsync` after another
/// waits for a commit each). A power cut after the rename then finds the user's file
/// either as it was or as written, never empty. A file the run creates is not flushed, as
/// cargo, uv and copier do not flush theirs: a power cut within seconds of the run can
/// leave it empty or missing, which loses nothing the user had, and running again writes
/// it (docs/commands.md, "Writing, all or nothing").
fn flush(staged: &[Staged]) -> Result<(), WriteError> {
    let replacing: Vec<(&str, &NamedTempFile)> = staged
        .iter()
        .filter(|staged| staged.replaces)
        .filter_map(|staged| Some((staged.change.path, staged.temp.as_ref()?)))
        .collect();
    let failed = |path: &str, source| WriteError {
        path: path.to_string(),
        unrestored: Vec::new(),
        source: bare(source),
    };
    if let [(path, temp)] = replacing.as_slice() {
        // One file: a thread would cost more than it overlaps.
        return temp.as_file().sync_all().map_err(|err| failed(path, err));
    }
    std::thread::scope(|scope| {
        let syncs: Vec<_> = replacing
            .iter()
            .map(|(path, temp)| (*path, scope.spawn(|| temp.as_file().sync_all())))
            .collect();
        for (path, sync) in syncs {
            let synced = sync
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("the flush to disk failed")));
            synced.map_err(|source| failed(path, source))?;
        }
        Ok(())
    })
}

/// `contents` in a temp file in `target`'s directory, with the mode the target will have:
/// the existing file's permissions (`mode`), plus the execute bits when `executable`.
fn stage(
    target: &Path,
    mode: Option<u32>,
    contents: &[u8],
    executable: bool,
    created_dirs: &mut Vec<PathBuf>,
) -> io::Result<NamedTempFile> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let missing: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|dir| !dir.as_os_str().is_empty() && !dir.exists())
        .map(Path::to_path_buf)
        .collect();
    fs_err::create_dir_all(dir)?;
    created_dirs.extend(missing);
    let mut temp = tempfile::Builder::new()
        .prefix(".pybootstrap-")
        .tempfile_in(dir)?;
    temp.write_all(contents)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mut mode = mode.unwrap_or(0o644);
        if executable {
            mode |= 0o111;
        }
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (mode, executable);
    Ok(temp)
}

/// Renames one staged change over its target (or deletes the target), recording how to
/// undo it. The error carries the target's path.
fn commit(repo: &Path, staged: Staged, undo: &mut Vec<Undo>) -> Result<(), (String, io::Error)> {
    let path = staged.change.path.to_string();
    let previous = match fs_err::read(&staged.target) {
        Ok(bytes) => Some((bytes, mode_of(&staged.target))),
        Err(err) if err.kind() == io::ErrorKind::NotFound => None,
        Err(err) => return Err((path, bare(err))),
    };
    let record = Undo {
        path: path.clone(),
        target: staged.target.clone(),
        previous,
    };
    if let Some(temp) = staged.temp {
        temp.persist(&staged.target)
            .map_err(|err| (path, bare(err.error)))?;
    } else if record.previous.is_some() {
        fs_err::remove_file(&staged.target).map_err(|err| (path, bare(err)))?;
        remove_empty_parents(repo, &staged.target);
    } else {
        return Ok(());
    }
    undo.push(record);
    Ok(())
}

/// Puts back what the committed changes replaced, newest first; returns the paths that
/// could not be.
fn roll_back(undo: Vec<Undo>) -> Vec<String> {
    let mut unrestored = Vec::new();
    for record in undo.into_iter().rev() {
        let restored = match &record.previous {
            Some((bytes, mode)) => restore(&record.target, bytes, *mode),
            None => fs_err::remove_file(&record.target),
        };
        if restored.is_err() {
            unrestored.push(record.path);
        }
    }
    unrestored
}

fn restore(target: &Path, bytes: &[u8], mode: Option<u32>) -> io::Result<()> {
    let dir = target.parent().unwrap_or(Path::new("."));
    fs_err::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".pybootstrap-")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    temp.persist(target).map_err(|err| err.error)?;
    Ok(())
}

/// The directories this run created and a rollback leaves empty, deepest first.
fn remove_dirs(created: &[PathBuf]) {
    let mut dirs = created.to_vec();
    dirs.sort_by_key(|dir| std::cmp::Reverse(dir.components().count()));
    for dir in dirs {
        // `remove_dir` fails on a non-empty directory: then it is not only ours.
        let _ = std::fs::remove_dir(dir);
    }
}

/// Removes the directories a deleted file leaves empty (`.github/workflows`), up to `repo`.
fn remove_empty_parents(repo: &Path, file: &Path) {
    for dir in file
        .ancestors()
        .skip(1)
        .take_while(|dir| *dir != repo && dir.starts_with(repo))
    {
        // `remove_dir` fails on a non-empty directory, which is where this stops.
        if std::fs::remove_dir(dir).is_err() {
            break;
        }
    }
}

/// Replaces one file outside a plan (`templates export`) in one rename.
pub(crate) fn write_atomic(path: &Path, contents: &[u8], executable: bool) -> io::Result<()> {
    let (target, mode) = resolve(path)?;
    stage(&target, mode, contents, executable, &mut Vec::new())?
        .persist(&target)
        .map_err(|err| {
            io::Error::new(
                err.error.kind(),
                format!(
                    "failed to write `{}`: {}",
                    target.display(),
                    bare(err.error)
                ),
            )
        })?;
    Ok(())
}

/// The permission bits of `path`, when it exists.
pub(crate) fn mode_of(path: &Path) -> Option<u32> {
    fs_err::metadata(path).ok().map(|meta| mode_from(&meta))
}

fn mode_from(meta: &std::fs::Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode()
    }
    #[cfg(not(unix))]
    {
        if meta.permissions().readonly() {
            0o444
        } else {
            0o644
        }
    }
}

/// The OS error alone: fs_err and tempfile name the temp file, and the error must name
/// the target, which `WriteError` does.
fn bare(err: io::Error) -> io::Error {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    while let Some(error) = cause {
        if let Some(code) = error
            .downcast_ref::<io::Error>()
            .and_then(io::Error::raw_os_error)
        {
            return io::Error::from_raw_os_error(code);
        }
        cause = match error.downcast_ref::<io::Error>() {
            // An `io::Error` wrapping another error hides it from `source()`.
            Some(io) => io.get_ref().map(|inner| inner as _),
            None => error.source(),
        };
    }
    io::Error::from(err.kind())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change<'a>(path: &'a str, contents: &'a str) -> Change<'a> {
        Change {
            path,
            contents: Some(contents.as_bytes()),
            executable: false,
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs_err::read_dir(dir)
            .expect("read dir")
            .map(|entry| {
                entry
                    .expect("entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_failed_rename_undoes_the_ones_before_it() {
        let repo = tempfile::tempdir().expect("temp dir");
        let repo = repo.path();
        fs_err::write(repo.join("a.txt"), "old a").expect("write");
        fs_err::write(repo.join("gone.txt"), "old gone").expect("write");
        // Renaming a file over a non-empty directory fails after everything was staged.
        fs_err::create_dir_all(repo.join("z/inside")).expect("mkdir");
        let changes = [
            change("a.txt", "new a"),
            change("new/dir/b.txt", "new b"),
            Change {
                path: "gone.txt",
                contents: None,
                executable: false,
            },
            change("z", "a file"),
        ];
        let error = apply(repo, &changes).expect_err("z is a directory");
        assert_eq!(error.path, "z");
        assert!(error.unrestored.is_empty());
        assert_eq!(
            fs_err::read_to_string(repo.join("a.txt")).expect("a"),
            "old a"
        );
        assert_eq!(
            fs_err::read_to_string(repo.join("gone.txt")).expect("gone"),
            "old gone"
        );
        assert_eq!(names(repo), ["a.txt", "gone.txt", "z"]);
    }

    #[test]
    fn a_target_that_cannot_be_staged_leaves_nothing() {
        let repo = tempfile::tempdir().expect("temp dir");
        let repo = repo.path();
        fs_err::write(repo.join("blocker"), "a file, not a directory").expect("write");
        let changes = [change("new/b.txt", "b"), change("blocker/c.txt", "c")];
        let error = apply(repo, &changes).expect_err("blocker is a file");
        assert_eq!(error.path, "blocker/c.txt");
        assert!(!error.to_string().contains(".pybootstrap-"));
        assert_eq!(names(repo), ["blocker"]);
    }

    #[test]
    fn every_change_is_applied() {
        let repo = tempfile::tempdir().expect("temp dir");
        let repo = repo.path();
        fs_err::write(repo.join("gone.txt"), "old").expect("write");
        let changes = [
            change("new/b.txt", "b"),
            Change {
                path: "gone.txt",
                contents: None,
                executable: false,
            },
        ];
        apply(repo, &changes).expect("writable");
        assert_eq!(names(repo), ["new"]);
        assert_eq!(
            fs_err::read_to_string(repo.join("new/b.txt")).expect("b"),
            "b"
        );
    }
}
