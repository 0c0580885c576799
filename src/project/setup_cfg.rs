//! `setup.cfg` (setuptools' declarative config): `python_requires` and `extras_require`.

use crate::python::ini;

/// What `setup.cfg` declares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct SetupCfg {
    /// `[options] python_requires`.
    pub(crate) python_requires: Option<String>,
    /// The names under `[options.extras_require]`.
    pub(crate) extras: Vec<String>,
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
            .map(|(name, _)| name.to_string())
            .collect(),
    })
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
        assert_eq!(cfg.extras, vec!["testing", "docs"]);
        assert_eq!(
            read("[metadata]\nname = x\n").expect("valid"),
            SetupCfg::default()
        );
        assert!(read("no header\n").is_err());
    }
}
