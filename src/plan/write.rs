//! Applying a plan: each file written atomically (temp file in the same directory, then
//! rename), so an interrupted run never leaves a half-written file.

use std::path::Path;

use crate::plan::FilePlan;

/// Writes (or deletes) every file whose action changes the disk.
pub(crate) fn apply(repo: &Path, plans: &[FilePlan]) -> std::io::Result<()> {
    for plan in plans.iter().filter(|p| p.action.writes()) {
        let path = repo.join(&plan.path);
        if let Some(contents) = &plan.after {
            write_atomic(&path, contents.as_bytes(), plan.executable)?;
            continue;
        }
        if let Err(err) = fs_err::remove_file(&path)
            && err.kind() != std::io::ErrorKind::NotFound
        {
            return Err(err);
        }
        remove_empty_parents(repo, &path);
    }
    Ok(())
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

/// Replaces `path` with `contents` in one rename; keeps an existing file's permissions.
pub(crate) fn write_atomic(path: &Path, contents: &[u8], executable: bool) -> std::io::Result<()> {
    use std::io::Write;
    // A symlinked file (already checked to stay inside the repository) is written where it
    // points: renaming over the link would replace the user's link with a plain file.
    let resolved;
    let path = if fs_err::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        resolved = fs_err::canonicalize(path)?;
        resolved.as_path()
    } else {
        path
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    fs_err::create_dir_all(dir)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".pybootstrap-")
        .tempfile_in(dir)?;
    temp.write_all(contents)?;
    temp.as_file().sync_all()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let existing = fs_err::metadata(path).ok().map(|m| m.permissions().mode());
        let mut mode = existing.unwrap_or(0o644);
        if executable {
            mode |= 0o111;
        }
        fs_err::set_permissions(temp.path(), std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = executable;
    temp.persist(path).map_err(|err| {
        std::io::Error::new(
            err.error.kind(),
            format!("failed to write `{}`: {}", path.display(), err.error),
        )
    })?;
    Ok(())
}
