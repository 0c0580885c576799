//! What pipenv's `Pipfile` and `Pipfile.lock` say: the package categories each declares or
//! locks, and the `Pipfile`'s packages as pip requirements (what a project without its lock
//! yet installs).

use super::files::{RepoFiles, parse_toml};
use super::requirements::PipArg;

/// The category pipenv installs with `--dev`: `[dev-packages]` in the `Pipfile`, `develop`
/// in the lock.
pub(crate) const DEVELOP: &str = "develop";

/// PyPI's index, as `Pipfile`s name it.
const PYPI: &[&str] = &["https://pypi.org/simple", "https://pypi.python.org/simple"];

/// A project pipenv manages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Pipenv {
    /// Whether `Pipfile.lock` is there.
    pub(crate) locked: bool,
    /// Each category with packages, by its lock name (`default`, `develop`, or a custom
    /// one), with the names of its packages: the lock's when there is one, else the
    /// `Pipfile`'s.
    pub(crate) categories: Vec<(String, Vec<String>)>,
    /// What made a file unreadable, for the caller's warning.
    pub(crate) warnings: Vec<String>,
}

impl Pipenv {
    /// The package names of `category`.
    pub(crate) fn packages(&self, category: &str) -> &[String] {
        self.categories
            .iter()
            .find(|(name, _)| name == category)
            .map_or(&[], |(_, packages)| packages.as_slice())
    }
}

/// The `Pipfile` facts; `None` when there is no `Pipfile`.
pub(crate) fn read(files: &RepoFiles) -> Option<Pipenv> {
    let pipfile = files.text("Pipfile").ok().flatten()?;
    let mut pipenv = Pipenv::default();
    if let Ok(Some(lock)) = files.text("Pipfile.lock") {
        pipenv.locked = true;
        match serde_json::from_str::<serde_json::Value>(lock) {
            Ok(lock) => {
                if let Some(lock) = lock.as_object() {
                    for (category, packages) in lock {
                        let Some(packages) = packages.as_object() else {
                            continue;
                        };
                        if category.starts_with('_') || packages.is_empty() {
                            continue;
                        }
                        pipenv
                            .categories
                            .push((category.clone(), packages.keys().cloned().collect()));
                    }
                }
            }
            Err(error) => pipenv.warnings.push(format!(
                "ignoring `Pipfile.lock`: it is not valid JSON: {error}"
            )),
        }
    }
    match parse_toml(pipfile) {
        Ok(table) if !pipenv.locked => {
            for (section, packages) in &table {
                let Some(category) = category_of(section) else {
                    continue;
                };
                let Some(packages) = packages.as_table().filter(|table| !table.is_empty()) else {
                    continue;
                };
                pipenv
                    .categories
                    .push((category, packages.keys().cloned().collect()));
            }
        }
        Ok(_) => {}
        Err(error) => pipenv
            .warnings
            .push(format!("ignoring `Pipfile`'s packages: {}", error.message)),
    }
    pipenv.categories.sort();
    Some(pipenv)
}

/// The lock's name of a `Pipfile` table holding packages; `None` for the tables that hold
/// settings (`[requires]`, `[[source]]`, `[scripts]`, `[pipenv]`).
fn category_of(section: &str) -> Option<String> {
    match section {
        "packages" => Some("default".to_string()),
        "dev-packages" => Some(DEVELOP.to_string()),
        "requires" | "source" | "scripts" | "pipenv" => None,
        other => Some(other.to_string()),
    }
}

/// What `pip install` gets for the `Pipfile`'s packages of `categories` (`default` first,
/// a package named twice installed once): the ranges it declares, unlocked, and its
/// package indexes. What a project without `Pipfile.lock` installs.
pub(crate) fn pip_args(pipfile: &str, categories: &[String]) -> Result<Vec<PipArg>, String> {
    let table = parse_toml(pipfile)
        .map_err(|error| format!("`Pipfile` is not valid TOML: {}", error.message))?;
    let mut args = Vec::new();
    let sources: Vec<&str> = table
        .get("source")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|source| source.get("url")?.as_str())
        .collect();
    // PyPI itself is left to pip's own configuration, so a mirror set there keeps working.
    let own_index = sources
        .iter()
        .any(|url| !PYPI.contains(&url.trim_end_matches('/')));
    for (at, url) in sources.iter().filter(|_| own_index).enumerate() {
        let option = if at == 0 {
            "--index-url"
        } else {
            "--extra-index-url"
        };
        args.push(PipArg::option(option, url.to_string()));
    }
    let mut seen: Vec<String> = Vec::new();
    let wanted = std::iter::once("default").chain(categories.iter().map(String::as_str));
    for category in wanted {
        let section = match category {
            "default" => "packages",
            DEVELOP => "dev-packages",
            other => other,
        };
        let Some(packages) = table.get(section).and_then(toml::Value::as_table) else {
            continue;
        };
        for (name, spec) in packages {
            let key = crate::answers::normalise_name(name);
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            args.push(requirement(name, spec)?);
        }
    }
    Ok(args)
}

/// One `Pipfile` package as pip's argument: `"*"`, a version range, or a table with
/// `version`, `extras`, `markers`, `git`/`ref`, `path`, `file`, `editable`.
fn requirement(name: &str, spec: &toml::Value) -> Result<PipArg, String> {
    let unsupported = || format!("`Pipfile`: the package `{name}` has a form pip cannot install");
    let (version, table) = match spec {
        toml::Value::String(version) => (version.as_str(), None),
        toml::Value::Table(table) => (
            table
                .get("version")
                .and_then(toml::Value::as_str)
                .unwrap_or("*"),
            Some(table),
        ),
        _ => return Err(unsupported()),
    };
    let get = |key: &str| table.and_then(|table| table.get(key)?.as_str());
    let extras: Vec<&str> = table
        .and_then(|table| table.get("extras")?.as_array())
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_str)
        .collect();
    let extras = if extras.is_empty() {
        String::new()
    } else {
        format!("[{}]", extras.join(","))
    };
    let markers = get("markers").map_or(String::new(), |markers| format!(" ; {markers}"));
    let editable = table
        .and_then(|table| table.get("editable")?.as_bool())
        .unwrap_or(false);
    let direct = if let Some(url) = get("git") {
        let reference = get("ref").map_or(String::new(), |reference| format!("@{reference}"));
        let url = url.strip_prefix("git+").unwrap_or(url);
        Some(format!("git+{url}{reference}"))
    } else {
        get("path").or_else(|| get("file")).map(str::to_string)
    };
    Ok(match direct {
        Some(location) if editable => PipArg::option("--editable", location),
        Some(location) if location.starts_with('.') || location.starts_with('/') => {
            PipArg::requirement(format!("{location}{markers}"))
        }
        Some(location) => PipArg::requirement(format!("{name}{extras} @ {location}{markers}")),
        None if version == "*" || version.is_empty() => {
            PipArg::requirement(format!("{name}{extras}{markers}"))
        }
        // pipenv reads a bare version (`flask = "2.2.2"`) as `==2.2.2`.
        None if version.starts_with(|first: char| first.is_ascii_digit()) => {
            PipArg::requirement(format!("{name}{extras}=={version}{markers}"))
        }
        None => PipArg::requirement(format!("{name}{extras}{version}{markers}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> RepoFiles {
        let mut files = RepoFiles::default();
        for (path, text) in entries {
            files.insert(path, text);
        }
        files
    }

    const PIPFILE: &str = "[[source]]\nurl = \"https://pypi.org/simple\"\nverify_ssl = true\nname = \"pypi\"\n\n[packages]\nflask = \"*\"\nrequests = {version = \">=2.31\", extras = [\"socks\"]}\nlib = {git = \"https://example.org/lib.git\", ref = \"v1\"}\nhere = {path = \".\", editable = true}\n\n[dev-packages]\npytest = \"==8.3.*\"\nFlask = \"*\"\nfaker = \"15.3.2\"\n\n[requires]\npython_version = \"3.12\"\n";

    #[test]
    fn the_lock_names_the_categories_when_there_is_one() {
        let lock = r#"{"_meta": {"hash": {"sha256": "x"}, "sources": []},
            "default": {"flask": {"version": "==3.0.3", "hashes": ["sha256:ab"]}},
            "develop": {"pytest": {"version": "==8.3.2"}},
            "docs": {}}"#;
        let pipenv =
            read(&files(&[("Pipfile", PIPFILE), ("Pipfile.lock", lock)])).expect("a Pipfile");
        assert!(pipenv.locked);
        assert_eq!(
            pipenv.categories,
            vec![
                ("default".to_string(), vec!["flask".to_string()]),
                ("develop".to_string(), vec!["pytest".to_string()]),
            ]
        );
        assert_eq!(pipenv.packages(DEVELOP), ["pytest".to_string()]);
        assert!(pipenv.warnings.is_empty());
    }

    #[test]
    fn without_a_lock_the_pipfile_names_them() {
        let pipenv = read(&files(&[("Pipfile", PIPFILE)])).expect("a Pipfile");
        assert!(!pipenv.locked);
        assert_eq!(
            pipenv.categories,
            vec![
                (
                    "default".to_string(),
                    vec![
                        "flask".to_string(),
                        "here".to_string(),
                        "lib".to_string(),
                        "requests".to_string()
                    ]
                ),
                (
                    "develop".to_string(),
                    vec![
                        "Flask".to_string(),
                        "faker".to_string(),
                        "pytest".to_string()
                    ]
                ),
            ]
        );
        assert_eq!(read(&files(&[("requirements.txt", "flask\n")])), None);
    }

    #[test]
    fn a_broken_lock_is_a_warning() {
        let pipenv =
            read(&files(&[("Pipfile", PIPFILE), ("Pipfile.lock", "{")])).expect("a Pipfile");
        assert_eq!(pipenv.categories, Vec::new());
        assert_eq!(pipenv.warnings.len(), 1);
        assert!(
            pipenv.warnings[0].contains("Pipfile.lock"),
            "{:?}",
            pipenv.warnings
        );
    }

    #[test]
    fn pipfile_packages_become_pip_arguments() {
        let args = pip_args(PIPFILE, &[DEVELOP.to_string()]).expect("valid");
        let shown: Vec<String> = args
            .iter()
            .map(|arg| format!("{} {}", arg.option, arg.value).trim().to_string())
            .collect();
        assert_eq!(
            shown,
            [
                "flask",
                "--editable .",
                "lib @ git+https://example.org/lib.git@v1",
                "requests[socks]>=2.31",
                // Flask is in `default` already; a bare version is pipenv's `==`.
                "faker==15.3.2",
                "pytest==8.3.*",
            ]
        );
        let default_only = pip_args(PIPFILE, &[]).expect("valid");
        assert!(
            !default_only
                .iter()
                .any(|arg| arg.value.starts_with("pytest"))
        );
        assert!(pip_args("[packages]\nx = 3\n", &[]).is_err());
        let own = "[[source]]\nurl = \"https://pypi.org/simple\"\n[[source]]\nurl = \"https://pkgs.example.org/simple\"\n[packages]\nx = \"*\"\n";
        let shown: Vec<String> = pip_args(own, &[])
            .expect("valid")
            .iter()
            .map(|arg| format!("{} {}", arg.option, arg.value).trim().to_string())
            .collect();
        assert_eq!(
            shown,
            [
                "--index-url https://pypi.org/simple",
                "--extra-index-url https://pkgs.example.org/simple",
                "x"
            ]
        );
        assert!(pip_args("[packages\n", &[]).is_err());
    }
}
