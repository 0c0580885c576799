//! What this machine offers the answers' defaults: the version of the `python3` on `PATH`
//! (or of `--python`), and whether uv is installed.

use std::path::Path;

use crate::answers::Detected;
use crate::error::Error;
use crate::python::discover::{self, Search};
use crate::python::inspect;

/// The Python version and tools the defaults start from: one interpreter probe (cached).
pub(crate) fn detect(python: Option<&Path>, cwd: &Path) -> Result<Detected, Error> {
    let path_var = std::env::var_os("PATH");
    let candidates = match python {
        Some(python) => {
            let mut candidates = discover::discover(&Search {
                pythons: &[python.to_path_buf()],
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
            candidates.truncate(1);
            candidates
        }
        None => discover::first_python3(path_var.as_deref(), cwd)
            .into_iter()
            .collect(),
    };
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
