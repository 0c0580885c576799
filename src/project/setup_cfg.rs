//! `setup.cfg` (setuptools' declarative config): `python_requires`, `extras_require`, and
//! whether it declares a package at all (a name and what to package).

use crate::python::ini;

/// What `setup.cfg` declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SetupCfg {
    /// `[options] python_requires`.
    pub(crate) python_requires: Option<String>,
    /// `[options.extras_require]`: each extra's name and its requirements, one a line.
    pub(crate) extras: Vec<(String, String)>,
    /// Whether `[tool:pytest]` configures pytest.
    pub(crate) pytest_section: bool,
    /// Whether `[flake8]` configures flake8.
    pub(crate) flake8_section: bool,
    /// Whether `[isort]` configures isort.
    pub(crate) isort_section: bool,
    /// `[metadata] name` with `[options] packages` or `py_modules`: setuptools has
    /// something to build (a file of flake8 or pytest settings alone has not).
    pub(crate) declares_package: bool,
    /// `[metadata] name`: with a bare `setup()` in `setup.py`, setuptools finds the
    /// packages itself.
    pub(crate) names_project: bool,
}

/// Reads `setup.cfg`; an error says why the file is not one configparser reads.
pub(crate) fn read(text: &str) -> Result<SetupCfg, String> {
    let parsed = ini::parse(text).map_err(|error| error.to_string())?;
    Ok(SetupCfg {
        python_requires: parsed
            .get("options", "python_requires")
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .map(str::to_string),
        extras: parsed
            .items("options.extras_require")
            .into_iter()
            .map(|(name, requirements)| (name.to_string(), requirements.to_string()))
            .collect(),
        pytest_section: parsed.has_section("tool:pytest"),
        flake8_section: parsed.has_section("flake8"),
        isort_section: parsed.has_section("isort"),
        names_project: filled(parsed.get("metadata", "name")),
        declares_package: filled(parsed.get("metadata", "name"))
            && (filled(parsed.get("options", "packages"))
                || filled(parsed.get("options", "py_modules"))),
    })
}

fn filled(value: Option<&str>) -> bool {
    value.is_some_and(|value| !value.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_range_and_extras() {
        let cfg = read(
            "[metadata]\nname = demo\n\n[options]\npython_requires = >=3.8\npackages = find:\n\n[options.extras_require]\ntesting =\n    pytest\ndocs = sphinx\n",
        )
        .expect("valid");
        assert_eq!(cfg.python_requires.as_deref(), Some(">=3.8"));
        let names: Vec<&str> = cfg.extras.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, vec!["testing", "docs"]);
        assert_eq!(cfg.extras[0].1.trim(), "pytest");
        assert!(!cfg.pytest_section);
        assert!(cfg.declares_package);
        assert!(
            read("[tool:pytest]\ntestpaths = tests\n")
                .expect("valid")
                .pytest_section
        );
        assert_eq!(
            read("[metadata]\nname = x\n").expect("valid"),
            SetupCfg {
                names_project: true,
                ..SetupCfg::default()
            }
        );
        assert!(read("no header\n").is_err());
        // Tool settings only (nyu-devops/lab-flask-jwt's shape): nothing to build.
        let tools = read("[flake8]\nmax-line-length = 127\n\n[tool:pytest]\naddopts = -q\n\n[isort]\nprofile = black\n")
            .expect("valid");
        assert!(!tools.declares_package && tools.flake8_section);
        assert!(
            !read("[metadata]\nname = x\n[options]\ninstall_requires = a\n")
                .expect("valid")
                .declares_package
        );
        assert!(
            read("[metadata]\nname = x\n[options]\npy_modules = x\n")
                .expect("valid")
                .declares_package
        );
    }
}
