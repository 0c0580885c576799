//! The settings outside `pybootstrap.toml` that pick an index or a CA for a tool: pip's
//! config files (where pip reads them), uv's (`uv.toml`, `[tool.uv]`), Poetry's sources,
//! and the environment variables each tool reads. `doctor` lists them, values redacted.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::url::redact;
use crate::python::pip_config::{self, EnvView};

/// One setting that chooses an index or CA for a tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Override {
    /// `pip`, `uv`, `poetry`, `pdm`, or `environment` for a variable several tools read.
    pub tool: &'static str,
    /// The file, or the variable's name.
    pub source: String,
    /// The setting (`index-url`, `[[tool.poetry.source]] corp`).
    pub setting: String,
    /// Its value, any credential replaced by `***`.
    pub value: String,
}

/// The variables the tools read for their index and CA (the bootstrap sets only the ones
/// the caller left unset, so a set one wins there too).
const VARIABLES: &[(&str, &str)] = &[
    ("PYBOOTSTRAP_INDEX_URL", "bootstrap"),
    ("PIP_INDEX_URL", "pip"),
    ("PIP_EXTRA_INDEX_URL", "pip"),
    ("PIP_CERT", "pip"),
    ("PIP_CONFIG_FILE", "pip"),
    ("UV_DEFAULT_INDEX", "uv"),
    ("UV_INDEX_URL", "uv"),
    ("UV_INDEX", "uv"),
    ("UV_EXTRA_INDEX_URL", "uv"),
    ("UV_NATIVE_TLS", "uv"),
    ("PDM_PYPI_URL", "pdm"),
    ("SSL_CERT_FILE", "environment"),
    ("SSL_CERT_DIR", "environment"),
    ("REQUESTS_CA_BUNDLE", "environment"),
    ("CURL_CA_BUNDLE", "environment"),
];

/// Every override `repo` and this environment hold. `env_dir` is the project's
/// environment, whose `pip.conf` pip reads as its site file.
pub(crate) fn find(repo: &Path, env_dir: &Path, env: &EnvView) -> Vec<Override> {
    let mut found = Vec::new();
    for (name, tool) in VARIABLES {
        if let Some(value) = env.var(name).filter(|value| !value.is_empty()) {
            found.push(Override {
                tool,
                source: format!("${name}"),
                setting: "environment variable".into(),
                value: redact(value),
            });
        }
    }
    for file in pip_config::config_files(env, env_dir) {
        let Ok(text) = fs_err::read_to_string(&file.path) else {
            continue;
        };
        found.extend(pip_file(&file.path, &text));
    }
    for path in uv_files(repo, env) {
        let Ok(text) = fs_err::read_to_string(&path) else {
            continue;
        };
        found.extend(uv_file(&path, &text));
    }
    if let Ok(text) = fs_err::read_to_string(repo.join("pyproject.toml")) {
        found.extend(pyproject(&repo.join("pyproject.toml"), &text));
    }
    found
}

/// pip's `index-url`, `extra-index-url` and `cert` in `[global]` and `[install]`.
fn pip_file(path: &Path, text: &str) -> Vec<Override> {
    let Ok(ini) = crate::python::ini::parse(text) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for section in ["global", "install"] {
        for key in ["index-url", "extra-index-url", "cert"] {
            let value = ini
                .get(section, key)
                .or_else(|| ini.get(section, &key.replace('-', "_")));
            if let Some(value) = value {
                found.push(Override {
                    tool: "pip",
                    source: path.display().to_string(),
                    setting: format!("[{section}] {key}"),
                    value: redact(value.trim()),
                });
            }
        }
    }
    found
}

/// uv's files, lowest precedence first: system, user, `UV_CONFIG_FILE`, the project's.
fn uv_files(repo: &Path, env: &EnvView) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let system_dirs = env
        .var("XDG_CONFIG_DIRS")
        .filter(|dirs| !dirs.is_empty())
        .unwrap_or("/etc/xdg");
    files.extend(
        system_dirs
            .split(':')
            .map(|dir| Path::new(dir).join("uv/uv.toml")),
    );
    files.push(PathBuf::from("/etc/uv/uv.toml"));
    let user = env
        .var("XDG_CONFIG_HOME")
        .filter(|dir| !dir.is_empty())
        .map_or_else(|| env.home().join(".config"), PathBuf::from);
    files.push(user.join("uv/uv.toml"));
    if let Some(file) = env.var("UV_CONFIG_FILE") {
        files.push(PathBuf::from(file));
    }
    files.push(repo.join("uv.toml"));
    files
}

/// `index-url`, `extra-index-url`, `[[index]]` and `[pip]`'s index keys of a `uv.toml` (or
/// of `[tool.uv]`, with `prefix` naming it).
fn uv_table(path: &Path, table: &toml::Table, prefix: &str) -> Vec<Override> {
    let mut found = Vec::new();
    let mut add = |setting: String, value: &str| {
        found.push(Override {
            tool: "uv",
            source: path.display().to_string(),
            setting,
            value: redact(value),
        });
    };
    for key in ["index-url", "extra-index-url", "native-tls"] {
        for (scope, table) in [
            ("", Some(table)),
            ("pip.", table.get("pip").and_then(toml::Value::as_table)),
        ] {
            match table.and_then(|table| table.get(key)) {
                Some(toml::Value::String(value)) => add(format!("{prefix}{scope}{key}"), value),
                Some(toml::Value::Array(values)) => {
                    for value in values.iter().filter_map(toml::Value::as_str) {
                        add(format!("{prefix}{scope}{key}"), value);
                    }
                }
                Some(toml::Value::Boolean(value)) => {
                    add(format!("{prefix}{scope}{key}"), &value.to_string());
                }
                _ => {}
            }
        }
    }
    for index in table
        .get("index")
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_table)
    {
        let name = index
            .get("name")
            .and_then(toml::Value::as_str)
            .unwrap_or("(unnamed)");
        let default = index.get("default").and_then(toml::Value::as_bool) == Some(true);
        if let Some(url) = index.get("url").and_then(toml::Value::as_str) {
            add(
                format!(
                    "{prefix}[[index]] {name}{}",
                    if default { " (default)" } else { "" }
                ),
                url,
            );
        }
    }
    found
}

fn uv_file(path: &Path, text: &str) -> Vec<Override> {
    toml::from_str::<toml::Table>(text)
        .map(|table| uv_table(path, &table, ""))
        .unwrap_or_default()
}

/// `[tool.uv]` and `[[tool.poetry.source]]` of the project's `pyproject.toml`.
fn pyproject(path: &Path, text: &str) -> Vec<Override> {
    let Ok(table) = toml::from_str::<toml::Table>(text) else {
        return Vec::new();
    };
    let tool = table.get("tool").and_then(toml::Value::as_table);
    let mut found = tool
        .and_then(|tool| tool.get("uv"))
        .and_then(toml::Value::as_table)
        .map(|uv| uv_table(path, uv, "[tool.uv] "))
        .unwrap_or_default();
    for source in tool
        .and_then(|tool| tool.get("poetry"))
        .and_then(|poetry| poetry.get("source"))
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_table)
    {
        let name = source
            .get("name")
            .and_then(toml::Value::as_str)
            .unwrap_or("(unnamed)");
        let priority = source
            .get("priority")
            .and_then(toml::Value::as_str)
            .unwrap_or("primary");
        if let Some(url) = source.get("url").and_then(toml::Value::as_str) {
            found.push(Override {
                tool: "poetry",
                source: path.display().to_string(),
                setting: format!("[[tool.poetry.source]] {name} ({priority})"),
                value: redact(url),
            });
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pip_files_give_index_extra_and_cert_redacted() {
        let found = pip_file(
            Path::new("/etc/pip.conf"),
            "[global]\nindex-url = https://u:pw@corp/simple\ncert = /etc/ca.pem\n[install]\nextra_index_url = https://x/simple\n",
        );
        let settings: Vec<(&str, &str)> = found
            .iter()
            .map(|found| (found.setting.as_str(), found.value.as_str()))
            .collect();
        assert_eq!(
            settings,
            [
                ("[global] index-url", "https://u:***@corp/simple"),
                ("[global] cert", "/etc/ca.pem"),
                ("[install] extra-index-url", "https://x/simple"),
            ]
        );
        assert!(pip_file(Path::new("x"), "[global\nindex-url = https://h/").is_empty());
    }

    #[test]
    fn uv_and_poetry_settings_are_found_in_pyproject() {
        let found = pyproject(
            Path::new("pyproject.toml"),
            r#"
[tool.uv]
index-url = "https://corp/simple"
[[tool.uv.index]]
name = "corp"
url = "https://corp/simple"
default = true
[[tool.poetry.source]]
name = "corp"
url = "https://__token__@corp/simple"
priority = "primary"
"#,
        );
        let settings: Vec<String> = found
            .iter()
            .map(|found| format!("{} {} = {}", found.tool, found.setting, found.value))
            .collect();
        assert_eq!(
            settings,
            [
                "uv [tool.uv] index-url = https://corp/simple",
                "uv [tool.uv] [[index]] corp (default) = https://corp/simple",
                "poetry [[tool.poetry.source]] corp (primary) = https://***@corp/simple",
            ]
        );
    }

    #[test]
    fn environment_variables_are_listed() {
        let env = EnvView::from_pairs(
            &[
                ("PIP_INDEX_URL", "https://u:p@h/simple"),
                ("SSL_CERT_FILE", "/c.pem"),
            ],
            Path::new("/nonexistent-home"),
        );
        let found = find(
            Path::new("/nonexistent-repo"),
            Path::new("/nonexistent-env"),
            &env,
        );
        let names: Vec<&str> = found.iter().map(|found| found.source.as_str()).collect();
        assert!(names.contains(&"$PIP_INDEX_URL"), "{names:?}");
        assert!(
            found
                .iter()
                .any(|found| found.value == "https://u:***@h/simple")
        );
        assert!(names.contains(&"$SSL_CERT_FILE"));
    }
}
