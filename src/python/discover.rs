//! Finding the interpreters a user would reach: `PATH`, the active `VIRTUAL_ENV`,
//! `--python`, and with `--all` the well-known install locations.

use std::collections::HashSet;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// Where an interpreter was found, which decides how failures are treated: a `--python`
/// the user named must be a Python; one found by searching is reported whatever it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Flag,
    Path,
    VirtualEnv,
    WellKnown,
}

/// One interpreter to check, by the path a user would invoke.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub path: PathBuf,
    pub origin: Origin,
}

/// What to search.
pub struct Search<'a> {
    pub pythons: &'a [PathBuf],
    pub all: bool,
    pub path_var: Option<&'a OsStr>,
    pub virtual_env: Option<&'a OsStr>,
    pub home: Option<&'a Path>,
    pub cwd: &'a Path,
}

/// The candidates in the order a user meets them, each invoked path once.
pub fn discover(search: &Search) -> Vec<Candidate> {
    let mut found = Vec::new();
    if !search.pythons.is_empty() {
        for python in search.pythons {
            found.push(Candidate {
                path: flag_path(python, search),
                origin: Origin::Flag,
            });
        }
        return dedupe(found);
    }
    if let Some(paths) = search.path_var {
        let mut seen_names = HashSet::new();
        for dir in std::env::split_paths(paths) {
            for name in python_names_in(&dir) {
                // The first directory on PATH holding a name is the one a user reaches.
                if seen_names.insert(name.clone()) {
                    found.push(Candidate {
                        path: absolute(search.cwd, &dir.join(&name)),
                        origin: Origin::Path,
                    });
                }
            }
        }
    }
    if let Some(venv) = search.virtual_env.filter(|v| !v.is_empty()) {
        found.push(Candidate {
            path: venv_python(Path::new(venv)),
            origin: Origin::VirtualEnv,
        });
    }
    if search.all {
        for path in well_known(search.home) {
            found.push(Candidate {
                path,
                origin: Origin::WellKnown,
            });
        }
    }
    dedupe(found)
}

/// A `--python` the way uv reads one: anything with a path separator is a path; a bare
/// name (`python3`) is looked up on `PATH`, and so is a version (`3.12` as `python3.12`).
/// A name found nowhere stays bare, so the error names what the user typed.
fn flag_path(python: &Path, search: &Search) -> PathBuf {
    let Some(text) = python
        .to_str()
        .filter(|t| !t.contains('/') && !t.contains('\\'))
    else {
        return absolute(search.cwd, python);
    };
    let name = if is_version_request(text) {
        format!("python{text}")
    } else {
        text.to_string()
    };
    find_executable(&name, search.path_var).unwrap_or_else(|| PathBuf::from(name))
}

/// `3` or `3.12`: a version to find on `PATH`, as `python3` or `python3.12`.
fn is_version_request(text: &str) -> bool {
    let mut parts = text.split('.');
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    parts.next().is_some_and(digits) && parts.clone().count() <= 1 && parts.all(digits)
}

/// Install directories (`3.9.18`, `3.10.13`, `cpython-3.12.1-linux-x86_64-gnu`) by the
/// version in their names, as numbers: 3.9 before 3.10.
fn sort_by_version(dirs: &mut [PathBuf]) {
    dirs.sort_by_cached_key(|dir| {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let numbers: Vec<u64> = name
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|part| part.parse().ok())
            .collect();
        (numbers, name)
    });
}

/// The `python3` a user reaches on `PATH`: the first of `discover`'s candidates named
/// `python3`, found without listing every directory (`/usr/bin` holds a thousand names).
pub fn first_python3(path_var: Option<&OsStr>, cwd: &Path) -> Option<Candidate> {
    std::env::split_paths(path_var?)
        // An empty entry lists nothing in `discover` (it is not the current directory).
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join("python3"))
        .find(|path| fs_err::symlink_metadata(path).is_ok())
        .map(|path| Candidate {
            path: absolute(cwd, &path),
            origin: Origin::Path,
        })
}

/// `python`, `python3` and `python3.N` in `dir`, sorted so output is stable.
fn python_names_in(dir: &Path) -> Vec<String> {
    let Ok(entries) = fs_err::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| is_python_name(name))
        .collect();
    names.sort_by_key(|name| name_rank(name));
    names
}

fn is_python_name(name: &str) -> bool {
    let name = name.strip_suffix(".exe").unwrap_or(name);
    match name.strip_prefix("python") {
        Some("" | "3") => true,
        Some(rest) => rest
            .strip_prefix("3.")
            .is_some_and(|minor| !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit())),
        None => false,
    }
}

/// `python3`, `python`, then `python3.N` by N: the order a user would think of them.
fn name_rank(name: &str) -> (u8, u32) {
    let name = name.strip_suffix(".exe").unwrap_or(name);
    match name {
        "python3" => (0, 0),
        "python" => (1, 0),
        _ => (
            2,
            name.rsplit('.')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0),
        ),
    }
}

/// The first `--python` that names nothing at all (not even a dangling link, which is
/// reported as a broken venv instead).
pub fn missing_flag(candidates: &[Candidate]) -> Option<&Candidate> {
    candidates
        .iter()
        .find(|c| c.origin == Origin::Flag && fs_err::symlink_metadata(&c.path).is_err())
}

/// The interpreter of a virtual environment rooted at `venv`.
pub fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

/// pyenv versions, uv-managed Pythons, Homebrew and `/usr/local/bin`, then the system's own.
fn well_known(home: Option<&Path>) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = Vec::new();
    let pyenv_root = std::env::var_os("PYENV_ROOT")
        .map(PathBuf::from)
        .or_else(|| home.map(|h| h.join(".pyenv")));
    let uv_root = std::env::var_os("UV_PYTHON_INSTALL_DIR")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("XDG_DATA_HOME")
                .map(PathBuf::from)
                .or_else(|| home.map(|h| h.join(".local/share")))
                .map(|data| data.join("uv/python"))
        });
    for versions in [pyenv_root.map(|r| r.join("versions")), uv_root]
        .into_iter()
        .flatten()
    {
        let Ok(entries) = fs_err::read_dir(&versions) else {
            continue;
        };
        let mut dirs: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
        sort_by_version(&mut dirs);
        roots.extend(dirs.into_iter().map(|dir| dir.join("bin")));
    }
    roots.extend(
        [
            "/opt/homebrew/bin",
            "/home/linuxbrew/.linuxbrew/bin",
            "/usr/local/bin",
            "/usr/bin",
        ]
        .map(PathBuf::from),
    );
    let mut found = Vec::new();
    for dir in roots {
        // One interpreter per install: its `python3`, else its `python`.
        let names = python_names_in(&dir);
        let first = names
            .iter()
            .find(|n| n.starts_with("python3"))
            .or(names.first());
        if let Some(name) = first {
            found.push(dir.join(name));
        }
        // Versioned names in shared bin directories are separate installs.
        if dir.starts_with("/usr") || dir.starts_with("/opt") || dir.starts_with("/home/linuxbrew")
        {
            found.extend(
                names
                    .iter()
                    .filter(|n| n.starts_with("python3."))
                    .map(|n| dir.join(n)),
            );
        }
    }
    found
}

/// The first executable file `name` in the directories of `path_var`.
pub fn find_executable(name: &str, path_var: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    std::env::split_paths(path_var?)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs_err::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

fn absolute(cwd: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    }
}

fn dedupe(candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut seen = HashSet::new();
    candidates
        .into_iter()
        .filter(|c| seen.insert(c.path.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_python3_is_the_first_python3_discover_finds() {
        let root = tempfile::tempdir().expect("temp dir");
        let dir = |name: &str, files: &[&str]| {
            let dir = root.path().join(name);
            fs_err::create_dir_all(&dir).expect("mkdir");
            for file in files {
                fs_err::write(dir.join(file), "").expect("write");
            }
            dir
        };
        let only_python = dir("a", &["python", "python3.12"]);
        let with_python3 = dir("b", &["python3", "python"]);
        let later = dir("c", &["python3"]);
        for dirs in [
            vec![only_python.clone(), with_python3.clone(), later.clone()],
            vec![later.clone(), with_python3.clone()],
            vec![
                only_python.clone(),
                PathBuf::new(),
                root.path().join("missing"),
            ],
            vec![PathBuf::new(), with_python3.clone(), with_python3.clone()],
            vec![PathBuf::from("b"), later.clone()],
        ] {
            let path_var = std::env::join_paths(&dirs).expect("joins");
            let search = Search {
                pythons: &[],
                all: false,
                path_var: Some(&path_var),
                virtual_env: None,
                home: None,
                cwd: root.path(),
            };
            let expected = discover(&search)
                .into_iter()
                .find(|c| c.path.file_name().is_some_and(|n| n == "python3"));
            assert_eq!(
                first_python3(Some(&path_var), root.path()),
                expected,
                "{dirs:?}"
            );
        }
    }

    #[test]
    fn python_names() {
        for name in ["python", "python3", "python3.11", "python3.9", "python.exe"] {
            assert!(is_python_name(name), "{name}");
        }
        for name in [
            "python3-config",
            "python3.11-config",
            "python2",
            "python3.",
            "pythonw",
            "python3.11m",
        ] {
            assert!(!is_python_name(name), "{name}");
        }
    }

    #[test]
    fn versions_sort_as_numbers() {
        let mut dirs: Vec<PathBuf> = ["3.10.13", "3.6.15", "3.9.18", "3.11.7", "2.7.18"]
            .into_iter()
            .map(PathBuf::from)
            .collect();
        sort_by_version(&mut dirs);
        let names: Vec<_> = dirs.iter().map(|d| d.display().to_string()).collect();
        assert_eq!(names, ["2.7.18", "3.6.15", "3.9.18", "3.10.13", "3.11.7"]);
    }

    #[test]
    fn version_requests() {
        for text in ["3", "3.12", "3.9"] {
            assert!(is_version_request(text), "{text}");
        }
        for text in ["", "3.", ".3", "3.12.1", "python3", "3.x", "312a"] {
            assert!(!is_version_request(text), "{text}");
        }
    }

    #[test]
    fn python_flag_names_and_versions_are_found_on_path() {
        let bin = tempfile::tempdir().expect("tempdir");
        for name in ["python3", "python3.12"] {
            let file = bin.path().join(name);
            fs_err::write(&file, "").expect("write");
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs_err::set_permissions(&file, std::fs::Permissions::from_mode(0o755))
                    .expect("chmod");
            }
        }
        let path_var = std::env::join_paths([bin.path()]).expect("join");
        let search = |pythons: &[PathBuf]| {
            discover(&Search {
                pythons,
                all: false,
                path_var: Some(&path_var),
                virtual_env: None,
                home: None,
                cwd: Path::new("/work"),
            })
            .into_iter()
            .map(|c| c.path)
            .collect::<Vec<_>>()
        };
        let flags =
            ["python3", "3.12", "3.13", "bin/python", "/usr/bin/python3"].map(PathBuf::from);
        assert_eq!(
            search(&flags),
            [
                bin.path().join("python3"),
                bin.path().join("python3.12"),
                PathBuf::from("python3.13"),
                PathBuf::from("/work/bin/python"),
                PathBuf::from("/usr/bin/python3"),
            ]
        );
    }

    #[test]
    fn path_order_wins_per_name() {
        let first = tempfile::tempdir().expect("tempdir");
        let second = tempfile::tempdir().expect("tempdir");
        for dir in [&first, &second] {
            fs_err::write(dir.path().join("python3"), "").expect("write");
        }
        fs_err::write(second.path().join("python3.12"), "").expect("write");
        let path_var = std::env::join_paths([first.path(), second.path()]).expect("join");
        let found = discover(&Search {
            pythons: &[],
            all: false,
            path_var: Some(&path_var),
            virtual_env: None,
            home: None,
            cwd: Path::new("/"),
        });
        let paths: Vec<_> = found.iter().map(|c| c.path.clone()).collect();
        assert_eq!(
            paths,
            [
                first.path().join("python3"),
                second.path().join("python3.12")
            ]
        );
    }
}
