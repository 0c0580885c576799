//! Whether the project builds as a package pip can install (`pip install -e .`): a
//! `[project]` (or `[tool.poetry]`, Flit's old `[tool.flit.metadata]`) with a name, a
//! `setup.py` calling `setup()` with something to package, a `setup.cfg` naming the package
//! and its modules. Files holding only tool settings (ruff in `pyproject.toml`, flake8 or
//! nose in `setup.cfg`) build nothing: pip stops on them with "does not appear to be a
//! Python project" or a build error, and the bootstrap with it.

use super::setup_cfg::SetupCfg;

/// What the packaging files make of the project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Build {
    /// It builds; the file that makes it a package.
    Package(&'static str),
    /// Packaging files that build nothing, and why.
    NotPackage(String),
    /// No `pyproject.toml`, `setup.py` or `setup.cfg`.
    NoFiles,
}

impl Build {
    pub(crate) fn is_package(&self) -> bool {
        matches!(self, Self::Package(_))
    }
}

/// The packaging files a project has, as read.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Files<'a> {
    /// `pyproject.toml`, parsed; `None` when absent or invalid.
    pub(crate) pyproject: Option<&'a toml::Table>,
    /// Whether a `pyproject.toml` is there (valid or not): pip then builds through PEP 517.
    pub(crate) has_pyproject: bool,
    /// The text of `setup.py`.
    pub(crate) setup_py: Option<&'a str>,
    /// `setup.cfg`, read; `None` when absent or malformed.
    pub(crate) setup_cfg: Option<&'a SetupCfg>,
}

/// Judges `files`.
pub(crate) fn build(files: Files<'_>) -> Build {
    let table = |path: &[&str]| -> Option<&toml::Value> {
        let mut value = files.pyproject?.get(path[0])?;
        for key in &path[1..] {
            value = value.get(key)?;
        }
        Some(value)
    };
    let named = |path: &[&str]| {
        table(path)
            .and_then(toml::Value::as_str)
            .is_some_and(|name| !name.trim().is_empty())
    };
    if table(&["tool", "uv", "package"]).and_then(toml::Value::as_bool) == Some(false) {
        return Build::NotPackage("`package = false` in [tool.uv]".to_string());
    }
    if table(&["tool", "poetry", "package-mode"]).and_then(toml::Value::as_bool) == Some(false) {
        return Build::NotPackage("`package-mode = false` in [tool.poetry]".to_string());
    }
    let backend = table(&["build-system", "build-backend"])
        .and_then(toml::Value::as_str)
        .unwrap_or_default();
    // Without `[build-system]` pip builds with setuptools, which reads `[project]` too.
    if named(&["project", "name"]) {
        return Build::Package("[project] in pyproject.toml");
    }
    if named(&["tool", "poetry", "name"]) && backend.starts_with("poetry") {
        return Build::Package("[tool.poetry] and its build backend in pyproject.toml");
    }
    if named(&["tool", "flit", "metadata", "module"]) && backend.starts_with("flit") {
        return Build::Package("[tool.flit.metadata] and its build backend in pyproject.toml");
    }
    let cfg_declares = files.setup_cfg.is_some_and(|cfg| cfg.declares_package);
    let cfg_names = files.setup_cfg.is_some_and(|cfg| cfg.names_project);
    let mut why_not = Vec::new();
    if let Some(text) = files.setup_py {
        let code = without_comments(text);
        // A bare `setup()` beside a named `setup.cfg`: setuptools discovers the packages.
        if calls_setup(&code) && (names_modules(&code) || cfg_names) {
            return Build::Package("setup.py");
        }
        why_not.push("`setup.py` calls no `setup()` with packages or modules");
    }
    if cfg_declares {
        if files.has_pyproject {
            return Build::Package("setup.cfg");
        }
        why_not.push("`setup.cfg` declares a package but there is no `setup.py` or `pyproject.toml` for pip to build it with");
    } else if files.setup_cfg.is_some() {
        why_not.push("`setup.cfg` names no package and its modules (`[metadata] name`, `[options] packages`)");
    }
    // An invalid `pyproject.toml` has its own warning.
    if named(&["tool", "poetry", "name"]) {
        why_not.push(
            "`[tool.poetry]` in `pyproject.toml` has no Poetry build backend (`[build-system]`)",
        );
    } else if files.pyproject.is_some() {
        why_not.push("`pyproject.toml` has no `[project]` name");
    }
    if why_not.is_empty() {
        Build::NoFiles
    } else {
        Build::NotPackage(why_not.join("; "))
    }
}

/// Python source without its `#` comments (a comment saying "packages" packages nothing);
/// a `#` inside a string is rare enough in `setup.py` to cut it short.
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `code` calls `setup(` (or `setuptools.setup(`), not only defines one.
fn calls_setup(code: &str) -> bool {
    words_followed_by(code, "setup", '(').any(|start| !code[..start].trim_end().ends_with("def"))
}

/// Whether `code` passes something to package: `packages=`, `py_modules=`, `ext_modules=`
/// (or those keys quoted, in a dict for `setup(**metadata)`), or calls
/// `find_packages(`/`find_namespace_packages(`.
fn names_modules(code: &str) -> bool {
    ["packages", "py_modules", "ext_modules"]
        .iter()
        .any(|word| {
            words_followed_by(code, word, '=').next().is_some()
            // A dict handed over as `setup(**metadata)`.
            || code.contains(&format!("'{word}'"))
            || code.contains(&format!("\"{word}\""))
        })
        || ["find_packages", "find_namespace_packages"]
            .iter()
            .any(|word| words_followed_by(code, word, '(').next().is_some())
}

/// The offsets where `word` stands as a whole identifier, followed (after spaces) by `next`.
fn words_followed_by<'a>(
    code: &'a str,
    word: &'a str,
    next: char,
) -> impl Iterator<Item = usize> + 'a {
    let identifier = |character: char| character.is_ascii_alphanumeric() || character == '_';
    code.match_indices(word).filter_map(move |(start, _)| {
        let before = code[..start].chars().next_back();
        let after = code[start + word.len()..].trim_start().chars().next();
        (!before.is_some_and(identifier) && after == Some(next)).then_some(start)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `pyproject.toml`, `setup.py` and `setup.cfg`, each when there is one, and why it is
    /// a package.
    type Row<'a> = (Option<&'a str>, Option<&'a str>, Option<&'a str>, &'a str);

    fn judge(pyproject: Option<&str>, setup_py: Option<&str>, setup_cfg: Option<&str>) -> Build {
        let table = pyproject.map(|text| toml::from_str::<toml::Table>(text).expect("toml"));
        let cfg = setup_cfg.map(|text| super::super::setup_cfg::read(text).expect("ini"));
        build(Files {
            pyproject: table.as_ref(),
            has_pyproject: pyproject.is_some(),
            setup_py,
            setup_cfg: cfg.as_ref(),
        })
    }

    #[test]
    fn packages_are_the_files_that_build_one() {
        let packages: &[Row] = &[
            (
                Some(
                    "[project]\nname = \"x\"\n[build-system]\nbuild-backend = \"hatchling.build\"\n",
                ),
                None,
                None,
                "[project] in pyproject.toml",
            ),
            // pip's fallback backend is setuptools, which reads [project] (cookiecutter).
            (
                Some("[project]\nname = \"x\"\n"),
                Some("from setuptools import setup\nsetup()\n"),
                None,
                "[project] in pyproject.toml",
            ),
            (
                Some(
                    "[tool.poetry]\nname = \"x\"\n[build-system]\nbuild-backend = \"poetry.core.masonry.api\"\n",
                ),
                None,
                None,
                "[tool.poetry] and its build backend in pyproject.toml",
            ),
            (
                None,
                Some("from setuptools import setup\nsetup(name='blyaml', packages=['blyaml'])\n"),
                None,
                "setup.py",
            ),
            (
                None,
                Some("import setuptools\nsetuptools.setup(\n    py_modules = ['x'],\n)\n"),
                None,
                "setup.py",
            ),
            (
                None,
                Some(
                    "from setuptools import setup, find_packages\nsetup(packages=find_packages())\n",
                ),
                None,
                "setup.py",
            ),
            (
                None,
                Some("from setuptools import setup\nsetup()\n"),
                Some("[metadata]\nname = x\n[options]\npackages = find:\n"),
                "setup.py",
            ),
            (
                None,
                Some("from setuptools import setup\nsetup()\n"),
                Some("[metadata]\nname = x\n"),
                "setup.py",
            ),
            (
                Some("[build-system]\nrequires = [\"setuptools\"]\n"),
                None,
                Some("[metadata]\nname = x\n[options]\npackages = x\n"),
                "setup.cfg",
            ),
        ];
        for (pyproject, setup_py, setup_cfg, why) in packages {
            assert_eq!(
                judge(*pyproject, *setup_py, *setup_cfg),
                Build::Package(why),
                "{pyproject:?} {setup_py:?} {setup_cfg:?}"
            );
        }
    }

    #[test]
    fn tool_settings_are_not_packages() {
        let not_packages: &[(Option<&str>, Option<&str>, Option<&str>)] = &[
            (
                Some(
                    "[tool.ruff]\nline-length = 100\n[tool.pytest.ini_options]\naddopts = \"-q\"\n",
                ),
                None,
                None,
            ),
            // nyu-devops/lab-flask-jwt: nose's settings in setup.cfg, nothing else.
            (
                None,
                None,
                Some("[nosetests]\nverbosity=2\nwith-coverage=1\n"),
            ),
            (
                None,
                None,
                Some("[flake8]\nmax-line-length = 127\n[tool:pytest]\naddopts = -q\n"),
            ),
            // A name and packages, but nothing pip builds it with.
            (
                None,
                None,
                Some("[metadata]\nname = x\n[options]\npackages = x\n"),
            ),
            // A comment mentioning packages, and a setup() that is only defined.
            (
                None,
                Some(
                    "# What packages are required\ndef setup(app):\n    app.add_css_file('x.css')\n",
                ),
                None,
            ),
            (
                None,
                Some("from setuptools import setup\nsetup(name='x', install_requires=['a'])\n"),
                None,
            ),
            (
                None,
                Some("from setuptools import setup\nsetup()\n"),
                Some("[flake8]\nignore = E501\n"),
            ),
            (
                Some("[project]\nname = \"x\"\n[tool.uv]\npackage = false\n"),
                None,
                None,
            ),
            (
                Some("[tool.poetry]\nname = \"x\"\npackage-mode = false\n"),
                None,
                None,
            ),
            (
                Some(
                    "[tool.poetry]\nname = \"x\"\n[tool.poetry.dependencies]\npython = \"^3.9\"\n",
                ),
                None,
                None,
            ),
            (
                Some(
                    "[build-system]\nrequires = [\"hatchling\"]\nbuild-backend = \"hatchling.build\"\n",
                ),
                None,
                None,
            ),
        ];
        for (pyproject, setup_py, setup_cfg) in not_packages {
            let build = judge(*pyproject, *setup_py, *setup_cfg);
            assert!(
                matches!(build, Build::NotPackage(_)),
                "{pyproject:?} {setup_py:?} {setup_cfg:?}: {build:?}"
            );
        }
        assert_eq!(judge(None, None, None), Build::NoFiles);
    }
}
