//! What this machine offers the answers' defaults: the version of the `python3` on `PATH`
//! (or of `--python`), and whether uv is installed.

use std::path::{Path, PathBuf};

use crate::answers::Detected;
use crate::error::Error;
use crate::python::discover::{self, Origin, Search};
use crate::python::inspect;

/// The Python version and tools the defaults start from: one interpreter probe (cached).
pub(crate) fn detect(python: Option<&Path>, cwd: &Path) -> Result<Detected, Error> {
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
