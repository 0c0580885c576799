//! pyenv shims: which interpreter a shim would run, worked out the way pyenv does it
//! (`PYENV_VERSION`, `.python-version` up from the working directory, the global `version`
//! file) without starting bash, so a repeat `detect` starts no process at all.

use std::path::{Path, PathBuf};

/// What a candidate path is, as far as shims go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shim {
    /// Not a pyenv shim: probe the path itself.
    NotAShim,
    /// A pyenv shim that runs this interpreter.
    Runs(PathBuf),
    /// A pyenv shim that would fail: no selected version provides the command.
    Unreachable(String),
}

/// Inputs pyenv reads, so tests can supply their own.
pub struct PyenvContext<'a> {
    pub pyenv_version: Option<&'a str>,
    pub cwd: &'a Path,
    pub path_var: Option<&'a std::ffi::OsStr>,
}

/// Resolves `path` if it is a pyenv shim.
pub fn resolve(path: &Path, context: &PyenvContext) -> Shim {
    let Some(root) = pyenv_root_of_shim(path) else {
        return Shim::NotAShim;
    };
    let Some(program) = path.file_name().and_then(|n| n.to_str()) else {
        return Shim::NotAShim;
    };
    let versions = selected_versions(&root, context);
    // pyenv's `which` tries `system` after the selected versions, so a selected version
    // that is not installed falls through to the system's program.
    for version in versions.iter().map(String::as_str).chain(["system"]) {
        if version == "system" {
            if let Some(found) = system_program(&root, program, context.path_var) {
                return Shim::Runs(found);
            }
            continue;
        }
        if let Some(dir) = installed_version_dir(&root, version) {
            let candidate = dir.join("bin").join(program);
            if candidate.is_file() {
                return Shim::Runs(candidate);
            }
        }
    }
    Shim::Unreachable(format!(
        "pyenv shim: neither the selected versions ({}) nor the system provide `{program}`",
        versions.join(", ")
    ))
}

/// The `PYENV_ROOT` a shim exports, when `path` is a file in a pyenv `shims` directory.
fn pyenv_root_of_shim(path: &Path) -> Option<PathBuf> {
    if path.parent()?.file_name()? != "shims" {
        return None;
    }
    let head = read_head(path)?;
    if !head.contains("pyenv") {
        return None;
    }
    let line = head
        .lines()
        .find_map(|l| l.trim().strip_prefix("export PYENV_ROOT="))?;
    Some(PathBuf::from(line.trim_matches('"')))
}

/// The first KiB of a file: enough for a shim script, cheap for a 6 MB interpreter.
fn read_head(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut buffer = [0u8; 1024];
    let read = fs_err::File::open(path).ok()?.read(&mut buffer).ok()?;
    Some(String::from_utf8_lossy(&buffer[..read]).into_owned())
}

/// pyenv's `version-name`: `PYENV_VERSION`, else the nearest `.python-version`, else the
/// global `version` file, else `system`. Each may list several versions.
fn selected_versions(root: &Path, context: &PyenvContext) -> Vec<String> {
    if let Some(value) = context.pyenv_version.filter(|v| !v.trim().is_empty()) {
        return value.split(':').map(str::to_string).collect();
    }
    let local = context
        .cwd
        .ancestors()
        .map(|dir| dir.join(".python-version"))
        .find(|f| f.is_file());
    for file in local.into_iter().chain([root.join("version")]) {
        let Ok(text) = fs_err::read_to_string(&file) else {
            continue;
        };
        let versions: Vec<String> = text
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        if !versions.is_empty() {
            return versions;
        }
    }
    vec!["system".to_string()]
}

/// `versions/<name>`, or for a prefix like `3.11` the newest installed `3.11.x`, as pyenv
/// does since 2.3.
fn installed_version_dir(root: &Path, version: &str) -> Option<PathBuf> {
    let versions = root.join("versions");
    let exact = versions.join(version);
    if exact.is_dir() {
        return Some(exact);
    }
    let prefix = format!("{version}.");
    fs_err::read_dir(&versions)
        .ok()?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with(&prefix))
        .max_by_key(|name| version_key(name))
        .map(|name| versions.join(name))
}

fn version_key(name: &str) -> Vec<u64> {
    name.split(|c: char| !c.is_ascii_digit())
        .filter_map(|p| p.parse().ok())
        .collect()
}

/// The program on `PATH` outside pyenv's own directories, which is what pyenv's `system`
/// version runs.
fn system_program(
    root: &Path,
    program: &str,
    path_var: Option<&std::ffi::OsStr>,
) -> Option<PathBuf> {
    std::env::split_paths(path_var?)
        .filter(|dir| !dir.starts_with(root))
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_pyenv() -> tempfile::TempDir {
        let root = tempfile::tempdir().expect("tempdir");
        let r = root.path();
        for version in ["3.11.2", "3.11.9", "3.12.1"] {
            fs_err::create_dir_all(r.join("versions").join(version).join("bin")).expect("mkdir");
            fs_err::write(r.join("versions").join(version).join("bin/python3"), "").expect("write");
        }
        fs_err::write(r.join("versions/3.12.1/bin/python3.12"), "").expect("write");
        fs_err::create_dir_all(r.join("shims")).expect("mkdir");
        let shim = format!(
            "#!/usr/bin/env bash\nexport PYENV_ROOT=\"{}\"\nexec \"{0}/libexec/pyenv\" exec \"$program\" \"$@\"\n",
            r.display()
        );
        for name in ["python3", "python3.12"] {
            fs_err::write(r.join("shims").join(name), &shim).expect("write");
        }
        fs_err::write(r.join("version"), "3.11\n").expect("write");
        root
    }

    #[test]
    fn global_version_prefix_picks_newest() {
        let root = fake_pyenv();
        let context = PyenvContext {
            pyenv_version: None,
            cwd: Path::new("/"),
            path_var: None,
        };
        let shim = resolve(&root.path().join("shims/python3"), &context);
        assert_eq!(
            shim,
            Shim::Runs(root.path().join("versions/3.11.9/bin/python3"))
        );
    }

    #[test]
    fn pyenv_version_list_and_unreachable_command() {
        let root = fake_pyenv();
        let context = PyenvContext {
            pyenv_version: Some("3.11.2:3.12.1"),
            cwd: Path::new("/"),
            path_var: None,
        };
        let shim = resolve(&root.path().join("shims/python3.12"), &context);
        assert_eq!(
            shim,
            Shim::Runs(root.path().join("versions/3.12.1/bin/python3.12"))
        );
        let context = PyenvContext {
            pyenv_version: Some("3.11.2"),
            cwd: Path::new("/"),
            path_var: None,
        };
        assert!(matches!(
            resolve(&root.path().join("shims/python3.12"), &context),
            Shim::Unreachable(_)
        ));
    }

    #[test]
    fn a_version_that_is_not_installed_falls_back_to_system() {
        let root = fake_pyenv();
        let system = tempfile::tempdir().expect("tempdir");
        fs_err::write(system.path().join("python3"), "").expect("write");
        let path_var = std::env::join_paths([root.path().join("shims").as_path(), system.path()])
            .expect("join");
        let context = PyenvContext {
            pyenv_version: Some("3.9.99"),
            cwd: Path::new("/"),
            path_var: Some(&path_var),
        };
        assert_eq!(
            resolve(&root.path().join("shims/python3"), &context),
            Shim::Runs(system.path().join("python3"))
        );
        assert!(matches!(
            resolve(&root.path().join("shims/python3.12"), &context),
            Shim::Unreachable(_)
        ));
    }

    #[test]
    fn local_version_file_wins_over_global() {
        let root = fake_pyenv();
        let project = tempfile::tempdir().expect("tempdir");
        fs_err::write(project.path().join(".python-version"), "3.12.1\n").expect("write");
        let nested = project.path().join("src");
        fs_err::create_dir_all(&nested).expect("mkdir");
        let context = PyenvContext {
            pyenv_version: None,
            cwd: &nested,
            path_var: None,
        };
        let shim = resolve(&root.path().join("shims/python3"), &context);
        assert_eq!(
            shim,
            Shim::Runs(root.path().join("versions/3.12.1/bin/python3"))
        );
    }

    #[test]
    fn ordinary_file_is_not_a_shim() {
        let context = PyenvContext {
            pyenv_version: None,
            cwd: Path::new("/"),
            path_var: None,
        };
        assert_eq!(
            resolve(Path::new("/usr/bin/python3"), &context),
            Shim::NotAShim
        );
    }
}
