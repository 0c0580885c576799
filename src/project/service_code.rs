//! The services a project's code says its tests need, when its CI says nothing: the
//! `DATABASES` ENGINE of its Django test settings, else a compose file's services with a
//! well-known image. Only what is certain: settings that read the engine from the
//! environment, or disagree, say nothing.

use std::sync::LazyLock;

use regex::Regex;

use super::services::{self, Needs, Service, Variable, kind};
use crate::lint::yaml::{self, Node};

/// The compose files read, from the repository root.
pub(crate) const COMPOSE_FILES: &[&str] = &[
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
    "compose.dev.yml",
    "docker-compose.dev.yml",
    "docker-compose-dev.yml",
    "docker-compose.test.yml",
    ".devcontainer/docker-compose.yml",
    ".devcontainer/compose.yml",
];

static ENGINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"["']ENGINE["']\s*:\s*["']([\w.]+)["']"#).expect("valid regex"));
static STAR_IMPORT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^from\s+(\.*[\w.]*)\s+import\s+\*").expect("valid regex"));
/// `"NAME": "x"` in the `DATABASES` block: a literal value.
static LITERAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["'](NAME|USER|PASSWORD|HOST|PORT)["']\s*:\s*["']([^"'$`\\]*)["']"#)
        .expect("valid regex")
});
/// A value read from the environment: `env("DB_NAME")`, `os.environ["X"]`,
/// `os.environ.get("X")`, `os.getenv("X")`, `env.str("X")`.
static FROM_ENV: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?:env(?:\.\w+)?\(|environ\[|environ\.get\(|getenv\()\s*["']([A-Za-z_][A-Za-z0-9_]*)["']"#)
        .expect("valid regex")
});

/// A `DATABASES` key whose value is read from the environment, and the variable.
static KEYED_ENV: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"["'](NAME|USER|PASSWORD|HOST|PORT)["']\s*:\s*(?:[\w.]*env(?:\.\w+)?\(|[\w.]*environ\[|[\w.]*environ\.get\(|[\w.]*getenv\()\s*["']([A-Za-z_][A-Za-z0-9_]*)["']"#)
        .expect("valid regex")
});

/// `DATABASES = {` (or `DATABASES: dict[…] = {`) at the start of a line.
static ASSIGNMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?m)^DATABASES\s*(?::[^=\n]*)?=\s*\{").expect("valid regex"));

/// The `{…}` that `text` opens, to its matching brace (the rest of `text` when it does not
/// close): `NAME` in the validators after a one-line `DATABASES` is not the database's.
fn braced(text: &str) -> &str {
    let mut depth = 0_usize;
    for (at, character) in text.char_indices() {
        match character {
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return &text[..=at];
                }
            }
            _ => {}
        }
    }
    text
}

/// What a settings module's `DATABASES` says.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Database {
    /// SQLite, or an engine no service runs: the tests need no server.
    Local,
    /// A server, the image repository that runs it, and the `DATABASES` block.
    Server(&'static str, String),
}

/// The database of settings module `module` (`config.settings`), following `from x import
/// *` when the module sets no `DATABASES` itself; `None` when it cannot be told.
fn database(module: &str, read: &dyn Fn(&str) -> Option<String>, depth: usize) -> Option<Database> {
    let path = module.replace('.', "/");
    let text = read(&format!("{path}.py")).or_else(|| read(&format!("{path}/__init__.py")))?;
    if let Some(found) = ASSIGNMENT.find(&text) {
        let block = braced(&text[found.end() - 1..]);
        let engine = ENGINE.captures(block)?[1].to_string();
        return Some(
            if engine.contains("postgres") || engine.contains("postgis") {
                Database::Server("postgres", block.to_string())
            } else if engine.contains("mysql") {
                Database::Server("mysql", block.to_string())
            } else {
                Database::Local
            },
        );
    }
    if depth == 0 {
        return None;
    }
    STAR_IMPORT.captures_iter(&text).find_map(|captures| {
        let imported = &captures[1];
        let base = if let Some(relative) = imported.strip_prefix('.') {
            let mut parent: Vec<&str> = module.split('.').collect();
            parent.pop();
            let mut rest = relative;
            while let Some(up) = rest.strip_prefix('.') {
                parent.pop();
                rest = up;
            }
            parent.push(rest);
            parent.retain(|part| !part.is_empty());
            parent.join(".")
        } else {
            imported.to_string()
        };
        database(&base, read, depth - 1)
    })
}

/// What a project's settings say of the services its tests need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Nothing certain: the engine is read from the environment, or the settings disagree.
    Unclear,
    /// SQLite, or an engine no service runs: the tests need no server.
    NoServer,
    Server(Needs),
}

/// The services of a compose file and the variables pointing at them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Compose {
    pub(crate) path: String,
    pub(crate) services: Vec<Service>,
    pub(crate) variables: Vec<Variable>,
    pub(crate) left_out: Vec<String>,
}

/// What the Django settings say the tests need. `modules`: the test settings module when it
/// is known, else every settings module of the project (they must agree).
pub(crate) fn django(
    modules: &[String],
    known: bool,
    read: &dyn Fn(&str) -> Option<String>,
    compose: &[Service],
) -> Verdict {
    let found: Vec<(String, Database)> = modules
        .iter()
        .filter_map(|module| Some((module.clone(), database(module, read, 3)?)))
        .collect();
    let Some((module, first)) = found.first() else {
        return Verdict::Unclear;
    };
    if !known && found.iter().any(|(_, database)| database != first) {
        return Verdict::Unclear;
    }
    let Database::Server(repository, block) = first else {
        return Verdict::NoServer;
    };
    let image = compose
        .iter()
        .find(|service| kind(&service.image) == kind(repository))
        .map_or_else(
            || (*repository).to_string(),
            |service| service.image.clone(),
        );
    let literal = |key: &str| {
        LITERAL
            .captures_iter(block)
            .find(|captures| &captures[1] == key)
            .map(|captures| captures[2].to_string())
    };
    // A key read from the environment (`"NAME": env("DB_NAME")`) gets the value of the
    // service pybootstrap starts, which pybootstrap chooses: nothing of the project's is
    // guessed, and the variable is set to match.
    let from_env = |key: &str| {
        KEYED_ENV
            .captures_iter(block)
            .find(|captures| &captures[1] == key)
            .map(|captures| captures[2].to_string())
    };
    let postgres = *repository == "postgres";
    // user, password, database, port
    let chosen = if postgres {
        ["postgres", "postgres", "postgres", "5432"]
    } else {
        ["root", "mysql", "test", "3306"]
    };
    let mut variables: Vec<(String, Option<String>)> = Vec::new();
    let mut value = |key: &str, chosen: &str| -> Option<String> {
        if let Some(literal) = literal(key).filter(|value| !value.is_empty()) {
            return Some(literal);
        }
        let variable = from_env(key)?;
        variables.push((variable, Some(chosen.to_string())));
        Some(chosen.to_string())
    };
    let user = value("USER", chosen[0]);
    let password = value("PASSWORD", chosen[1]);
    let name = value("NAME", chosen[2]);
    // A job beside the service reaches it by its name; on the runner that is `localhost`.
    let host = value("HOST", repository).unwrap_or_default();
    let port = value("PORT", chosen[3]).and_then(|port| port.parse::<u16>().ok());
    // No host is libpq's default, a Unix socket no service container has; `PGHOST` is
    // where libpq looks first then.
    if postgres && host.is_empty() {
        variables.push(("PGHOST".to_string(), Some((*repository).to_string())));
    }
    let mut env = Vec::new();
    let mut put = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            env.push((name.to_string(), Some(value)));
        }
    };
    if postgres {
        put("POSTGRES_USER", user);
        put("POSTGRES_DB", name);
        // Settings with no password connect with none: the server must let them.
        let trust = password.is_none().then(|| "trust".to_string());
        put("POSTGRES_PASSWORD", password);
        put("POSTGRES_HOST_AUTH_METHOD", trust);
    } else {
        put("MYSQL_DATABASE", name);
        if user.as_deref().is_none_or(|user| user == "root") {
            let empty = password.is_none().then(|| "yes".to_string());
            put("MYSQL_ROOT_PASSWORD", password);
            put("MYSQL_ALLOW_EMPTY_PASSWORD", empty);
        } else {
            put("MYSQL_USER", user);
            put("MYSQL_PASSWORD", password);
            put("MYSQL_RANDOM_ROOT_PASSWORD", Some("yes".to_string()));
        }
    }
    let (env, _) = services::variables(env);
    let default_port = chosen[3].parse::<u16>().unwrap_or_default();
    let ports = port
        .filter(|port| *port != default_port)
        .map(|port| vec![(port, default_port)])
        .unwrap_or_default();
    let Ok(service) = Service::new(repository, &image, env, ports, "") else {
        return Verdict::Unclear;
    };
    let (variables, _) = services::variables(variables);
    let set: Vec<&str> = variables
        .iter()
        .map(|variable| variable.name.as_str())
        .collect();
    let mut unknown: Vec<String> = FROM_ENV
        .captures_iter(block)
        .map(|captures| captures[1].to_string())
        .filter(|name| !set.contains(&name.as_str()))
        .collect();
    // A host other than the machine's or the service's is one the tests cannot be given.
    let local_only =
        matches!(host.as_str(), "localhost" | "127.0.0.1") || (!postgres && host.is_empty());
    if !local_only && !host.is_empty() && host != *repository {
        unknown.push("HOST".to_string());
    }
    Verdict::Server(Needs {
        source: super::services::Source::Settings {
            module: module.clone(),
        },
        services: vec![service],
        variables,
        left_out: Vec::new(),
        unknown,
        local_only,
    })
}

/// The services with a well-known image of the first compose file that has any, and the
/// variables the file's other services set that point at them (`DATABASE_URI` naming
/// host `postgres`).
pub(crate) fn compose(files: &[(String, String)]) -> Option<Compose> {
    files.iter().find_map(|(path, text)| {
        let roots = yaml::parse(text);
        let section = roots
            .iter()
            .find(|node| node.key.as_deref() == Some("services"))?;
        let mut left_out = Vec::new();
        let known: Vec<Service> = section
            .children
            .iter()
            .filter_map(|node| {
                let name = node.key.as_deref()?;
                let image = node.get("image")?.scalar()?;
                kind(&image)?;
                let (env, secrets) = services::variables(environment(node.get("environment")));
                left_out.extend(secrets);
                Service::new(name, &image, env, Vec::new(), "").ok()
            })
            .collect();
        if known.is_empty() {
            return None;
        }
        let mut pairs = Vec::new();
        for node in &section.children {
            if node
                .key
                .as_deref()
                .is_some_and(|name| known.iter().any(|service| service.name == name))
            {
                continue;
            }
            pairs.extend(environment(node.get("environment")));
        }
        let (variables, _) = services::variables(pairs);
        // Only what points at a service: the app's other settings are not the tests' needs.
        let variables = variables
            .into_iter()
            .filter(|variable| services::on_runner(variable, &known) != variable.value)
            .collect();
        Some(Compose {
            path: path.clone(),
            services: known,
            variables,
            left_out,
        })
    })
}

/// A compose `environment:`: a map, or a list of `NAME=value`.
fn environment(node: Option<&Node>) -> Vec<(String, Option<String>)> {
    let Some(node) = node else {
        return Vec::new();
    };
    if node.children.iter().any(|child| child.item) {
        return node
            .list()
            .iter()
            .filter_map(|item| item.split_once('='))
            .map(|(name, value)| (name.to_string(), Some(value.to_string())))
            .collect();
    }
    crate::ci::pairs(Some(node))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(files: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |path| {
            files
                .iter()
                .find(|(name, _)| *name == path)
                .map(|(_, text)| (*text).to_string())
        }
    }

    fn server(verdict: Verdict) -> Needs {
        match verdict {
            Verdict::Server(needs) => needs,
            other => panic!("no server: {other:?}"),
        }
    }

    const POSTGRES: &str = "DATABASES = {\n    \"default\": {\n        \"ENGINE\": \"django.db.backends.postgresql\",\n        \"NAME\": \"shop\",\n        \"USER\": \"shop\",\n        \"PASSWORD\": \"secret\",\n        \"HOST\": \"localhost\",\n    }\n}\n";

    #[test]
    fn a_postgres_engine_needs_postgres_with_the_settings_values() {
        let read = reader(&[("site/settings.py", POSTGRES)]);
        let needs = server(django(&["site.settings".into()], true, &read, &[]));
        assert_eq!(needs.services[0].image, "postgres:17");
        let env: Vec<(&str, &str)> = needs.services[0]
            .env
            .iter()
            .map(|v| (v.name.as_str(), v.value.as_str()))
            .collect();
        assert_eq!(
            env,
            [
                ("POSTGRES_USER", "shop"),
                ("POSTGRES_DB", "shop"),
                ("POSTGRES_PASSWORD", "secret")
            ]
        );
        assert!(needs.in_ci());
        // `"HOST": "localhost"` reaches the service only from a job on the runner.
        assert!(!needs.in_containers());
    }

    #[test]
    fn no_host_is_libpqs_socket_so_pghost_points_at_the_service() {
        let read = reader(&[(
            "site/settings.py",
            "DATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.postgresql\", \"NAME\": \"shop\"}}\n",
        )]);
        let needs = server(django(&["site.settings".into()], true, &read, &[]));
        assert_eq!(needs.variables[0].name, "PGHOST");
        assert_eq!(needs.variables[0].value, "postgres");
        assert!(needs.in_containers());
        let mysql = reader(&[(
            "site/settings.py",
            "DATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.mysql\", \"NAME\": \"shop\"}}\n",
        )]);
        let needs = server(django(&["site.settings".into()], true, &mysql, &[]));
        assert!(needs.in_ci() && !needs.in_containers());
    }

    #[test]
    fn only_the_databases_dict_is_read() {
        let read = reader(&[(
            "site/settings.py",
            "# DATABASES below\nDATABASES: dict[str, dict] = {\"default\": {\"ENGINE\": \"django.db.backends.postgresql\", \"USER\": \"app\"}}\nAUTH_PASSWORD_VALIDATORS = [{\"NAME\": \"django.contrib.auth.password_validation.MinimumLengthValidator\"}]\n",
        )]);
        let needs = server(django(&["site.settings".into()], true, &read, &[]));
        let env: Vec<&str> = needs.services[0]
            .env
            .iter()
            .map(|variable| variable.name.as_str())
            .collect();
        assert_eq!(env, ["POSTGRES_USER", "POSTGRES_HOST_AUTH_METHOD"]);
        assert_eq!(braced("{a {b} c} d"), "{a {b} c}");
        assert_eq!(braced("{open"), "{open");
    }

    #[test]
    fn sqlite_test_settings_need_nothing_though_the_base_uses_postgres() {
        let read = reader(&[
            ("config/settings.py", POSTGRES),
            (
                "config/local.py",
                "from .settings import *\nDATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.sqlite3\"}}\n",
            ),
        ]);
        assert_eq!(
            django(&["config.local".into()], true, &read, &[]),
            Verdict::NoServer
        );
    }

    #[test]
    fn star_imports_are_followed_and_env_values_stay_unknown() {
        let read = reader(&[
            (
                "app/settings/base.py",
                "DATABASES = {\n    \"default\": {\n        \"ENGINE\": \"django.db.backends.postgresql_psycopg2\",\n        \"NAME\": env(\"DB_NAME\"),\n        \"PASSWORD\": os.environ.get(\"DB_PASSWORD\"),\n    }\n}\n",
            ),
            (
                "app/settings/test.py",
                "from app.settings.base import *\nDEBUG = False\n",
            ),
        ]);
        let compose = [Service::new("db", "postgres:15", vec![], vec![], "").expect("valid")];
        let needs = server(django(&["app.settings.test".into()], true, &read, &compose));
        assert_eq!(needs.services[0].image, "postgres:15");
        // The variables get the values of the service pybootstrap starts.
        assert!(needs.unknown.is_empty());
        let variables: Vec<(&str, &str)> = needs
            .variables
            .iter()
            .map(|variable| (variable.name.as_str(), variable.value.as_str()))
            .collect();
        assert_eq!(
            variables,
            [
                ("DB_PASSWORD", "postgres"),
                ("DB_NAME", "postgres"),
                ("PGHOST", "postgres")
            ]
        );
        let env: Vec<&str> = needs.services[0]
            .env
            .iter()
            .map(|v| v.name.as_str())
            .collect();
        assert_eq!(env, ["POSTGRES_DB", "POSTGRES_PASSWORD"]);
        assert!(needs.in_ci());
    }

    #[test]
    fn an_engine_from_the_environment_or_disagreeing_settings_say_nothing() {
        let read = reader(&[
            (
                "a/settings.py",
                "DATABASES = {\"default\": dj_database_url.config()}\n",
            ),
            ("b/settings.py", POSTGRES),
            (
                "c/settings.py",
                "DATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.sqlite3\"}}\n",
            ),
        ]);
        assert_eq!(
            django(&["a.settings".into()], true, &read, &[]),
            Verdict::Unclear
        );
        assert_eq!(
            django(
                &["b.settings".into(), "c.settings".into()],
                false,
                &read,
                &[]
            ),
            Verdict::Unclear
        );
    }

    #[test]
    fn compose_services_with_well_known_images_and_the_variables_pointing_at_them() {
        let text = "services:\n  app:\n    build: .\n    environment:\n      DATABASE_URI: postgresql://postgres:pw@postgres:5432/app\n      DEBUG: \"1\"\n  postgres:\n    image: postgres:15-alpine\n    environment:\n      POSTGRES_PASSWORD: pw\n      POSTGRES_USER: ${PGUSER:-postgres}\n  web:\n    image: nginx\n";
        let Compose {
            path,
            services: found,
            variables,
            left_out,
        } = compose(&[("docker-compose.yml".into(), text.into())]).expect("found");
        assert_eq!(path, "docker-compose.yml");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].env.len(), 1);
        assert_eq!(left_out, ["POSTGRES_USER"]);
        assert_eq!(variables.len(), 1);
        assert_eq!(variables[0].name, "DATABASE_URI");
        let list = "services:\n  cache:\n    image: redis:7\n  app:\n    environment:\n      - REDIS_URL=redis://cache:6379/0\n";
        let Compose {
            services: found,
            variables,
            ..
        } = compose(&[("compose.yml".into(), list.into())]).expect("found");
        assert_eq!(found[0].name, "cache");
        assert_eq!(variables[0].value, "redis://cache:6379/0");
        assert!(
            compose(&[(
                "compose.yml".into(),
                "services:\n  web:\n    image: nginx\n".into()
            )])
            .is_none()
        );
    }
}
