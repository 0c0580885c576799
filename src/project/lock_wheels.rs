//! Which CPython minors a lock's binary-only packages have wheels for: a `uv.lock` or
//! `poetry.lock` listing the wheel files of each pinned package. A package with no sdist
//! and no wheel for `cp3N` (nor a `py3` or `abi3` one that covers it) cannot be installed
//! on 3.N, so 3.N is a bad pick for the bootstrap, however new.

use std::collections::BTreeMap;

/// What one binary-only package's wheels cover.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Coverage {
    /// Every minor (a `py3` or `py2.py3` wheel).
    any: bool,
    /// Every minor from this one on (`cp3N-abi3`).
    abi3_from: Option<u32>,
    /// These minors (`cp3N-cp3N`).
    minors: Vec<u32>,
}

impl Coverage {
    fn covers(&self, minor: u32) -> bool {
        self.any || self.abi3_from.is_some_and(|from| minor >= from) || self.minors.contains(&minor)
    }
}

/// The binary-only packages of a lock and what their wheels cover.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct LockWheels(BTreeMap<String, Coverage>);

impl LockWheels {
    /// Reads the lock `text`: `uv.lock` when `uv` is true, else `poetry.lock`; a lock this
    /// cannot read has no binary-only package.
    pub(crate) fn read(text: &str, uv: bool) -> Self {
        Self(binary_only(text, uv))
    }

    /// The first binary-only package with no wheel for `3.minor`.
    pub(crate) fn missing(&self, minor: u32) -> Option<&str> {
        self.0
            .iter()
            .find(|(_, coverage)| !coverage.covers(minor))
            .map(|(name, _)| name.as_str())
    }
}

/// Each package that has wheels and no sdist, with what its wheels cover.
fn binary_only(text: &str, uv: bool) -> BTreeMap<String, Coverage> {
    let Ok(table) = toml::from_str::<toml::Table>(text) else {
        return BTreeMap::new();
    };
    let packages = table
        .get("package")
        .and_then(toml::Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut found = BTreeMap::new();
    for package in &packages {
        let Some(name) = package.get("name").and_then(toml::Value::as_str) else {
            continue;
        };
        let files: Vec<String> = if uv {
            if package.get("sdist").is_some() {
                continue;
            }
            package
                .get("wheels")
                .and_then(toml::Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|wheel| {
                    let url = wheel.get("url").or_else(|| wheel.get("filename"))?;
                    Some(url.as_str()?.rsplit('/').next()?.to_string())
                })
                .collect()
        } else {
            let files: Vec<String> = package
                .get("files")
                .and_then(toml::Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|file| Some(file.get("file")?.as_str()?.to_string()))
                .collect();
            if files.iter().any(|file| !is_wheel(file)) {
                continue;
            }
            files
        };
        if files.is_empty() {
            continue;
        }
        let mut coverage = Coverage::default();
        for file in files.iter().filter(|file| is_wheel(file)) {
            add_wheel(&mut coverage, file);
        }
        found.insert(name.to_string(), coverage);
    }
    found
}

fn is_wheel(file: &str) -> bool {
    super::installs::has_extension(file, "whl")
}

/// Adds what the wheel file `name-version[-build]-python-abi-platform.whl` covers.
fn add_wheel(coverage: &mut Coverage, file: &str) {
    let stem = file.strip_suffix(".whl").unwrap_or(file);
    let parts: Vec<&str> = stem.split('-').collect();
    let [.., python, abi, _platform] = parts.as_slice() else {
        return;
    };
    for tag in python.split('.') {
        if tag == "py3" {
            coverage.any = true;
        } else if let Some(minor) = tag
            .strip_prefix("cp3")
            .and_then(|minor| minor.parse::<u32>().ok())
        {
            if *abi == "abi3" {
                coverage.abi3_from = Some(coverage.abi3_from.map_or(minor, |from| from.min(minor)));
            } else {
                coverage.minors.push(minor);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UV_LOCK: &str = r#"version = 1
requires-python = ">=3.9"

[[package]]
name = "greenlet"
version = "2.0.2"
source = { registry = "https://pypi.org/simple" }
wheels = [
    { url = "https://files.pythonhosted.org/packages/aa/greenlet-2.0.2-cp311-cp311-manylinux_2_17_x86_64.whl", hash = "sha256:0", size = 1 },
    { url = "https://files.pythonhosted.org/packages/aa/greenlet-2.0.2-cp310-cp310-manylinux_2_17_x86_64.whl", hash = "sha256:0", size = 1 },
]

[[package]]
name = "cryptography"
version = "44.0.0"
source = { registry = "https://pypi.org/simple" }
wheels = [
    { url = "https://files.pythonhosted.org/packages/aa/cryptography-44.0.0-cp39-abi3-manylinux_2_28_x86_64.whl", hash = "sha256:0", size = 1 },
]

[[package]]
name = "attrs"
version = "25.1.0"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/packages/aa/attrs-25.1.0.tar.gz", hash = "sha256:0", size = 1 }
wheels = [
    { url = "https://files.pythonhosted.org/packages/aa/attrs-25.1.0-py3-none-any.whl", hash = "sha256:0", size = 1 },
]
"#;

    fn missing_wheel(text: &str, uv: bool, minor: u32) -> Option<String> {
        LockWheels::read(text, uv)
            .missing(minor)
            .map(str::to_string)
    }

    #[test]
    fn a_binary_only_package_without_a_wheel_rules_a_minor_out() {
        assert_eq!(
            missing_wheel(UV_LOCK, true, 13).as_deref(),
            Some("greenlet")
        );
        assert_eq!(missing_wheel(UV_LOCK, true, 11), None);
        // abi3 from 3.9 covers 3.10 and later, not 3.8.
        assert_eq!(missing_wheel(UV_LOCK, true, 9).as_deref(), Some("greenlet"));
        assert_eq!(missing_wheel("not toml [", true, 13), None);
    }

    #[test]
    fn poetry_lists_files_per_package() {
        let lock = r#"[[package]]
name = "lxml"
version = "4.6.3"
files = [
    {file = "lxml-4.6.3-cp39-cp39-manylinux1_x86_64.whl", hash = "sha256:0"},
]

[[package]]
name = "six"
version = "1.16.0"
files = [
    {file = "six-1.16.0-py2.py3-none-any.whl", hash = "sha256:0"},
]

[[package]]
name = "pyyaml"
version = "6.0"
files = [
    {file = "PyYAML-6.0-cp39-cp39-manylinux1_x86_64.whl", hash = "sha256:0"},
    {file = "PyYAML-6.0.tar.gz", hash = "sha256:0"},
]
"#;
        assert_eq!(missing_wheel(lock, false, 12).as_deref(), Some("lxml"));
        assert_eq!(missing_wheel(lock, false, 9), None);
    }
}
