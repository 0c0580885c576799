//! The services a project's tests need (a database, a cache) and the variables that point
//! the tests at them: the model every reader fills (the project's own CI job, its Django
//! settings, its compose file), the checks every value passes before it can reach a
//! generated file, and the host names as each kind of job reaches a service.

use std::sync::LazyLock;

use regex::Regex;

/// What the tests need, and where it was read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Needs {
    /// Where it was read.
    pub(crate) source: Source,
    pub(crate) services: Vec<Service>,
    /// The variables the tests read, as a job beside the services (GitLab's, or a GitHub
    /// job in a container) reaches them: a service's host is its name.
    pub(crate) variables: Vec<Variable>,
    /// Variables the source sets to something not copied: a secret or a value made at run
    /// time (`${{ … }}`, `$X`). Their names only.
    pub(crate) left_out: Vec<String>,
    /// Variables the settings read from the environment whose values nothing in the
    /// repository gives: named in the note and the docs, set by nobody.
    pub(crate) unknown: Vec<String>,
    /// The tests reach the services at the machine's own address, written into the
    /// settings (`"HOST": "localhost"`): only a job on the runner, where the services
    /// publish their ports, can start them for the tests, never a job in a container.
    pub(crate) local_only: bool,
}

impl Needs {
    /// What a CI job `job` of the file `path` says: its services and the variables it sets
    /// for them, with the names of those left out.
    pub(crate) fn of_job(
        job: &str,
        path: &str,
        services: Vec<Service>,
        variables: Vec<Variable>,
        left_out: Vec<String>,
    ) -> Self {
        Self {
            source: Source::Job {
                job: job.to_string(),
                path: path.to_string(),
            },
            services,
            variables,
            left_out,
            unknown: Vec::new(),
            local_only: false,
        }
    }
}

/// Where the services were read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum Source {
    /// A CI job: its name and its file.
    Job { job: String, path: String },
    /// A Django settings module.
    Settings { module: String },
    /// A compose file.
    Compose { path: String },
    #[default]
    Nowhere,
}

impl Source {
    /// In words, each name from a file put through `code` (a backtick span, escaped).
    pub(crate) fn words(&self, code: &dyn Fn(&str) -> String) -> String {
        match self {
            Self::Job { job, path } => format!("the {} job of {}", code(job), code(path)),
            Self::Settings { module } => format!("the Django settings {}", code(module)),
            Self::Compose { path } => code(path),
            Self::Nowhere => String::new(),
        }
    }
}

/// One service container.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Service {
    /// Its name, the host a job beside it reaches it at (GitHub's label, GitLab's alias).
    pub(crate) name: String,
    pub(crate) image: String,
    /// The container's own variables (`POSTGRES_PASSWORD`).
    pub(crate) env: Vec<Variable>,
    /// The ports it publishes on the runner: `(host, container)`.
    pub(crate) ports: Vec<(u16, u16)>,
    /// `docker create` options (GitHub's `options:`, a health check): `""` for none.
    pub(crate) options: String,
}

/// A variable and its value, both checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Variable {
    pub(crate) name: String,
    pub(crate) value: String,
}

impl Variable {
    /// Whether a value that is only a name is a host (`DB_HOST=postgres`): the variable's
    /// name says so. `DB_USER=postgres` names the service's user, not the service.
    fn names_a_host(&self) -> bool {
        ["HOST", "SERVER", "ADDR"]
            .iter()
            .any(|word| self.name.contains(word))
    }
}

/// Well-known images: the last part of the image's repository, what it is, the port it
/// listens on, and the tag an image named without one gets (its current major release; a
/// tagless image is `latest`, which zizmor rightly refuses in a workflow).
const KINDS: &[(&str, &str, u16, Option<&str>)] = &[
    ("postgres", "PostgreSQL", 5432, Some("17")),
    ("postgresql", "PostgreSQL", 5432, Some("17")),
    ("postgis", "PostgreSQL", 5432, None),
    ("mysql", "MySQL", 3306, Some("8.4")),
    ("mariadb", "MariaDB", 3306, Some("11.4")),
    ("redis", "Redis", 6379, Some("7")),
    ("mongo", "MongoDB", 27017, Some("8")),
    ("mongodb", "MongoDB", 27017, None),
    ("rabbitmq", "RabbitMQ", 5672, Some("4")),
    ("memcached", "Memcached", 11211, Some("1.6")),
    ("elasticsearch", "Elasticsearch", 9200, None),
];

/// Variables never copied, by prefix: pybootstrap's own jobs set them (`PIP_*`, `UV_*`,
/// `PYBOOTSTRAP_*`), the bootstrap reads them (`PYTHON`, and it refuses to run with
/// `PYTHONHOME`/`PYTHONPATH` set), or the CI system owns them.
const NOT_COPIED_PREFIXES: &[&str] = &[
    "PIP_",
    "UV_",
    "PYBOOTSTRAP_",
    "PYTHON",
    "GITHUB_",
    "RUNNER_",
    "CI_",
];

/// Variables never copied, by name: they would change where the jobs find their tools.
const NOT_COPIED: &[&str] = &["DEBIAN_FRONTEND", "PATH", "HOME", "VIRTUAL_ENV"];

static NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z_][A-Za-z0-9_-]{0,62}$").expect("valid regex"));
static VARIABLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$").expect("valid regex"));
static IMAGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-z0-9][a-z0-9._/-]{0,199}(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[0-9a-f]{64})?$")
        .expect("valid regex")
});

/// The image's kind and port, when it is a well-known one (`postgres:15-alpine`,
/// `docker.io/library/redis`, `bitnami/postgresql:16`).
pub(crate) fn kind(image: &str) -> Option<(&'static str, u16)> {
    let repository = image.split('@').next().unwrap_or_default();
    // A registry's port (`host:5000/x`) is not a tag: the tag follows the last `/`.
    let last = repository.rsplit('/').next().unwrap_or_default();
    let last = last.split(':').next().unwrap_or_default();
    KINDS
        .iter()
        .find(|(name, ..)| *name == last)
        .map(|(_, kind, port, _)| (*kind, *port))
}

/// `image` with its kind's tag when it names none (`postgres` → `postgres:17`).
fn pinned(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or_default();
    if last.contains([':', '@']) {
        return image.to_string();
    }
    KINDS
        .iter()
        .find(|(name, ..)| *name == last)
        .and_then(|(.., tag)| *tag)
        .map_or_else(|| image.to_string(), |tag| format!("{image}:{tag}"))
}

impl Service {
    /// A service from what a file says, every value checked: `Err` names what is refused.
    pub(crate) fn new(
        name: &str,
        image: &str,
        env: Vec<Variable>,
        ports: Vec<(u16, u16)>,
        options: &str,
    ) -> Result<Self, String> {
        if !NAME.is_match(name) {
            return Err(format!("service name `{name}`"));
        }
        if !IMAGE.is_match(image) {
            return Err(format!("image `{image}` of service `{name}`"));
        }
        // A folded `options: >-` block is one line of options.
        let options = options.split_whitespace().collect::<Vec<_>>().join(" ");
        if !plain(&options) {
            return Err(format!("options of service `{name}`"));
        }
        Ok(Self {
            name: name.to_string(),
            image: pinned(image),
            env,
            ports,
            options,
        })
    }

    /// What it is, for people: `PostgreSQL`, else its image's repository.
    pub(crate) fn label(&self) -> String {
        kind(&self.image).map_or_else(
            || {
                self.image
                    .split([':', '@'])
                    .next()
                    .unwrap_or_default()
                    .to_string()
            },
            |(kind, _)| kind.to_string(),
        )
    }

    /// The ports to publish on a runner: the ones read, else the well-known port of its
    /// kind (a service read from GitLab or compose publishes none).
    pub(crate) fn published(&self) -> Vec<(u16, u16)> {
        if self.ports.is_empty() {
            kind(&self.image)
                .map(|(_, port)| vec![(port, port)])
                .unwrap_or_default()
        } else {
            self.ports.clone()
        }
    }
}

/// Text with no control character and nothing a shell or CI expands (`$`, a backtick).
fn plain(text: &str) -> bool {
    !text.chars().any(|c| c.is_control() || c == '$' || c == '`')
}

/// A `HOST:CONTAINER` (or bare `PORT`) port mapping, `/tcp` allowed.
pub(crate) fn port(text: &str) -> Option<(u16, u16)> {
    let text = text.trim().trim_matches(['"', '\'']);
    let text = text.strip_suffix("/tcp").unwrap_or(text);
    match text.split_once(':') {
        Some((host, container)) => Some((host.parse().ok()?, container.parse().ok()?)),
        None => text.parse().ok().map(|port| (port, port)),
    }
}

/// Sorts `(name, value)` pairs read from a file into the variables kept and the names left
/// out: a value with `$` (a secret, an expression, another variable) or one the reader
/// could not decode (`None`) is never copied, and neither is one of the variables the
/// jobs own (`NOT_COPIED`).
pub(crate) fn variables(pairs: Vec<(String, Option<String>)>) -> (Vec<Variable>, Vec<String>) {
    let mut kept: Vec<Variable> = Vec::new();
    let mut left_out = Vec::new();
    for (name, value) in pairs {
        if !VARIABLE.is_match(&name)
            || NOT_COPIED.contains(&name.as_str())
            || NOT_COPIED_PREFIXES
                .iter()
                .any(|prefix| name.starts_with(prefix))
        {
            continue;
        }
        // A later setting of the same name wins, as a job's `env` over its workflow's.
        kept.retain(|variable| variable.name != name);
        left_out.retain(|left| *left != name);
        match value {
            Some(value) if plain(&value) => kept.push(Variable { name, value }),
            _ => left_out.push(name),
        }
    }
    (kept, left_out)
}

/// Whether `text[at..at + len]` is a host: after `@`, after `//` with no `@` following in
/// the URL's authority (there it is a user name), or, when `whole` allows it, the whole
/// value (`HOST[:PORT]`).
fn host_at(text: &str, at: usize, len: usize, whole: bool) -> bool {
    let before = &text[..at];
    let rest = &text[at + len..];
    if !matches!(rest.chars().next(), None | Some(':' | '/' | '?')) {
        return false;
    }
    if before.ends_with('@') {
        return true;
    }
    if before.ends_with("//") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        return !authority.contains('@');
    }
    whole
        && before.is_empty()
        && (rest.is_empty()
            || rest
                .strip_prefix(':')
                .is_some_and(|port| !port.is_empty() && port.chars().all(|c| c.is_ascii_digit())))
}

/// The port right after a host ending at `end` (`:5432`), and where it ends.
fn port_after(text: &str, end: usize) -> Option<(u16, usize)> {
    let rest = text[end..].strip_prefix(':')?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((digits.parse().ok()?, end + 1 + digits.len()))
}

/// A host (and its port, if any) to the host and port that replace it, `None` to keep it.
type HostMap<'a> = dyn Fn(&str, Option<u16>) -> Option<(String, Option<u16>)> + 'a;

/// `value` with every host in `from` that `to` maps replaced: `to` takes the host and its
/// port (if any) and gives the new host and port.
fn rewrite(value: &str, from: &[&str], whole: bool, to: &HostMap<'_>) -> String {
    let mut out = String::new();
    let mut at = 0;
    'scan: while at < value.len() {
        for host in from {
            if value[at..].starts_with(host) && host_at(value, at, host.len(), whole) {
                let end = at + host.len();
                let (port, after) = match port_after(value, end) {
                    Some((port, after)) => (Some(port), after),
                    None => (None, end),
                };
                if let Some((new_host, new_port)) = to(host, port) {
                    out.push_str(&new_host);
                    if let Some(port) = new_port {
                        out.push_str(&format!(":{port}"));
                    }
                    at = after;
                    continue 'scan;
                }
            }
        }
        let next = value[at..].chars().next().map_or(1, char::len_utf8);
        out.push_str(&value[at..at + next]);
        at += next;
    }
    out
}

/// `value` as a job beside the services reaches them, from a value written for a job on
/// the runner (`localhost:5432` → `postgres:5432`): the service is the one publishing the
/// port, or the only one.
pub(crate) fn beside(variable: &Variable, services: &[Service]) -> String {
    let hosts = ["localhost", "127.0.0.1"];
    rewrite(
        &variable.value,
        &hosts,
        variable.names_a_host(),
        &|_, port| {
            let service = match port {
                Some(port) => services.iter().find_map(|service| {
                    service
                        .published()
                        .iter()
                        .find(|(host, _)| *host == port)
                        .map(|(_, container)| (service, Some(*container)))
                }),
                None => (services.len() == 1).then(|| (&services[0], None)),
            }?;
            Some((service.0.name.clone(), service.1))
        },
    )
}

/// `value` as a job on the runner reaches the services, which publish their ports there
/// (`postgres:5432` → `localhost:5432`).
pub(crate) fn on_runner(variable: &Variable, services: &[Service]) -> String {
    let names: Vec<&str> = services
        .iter()
        .map(|service| service.name.as_str())
        .collect();
    rewrite(
        &variable.value,
        &names,
        variable.names_a_host(),
        &|name, port| {
            let service = services.iter().find(|service| service.name == name)?;
            let port = port.map(|port| {
                service
                    .published()
                    .iter()
                    .find(|(_, container)| *container == port)
                    .map_or(port, |(host, _)| *host)
            });
            Some(("localhost".to_string(), port))
        },
    )
}

impl Needs {
    /// What `init` says about them.
    pub(crate) fn note(&self) -> String {
        let services: Vec<String> = self
            .services
            .iter()
            .map(|service| format!("{} (`{}`)", service.label(), service.image))
            .collect();
        let mut note = format!("the tests need {}", join(&services));
        let names: Vec<String> = self
            .variables
            .iter()
            .map(|variable| format!("`{}`", variable.name))
            .collect();
        let source = self.source.words(&|name| format!("`{name}`"));
        if let Source::Settings { .. } = self.source {
            note.push_str(&format!(", as {source} say"));
            if !names.is_empty() {
                note.push_str(&format!(
                    "; the variables they read get the values of the service pybootstrap starts: {}",
                    names.join(", ")
                ));
            }
        } else {
            if !names.is_empty() {
                note.push_str(&format!(" and these variables: {}", names.join(", ")));
            }
            note.push_str(&format!(", as {source} sets them"));
        }
        if !self.left_out.is_empty() {
            let names: Vec<String> = self
                .left_out
                .iter()
                .map(|name| format!("`{name}`"))
                .collect();
            note.push_str(&format!(
                "; not copied (a secret or a value set at run time): {}",
                names.join(", ")
            ));
        }
        if self.unknown.is_empty() && self.local_only {
            note.push_str("; the settings connect to `localhost` itself, where a job in a container cannot reach a service: pybootstrap starts them only in a GitHub test job on the runner (its whole pipeline's), never in its PEP 668 job or GitLab's jobs, which then run the tests without them (read the host from the environment to run them there too)");
        } else if self.unknown.is_empty() {
            note.push_str("; pybootstrap's CI jobs that run the tests start them too, and the contributor docs say how to start them locally");
        } else {
            let names: Vec<String> = self
                .unknown
                .iter()
                .map(|name| format!("`{name}`"))
                .collect();
            note.push_str(&format!(
                "; nothing in the repository gives a value for {} (read from the environment, or the settings' own host), so pybootstrap's CI does not start the service: set them and add it yourself",
                names.join(", ")
            ));
        }
        note
    }

    /// Whether pybootstrap's CI jobs on a runner start the services: it knows every value
    /// they need.
    pub(crate) fn in_ci(&self) -> bool {
        !self.services.is_empty() && self.unknown.is_empty()
    }

    /// Whether its jobs in a container (GitHub's PEP 668 job, GitLab's jobs) do too.
    pub(crate) fn in_containers(&self) -> bool {
        self.in_ci() && !self.local_only
    }
}

fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn postgres(ports: Vec<(u16, u16)>) -> Service {
        Service::new("postgres", "postgres:15", Vec::new(), ports, "").expect("valid")
    }

    #[test]
    fn well_known_images_have_a_kind() {
        let rows = [
            ("postgres:15-alpine", Some("PostgreSQL")),
            ("docker.io/library/redis:7", Some("Redis")),
            ("bitnami/postgresql:16", Some("PostgreSQL")),
            ("registry:5000/mysql", Some("MySQL")),
            ("mongo@sha256:0000", Some("MongoDB")),
            ("nginx:1", None),
            ("postgres-exporter", None),
        ];
        for (image, expected) in rows {
            assert_eq!(kind(image).map(|(kind, _)| kind), expected, "{image}");
        }
    }

    #[test]
    fn values_are_checked_before_they_are_kept() {
        assert!(
            Service::new(
                "postgres",
                "postgres:15",
                vec![],
                vec![],
                "--health-cmd pg_isready"
            )
            .is_ok()
        );
        assert!(Service::new("bad name", "postgres", vec![], vec![], "").is_err());
        assert!(Service::new("db", "postgres:15\nrun: x", vec![], vec![], "").is_err());
        assert!(Service::new("db", "${{ matrix.image }}", vec![], vec![], "").is_err());
        assert!(Service::new("db", "postgres", vec![], vec![], "--x $(id)").is_err());
        let (kept, left) = variables(vec![
            (
                "DATABASE_URI".into(),
                Some("postgresql://u:p@localhost/db".into()),
            ),
            ("TOKEN".into(), Some("${{ secrets.TOKEN }}".into())),
            ("HOME_DIR".into(), Some("$HOME/x".into())),
            ("PIP_REQUIRE_VIRTUALENV".into(), Some("false".into())),
            ("PATH".into(), Some("/opt/bin".into())),
            ("GITHUB_TOKEN".into(), Some("x".into())),
            ("bad-name".into(), Some("x".into())),
            ("MULTI".into(), Some("a\nb".into())),
        ]);
        assert_eq!(
            kept,
            [Variable {
                name: "DATABASE_URI".into(),
                value: "postgresql://u:p@localhost/db".into()
            }]
        );
        assert_eq!(left, ["TOKEN", "HOME_DIR", "MULTI"]);
    }

    #[test]
    fn a_later_setting_wins() {
        let (kept, left) = variables(vec![
            ("A".into(), Some("${{ secrets.A }}".into())),
            ("A".into(), Some("plain".into())),
        ]);
        assert_eq!(kept.len(), 1);
        assert!(left.is_empty());
    }

    fn variable(name: &str, value: &str) -> Variable {
        Variable {
            name: name.into(),
            value: value.into(),
        }
    }

    #[test]
    fn hosts_follow_the_job() {
        let services = [postgres(vec![(5433, 5432)])];
        assert_eq!(
            beside(
                &variable("URL", "postgresql://u:p@localhost:5433/db"),
                &services
            ),
            "postgresql://u:p@postgres:5432/db"
        );
        assert_eq!(
            beside(&variable("DB_HOST", "localhost"), &services),
            "postgres"
        );
        assert_eq!(
            beside(&variable("URL", "mylocalhost.example"), &services),
            "mylocalhost.example"
        );
        assert_eq!(
            on_runner(
                &variable(
                    "URL",
                    "postgresql+psycopg://postgres:pw@postgres:5432/testdb"
                ),
                &services
            ),
            "postgresql+psycopg://postgres:pw@localhost:5433/testdb"
        );
        assert_eq!(
            on_runner(&variable("PGHOST", "postgres"), &services),
            "localhost"
        );
        // A user or database named like the service is not a host.
        assert_eq!(
            on_runner(&variable("DB_USER", "postgres"), &services),
            "postgres"
        );
        assert_eq!(
            beside(&variable("DB_NAME", "localhost"), &services),
            "localhost"
        );
        // The user name `postgres` is not a host.
        assert_eq!(
            on_runner(&variable("URL", "postgres:pw"), &services),
            "postgres:pw"
        );
        let two = [
            postgres(vec![]),
            Service::new("redis", "redis:7", vec![], vec![], "").expect("valid"),
        ];
        assert_eq!(
            beside(&variable("URL", "redis://localhost:6379/0 localhost"), &two),
            "redis://redis:6379/0 localhost"
        );
    }

    #[test]
    fn an_image_without_a_tag_gets_its_kinds() {
        assert_eq!(pinned("postgres"), "postgres:17");
        assert_eq!(
            pinned("docker.io/library/redis"),
            "docker.io/library/redis:7"
        );
        assert_eq!(pinned("postgres:15"), "postgres:15");
        assert_eq!(pinned("registry:5000/mysql"), "registry:5000/mysql:8.4");
        assert_eq!(pinned("example/app"), "example/app");
    }

    #[test]
    fn ports_are_read() {
        assert_eq!(port("5432:5432"), Some((5432, 5432)));
        assert_eq!(port("'6379'"), Some((6379, 6379)));
        assert_eq!(port("5433:5432/tcp"), Some((5433, 5432)));
        assert_eq!(port("${{ x }}"), None);
    }
}
