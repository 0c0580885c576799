//! `--set KEY=VALUE`: dotted keys exactly as in `pybootstrap.toml`; lists comma-separated
//! (`python.versions=3.12,3.13`), booleans `true`/`false` (or `yes`/`no`, `on`/`off`), one pinned action per argument
//! (`ci.actions.actions/checkout=<sha> # v5.0.0`), `templates=` (empty) for the built-in
//! templates.

use super::error::{Error, Location, Problem};
use super::keys::{self, Kind};
use super::versions::parse_minor;

/// One parsed, validated `--set`.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The dotted key (`ci.actions.OWNER/REPO` for one action).
    pub key: String,
    pub value: toml::Value,
}

impl Assignment {
    /// Whether the key lies inside the table `section` (`tasks.test` inside `tasks`).
    pub(crate) fn is_under(&self, section: &str) -> bool {
        self.key
            .strip_prefix(section)
            .is_some_and(|rest| rest.starts_with('.'))
    }

    /// The `OWNER/REPO` of a `ci.actions.OWNER/REPO` assignment: the action it pins.
    pub(crate) fn action(&self) -> Option<&str> {
        self.key.strip_prefix("ci.actions.")
    }
}

/// Parses and validates every `--set` of a command line, in order.
pub(crate) fn parse_sets(texts: &[String]) -> Result<Vec<Assignment>, Error> {
    texts.iter().map(|text| parse_set(text)).collect()
}

/// Parses and validates one `--set KEY=VALUE`.
pub fn parse_set(text: &str) -> Result<Assignment, Error> {
    let Some((key, raw)) = text.split_once('=') else {
        return Err(Error::SetSyntax {
            text: text.to_string(),
        });
    };
    let key = key.trim();
    let at = || Location::Set {
        text: text.to_string(),
    };
    let value = parse_value(key, raw).map_err(|error| match error {
        ParseError::UnknownKey => Error::UnknownKey {
            at: at(),
            key: key.to_string(),
        },
        ParseError::Problem(problem) => problem.at(key, at()),
    })?;
    Ok(Assignment {
        key: key.to_string(),
        value,
    })
}

/// Reads a reply typed at a prompt for `key`, like `--set` does.
pub(crate) fn typed_value(key: &str, text: &str) -> Result<toml::Value, Error> {
    parse_value(key, text).map_err(|error| match error {
        ParseError::UnknownKey => Error::UnknownKey {
            at: Location::Prompt,
            key: key.to_string(),
        },
        ParseError::Problem(problem) => problem.at(key, Location::Prompt),
    })
}

/// Why a typed value could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ParseError {
    UnknownKey,
    Problem(Problem),
}

impl From<Problem> for ParseError {
    fn from(problem: Problem) -> Self {
        Self::Problem(problem)
    }
}

/// Reads `text` as typed for `key` (the `--set` and prompt syntax) and validates it.
pub(crate) fn parse_value(key: &str, text: &str) -> Result<toml::Value, ParseError> {
    let info = keys::find_key(key).ok_or(ParseError::UnknownKey)?;
    let text = text.trim();
    let value = if key.starts_with("ci.actions.") {
        toml::Value::String(text.to_string())
    } else {
        match info.kind {
            Kind::Integer => text
                .parse::<i64>()
                .map(toml::Value::Integer)
                .map_err(|_| Problem::invalid(text, "is not a number"))?,
            Kind::String => toml::Value::String(text.to_string()),
            // The prompts offer yes/no, so `--set` takes the same words as `true`/`false`.
            Kind::Bool => match text.to_ascii_lowercase().as_str() {
                "true" | "yes" | "on" => toml::Value::Boolean(true),
                "false" | "no" | "off" => toml::Value::Boolean(false),
                _ => {
                    return Err(Problem::invalid(
                        text,
                        "is not `true` or `false` (`yes`/`no` and `on`/`off` work too)",
                    )
                    .into());
                }
            },
            Kind::List => {
                let mut items: Vec<String> = text
                    .split(',')
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(str::to_string)
                    .collect();
                if key == "python.versions" && items.iter().all(|item| parse_minor(item).is_some())
                {
                    // Typed lists need not be in order; the file keeps them oldest first.
                    items.sort_by_key(|item| parse_minor(item));
                    items.dedup();
                }
                toml::Value::Array(items.into_iter().map(toml::Value::String).collect())
            }
            Kind::Table => {
                return Err(Problem::Invalid {
                    value: format!("`{}`", text.escape_debug()),
                    reason: "cannot be set as a whole; set one action at a time with `ci.actions.OWNER/REPO=<sha> # vX.Y.Z`".to_string(),
                }
                .into());
            }
        }
    };
    // `templates=` (empty) means "the built-in templates", which the file says by leaving
    // the key out.
    if !(key == "templates" && value.as_str() == Some("")) {
        keys::check_value(key, &value)?;
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(value: &toml::Value) -> Vec<&str> {
        value
            .as_array()
            .expect("a list")
            .iter()
            .map(|item| item.as_str().expect("a string"))
            .collect()
    }

    #[test]
    fn lists_booleans_and_choices() {
        let set = parse_set("python.versions=3.13, 3.12,3.13").expect("valid");
        assert_eq!(set.key, "python.versions");
        assert_eq!(strings(&set.value), vec!["3.12", "3.13"]);
        assert_eq!(
            parse_set("ci.pep668_job=false").expect("valid").value,
            toml::Value::Boolean(false)
        );
        assert_eq!(
            parse_set("env.backend=uv").expect("valid").value,
            toml::Value::String("uv".into())
        );
        assert_eq!(
            strings(
                &parse_set("ci.providers=github,gitlab")
                    .expect("valid")
                    .value
            ),
            vec!["github", "gitlab"]
        );
        assert_eq!(
            strings(&parse_set("lint.ignore=").expect("valid").value),
            Vec::<&str>::new()
        );
        assert_eq!(
            strings(&parse_set("ci.providers=").expect("valid").value),
            Vec::<&str>::new()
        );
        assert_eq!(
            parse_set("tasks.test=pytest -k 'a and b' $(x)")
                .expect("valid")
                .value,
            toml::Value::String("pytest -k 'a and b' $(x)".into())
        );
    }

    #[test]
    fn booleans_take_the_words_the_prompt_offers() {
        for (text, expected) in [
            ("yes", true),
            ("YES", true),
            ("On", true),
            ("true", true),
            ("TRUE", true),
            ("no", false),
            ("No", false),
            ("off", false),
            ("OFF", false),
            ("False", false),
            (" yes ", true),
        ] {
            assert_eq!(
                parse_set(&format!("make.enabled={text}"))
                    .expect("a boolean word")
                    .value,
                toml::Value::Boolean(expected),
                "{text:?}"
            );
        }
        for text in ["y", "1", "0", "maybe", ""] {
            let error = parse_set(&format!("make.enabled={text}")).expect_err(text);
            assert!(error.to_string().contains("`yes`/`no`"), "{error}");
        }
    }

    #[test]
    fn one_action_at_a_time() {
        let set = parse_set(
            "ci.actions.actions/checkout=08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0",
        )
        .expect("valid");
        assert_eq!(set.key, "ci.actions.actions/checkout");
        assert!(parse_set("ci.actions.actions/checkout=v5").is_err());
        assert!(parse_set("ci.actions=x").is_err());
        assert!(parse_set("ci.actions.noslash=08c6903cd8c0fde910a37f88322edcfb5dd907a8").is_err());
    }

    #[test]
    fn unknown_key_lists_the_valid_keys() {
        let error = parse_set("python.version=3.12").expect_err("unknown");
        assert!(matches!(error, Error::UnknownKey { .. }));
        let hint = error.hint().expect("a hint");
        assert!(hint.contains("did you mean `python.versions`"), "{hint}");
        for info in keys::keys() {
            assert!(hint.contains(info.key), "{hint}");
        }
    }

    #[test]
    fn bad_values_list_the_valid_values() {
        let error = parse_set("env.backend=conda").expect_err("invalid");
        let message = error.to_string();
        assert!(message.contains("`--set env.backend=conda`"), "{message}");
        assert!(message.contains("`conda`"), "{message}");
        assert!(
            message.contains("`venv`, `uv` or `virtualenv`"),
            "{message}"
        );
        let message = parse_set("python.versions=3.8")
            .expect_err("unsupported")
            .to_string();
        assert!(
            message.contains("`3.8`") && message.contains("`3.9` to `3.15`"),
            "{message}"
        );
        assert!(parse_set("make.enabled=maybe").is_err());
        assert!(parse_set("env.dir=../outside").is_err());
        assert!(parse_set("schema=2").is_err());
        assert!(matches!(
            parse_set("no-equals-sign"),
            Err(Error::SetSyntax { .. })
        ));
    }

    #[test]
    fn keys_are_matched_by_their_path() {
        let set = parse_set("tasks.test=pytest").expect("valid");
        assert!(set.is_under("tasks"));
        assert!(!set.is_under("task"));
        assert!(!set.is_under("tasks.test"));
        assert_eq!(set.action(), None);
        let set = parse_set(
            "ci.actions.actions/checkout=08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0",
        )
        .expect("valid");
        assert!(set.is_under("ci") && set.is_under("ci.actions"));
        assert_eq!(set.action(), Some("actions/checkout"));
    }

    #[test]
    fn empty_templates_means_built_in() {
        assert_eq!(
            parse_set("templates=").expect("valid").value,
            toml::Value::String(String::new())
        );
    }
}
