//! Hatch environments (`[tool.hatch.envs.*]` in `pyproject.toml`, `[envs.*]` in
//! `hatch.toml`): the one that runs the tests, with what it inherits through `template`.

use super::files::TomlFile;

/// The environments that run tests, in the order pybootstrap looks for them: `hatch test`'s
/// own, then the names projects give a test environment, then the one every other inherits.
const TEST_ENVS: &[&str] = &["hatch-test", "test", "tests", "default"];

/// What Hatch would install into its test environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct HatchEnv {
    /// The environment read (`hatch-test`, `test`, …).
    pub(crate) name: String,
    /// `dependencies` then `extra-dependencies`, as pip requirements.
    pub(crate) requirements: Vec<String>,
    /// `features`: the project's extras installed with it.
    pub(crate) features: Vec<String>,
    /// `skip-install = true`: Hatch does not install the project itself.
    pub(crate) skip_install: bool,
    /// Entries left out, and why.
    pub(crate) warnings: Vec<String>,
}

/// Hatch's test environment and the file declaring it (`hatch_toml` first, as Hatch reads
/// it, then `pyproject`); `None` when neither declares one. A file that cannot be read or
/// parsed is an error naming it.
pub(crate) fn test_env_of(
    hatch_toml: &TomlFile,
    pyproject: &TomlFile,
) -> Result<Option<(&'static str, HatchEnv)>, String> {
    for (file, toml_file, path) in [
        ("hatch.toml", hatch_toml, &["envs"][..]),
        ("pyproject.toml", pyproject, &["tool", "hatch", "envs"][..]),
    ] {
        let Some(table) = toml_file.table_or_error(file)? else {
            continue;
        };
        let mut value: Option<&toml::Value> = None;
        let mut current = table;
        for key in path {
            value = current.get(*key);
            match value.and_then(toml::Value::as_table) {
                Some(next) => current = next,
                None => break,
            }
        }
        if let Some(envs) = value.and_then(toml::Value::as_table)
            && let Some(env) = test_env(envs)
        {
            return Ok(Some((file, env)));
        }
    }
    Ok(None)
}

/// One environment's own settings, each `None` when it does not set it.
#[derive(Debug, Clone, Default)]
struct Own {
    dependencies: Option<Vec<String>>,
    extra_dependencies: Vec<String>,
    features: Option<Vec<String>>,
    skip_install: Option<bool>,
}

/// The test environment among `envs` (the `tool.hatch.envs` table), `None` when none of
/// `TEST_ENVS` is declared.
pub(crate) fn test_env(envs: &toml::Table) -> Option<HatchEnv> {
    let name = TEST_ENVS.iter().find(|name| envs.contains_key(**name))?;
    let mut env = HatchEnv {
        name: (*name).to_string(),
        ..HatchEnv::default()
    };
    let own = resolved(envs, name, 0, &mut env.warnings);
    let mut dependencies = own.dependencies.unwrap_or_else(|| {
        // `hatch test` brings pytest (and coverage plugins) when the project names none.
        if *name == "hatch-test" {
            vec!["pytest".to_string()]
        } else {
            Vec::new()
        }
    });
    dependencies.extend(own.extra_dependencies);
    for requirement in dependencies {
        if requirement.contains('{') {
            env.warnings.push(format!(
                "Hatch dependency `{requirement}` uses context formatting pybootstrap does not expand: left out"
            ));
        } else {
            env.requirements.push(requirement);
        }
    }
    env.features = own.features.unwrap_or_default();
    env.skip_install = own.skip_install.unwrap_or(false);
    Some(env)
}

/// `name`'s settings over those of its template: Hatch inherits from `default` unless
/// `template` names another environment (or the environment itself: no inheritance);
/// `hatch-test` inherits nothing unless told to. Own `dependencies` and `features`
/// replace the template's; `extra-dependencies` add to them.
fn resolved(envs: &toml::Table, name: &str, depth: usize, warnings: &mut Vec<String>) -> Own {
    let table = envs.get(name).and_then(toml::Value::as_table);
    let own = table
        .map(|table| own(table, name, warnings))
        .unwrap_or_default();
    let template = table
        .and_then(|table| table.get("template"))
        .and_then(toml::Value::as_str)
        .unwrap_or(match name {
            "default" | "hatch-test" => name,
            _ => "default",
        });
    if template == name || depth > 8 {
        return own;
    }
    let parent = resolved(envs, template, depth + 1, warnings);
    let mut extra_dependencies = parent.extra_dependencies;
    extra_dependencies.extend(own.extra_dependencies);
    Own {
        dependencies: own.dependencies.or(parent.dependencies),
        extra_dependencies,
        features: own.features.or(parent.features),
        skip_install: own.skip_install.or(parent.skip_install),
    }
}

fn own(table: &toml::Table, name: &str, warnings: &mut Vec<String>) -> Own {
    let mut strings = |key: &str| -> Option<Vec<String>> {
        let items = table.get(key)?.as_array()?;
        let mut found = Vec::new();
        for item in items {
            match item.as_str() {
                Some(text) => found.push(text.to_string()),
                None => warnings.push(format!(
                    "Hatch env `{name}`: `{key}` entry `{item}` is not a string: left out"
                )),
            }
        }
        Some(found)
    };
    Own {
        dependencies: strings("dependencies"),
        extra_dependencies: strings("extra-dependencies").unwrap_or_default(),
        features: strings("features"),
        skip_install: table.get("skip-install").and_then(toml::Value::as_bool),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn envs(text: &str) -> toml::Table {
        toml::from_str(text).expect("toml")
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|item| (*item).to_string()).collect()
    }

    #[test]
    fn test_env_inherits_from_default() {
        let env = test_env(&envs(
            "[default]\ndependencies = [\"pytest\"]\nfeatures = [\"yaml\"]\n[test]\nextra-dependencies = [\"pytest-mock\"]\n[docs]\ndependencies = [\"mkdocs\"]\n",
        ))
        .expect("an env");
        assert_eq!(env.name, "test");
        assert_eq!(env.requirements, strings(&["pytest", "pytest-mock"]));
        assert_eq!(env.features, strings(&["yaml"]));
        assert!(!env.skip_install);
    }

    #[test]
    fn own_dependencies_replace_and_template_names_the_parent() {
        let env = test_env(&envs(
            "[default]\ndependencies = [\"a\"]\n[base]\ndependencies = [\"b\"]\nskip-install = true\n[tests]\ntemplate = \"base\"\nextra-dependencies = [\"c\", \"{root:uri}/x\"]\n",
        ))
        .expect("an env");
        assert_eq!(env.name, "tests");
        assert_eq!(env.requirements, strings(&["b", "c"]));
        assert!(env.skip_install);
        assert_eq!(env.warnings.len(), 1);
        let alone = test_env(&envs(
            "[default]\ndependencies = [\"a\"]\n[test]\ntemplate = \"test\"\ndependencies = [\"t\"]\n",
        ))
        .expect("an env");
        assert_eq!(alone.requirements, strings(&["t"]));
    }

    #[test]
    fn hatch_test_brings_pytest_and_inherits_nothing() {
        let env = test_env(&envs(
            "[default]\ndependencies = [\"a\"]\n[hatch-test]\nextra-dependencies = [\"hypothesis\"]\nfeatures = [\"testing\"]\n",
        ))
        .expect("an env");
        assert_eq!(env.requirements, strings(&["pytest", "hypothesis"]));
        assert_eq!(env.features, strings(&["testing"]));
    }

    #[test]
    fn no_test_env() {
        assert_eq!(test_env(&envs("[docs]\ndependencies = [\"x\"]\n")), None);
        let cycle = test_env(&envs(
            "[test]\ntemplate = \"a\"\n[a]\ntemplate = \"test\"\n",
        ))
        .expect("an env");
        assert!(cycle.requirements.is_empty());
    }
}
