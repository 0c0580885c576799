//! Behind a proxy, on a private index: the generated bootstrap given only `network.*` and
//! `HTTPS_PROXY`, against a real HTTPS index with a private CA reached through a real
//! CONNECT proxy (`tests/support/private_index.py`, 127.0.0.1 only); `doctor` naming the
//! untrusted issuer; a credential that stays out of every file. Slow tier: each test builds
//! a venv.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use pybootstrap::answers::{self, Answers, Backend, DepsSource, List, Problem};
use pybootstrap::render::Renderer;

use crate::support;

fn parsed<T: std::str::FromStr<Err = Problem>>(text: &str) -> T {
    text.parse()
        .unwrap_or_else(|problem| panic!("{text}: {problem}"))
}

/// A private CA and a `localhost` certificate it signs, made with the openssl CLI.
struct Certificates {
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

fn certificates(dir: &Path) -> Option<Certificates> {
    let openssl = support::tool("openssl")?;
    let run = |args: &[&str]| {
        let output = Command::new(&openssl)
            .args(args)
            .current_dir(dir)
            .output()
            .expect("run openssl");
        assert!(
            output.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Pybootstrap Test Root CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
    ]);
    fs_err::write(
        dir.join("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
         extendedKeyUsage=serverAuth\nkeyUsage=digitalSignature,keyEncipherment\n",
    )
    .expect("write extensions");
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "server.ext",
    ]);
    Some(Certificates {
        ca: dir.join("ca.pem"),
        cert: dir.join("server.pem"),
        key: dir.join("server.key"),
    })
}

/// Wheels from PyPI, downloaded once into the target directory and kept between runs (the
/// registry is reachable here and in CI; the tests themselves reach only 127.0.0.1).
pub(crate) fn pypi_wheels(key: &str, requirements: &[&str]) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("network-wheels")
        .join(key);
    let done = dir.join(".complete");
    if done.exists() {
        return dir;
    }
    let scratch = tempfile::tempdir().expect("temp dir");
    let venv = scratch.path().join("venv");
    let status = Command::new("/usr/bin/python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .status()
        .expect("make a venv");
    assert!(status.success());
    let output = Command::new(venv.join("bin/python"))
        .args([
            "-m",
            "pip",
            "download",
            "--quiet",
            "--only-binary=:all:",
            "--dest",
        ])
        .arg(&dir)
        .args(requirements)
        .env("PIP_CONFIG_FILE", "/dev/null")
        .env_remove("PIP_REQUIRE_VIRTUALENV")
        .output()
        .expect("pip download");
    assert!(
        output.status.success(),
        "pip download {requirements:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    fs_err::write(&done, "").expect("mark complete");
    dir
}

/// The index and proxy, killed when dropped.
struct Server {
    child: Child,
    index: u16,
    proxy: u16,
    log: PathBuf,
}

impl Server {
    fn start(dir: &Path, wheels: &Path, certificates: &Certificates, auth: Option<&str>) -> Self {
        let log = dir.join("server.log");
        let mut command = Command::new("/usr/bin/python3");
        command
            .arg("-I")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/private_index.py"))
            .arg("--wheels")
            .arg(wheels)
            .arg("--cert")
            .arg(&certificates.cert)
            .arg("--key")
            .arg(&certificates.key)
            .arg("--log")
            .arg(&log)
            .stdout(Stdio::piped());
        if let Some(auth) = auth {
            command.args(["--auth", auth]);
        }
        let mut child = command.spawn().expect("start the index");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("read the ports");
        let ports: serde_json::Value = serde_json::from_str(&line).expect("the ports as JSON");
        let port = |name: &str| {
            u16::try_from(ports[name].as_u64().expect("a port")).expect("a port number")
        };
        Self {
            index: port("index"),
            proxy: port("proxy"),
            child,
            log,
        }
    }

    fn index_url(&self) -> String {
        format!("https://localhost:{}/simple/", self.index)
    }

    fn proxy_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.proxy)
    }

    fn log(&self) -> String {
        fs_err::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Everything a test needs: certificates, the wheels served, the server, and a repository
/// holding the generated files, its own HOME and cache.
struct Setup {
    scratch: tempfile::TempDir,
    certificates: Certificates,
    wheels: PathBuf,
}

impl Setup {
    fn new() -> Option<Self> {
        support::python("/usr/bin/python3.11")?;
        let scratch = tempfile::tempdir().expect("temp dir");
        let certificates = certificates(scratch.path())?;
        let wheels = scratch.path().join("wheels");
        support::build_wheel(&wheels, "pbdemo", "1.0");
        Some(Self {
            scratch,
            certificates,
            wheels,
        })
    }

    /// Serves these PyPI wheels too (hard links into the served directory).
    fn serve_from_pypi(&self, key: &str, requirements: &[&str]) {
        let cached = pypi_wheels(key, requirements);
        for entry in fs_err::read_dir(&cached).expect("read cache") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|extension| extension == "whl") {
                let target = self.wheels.join(path.file_name().expect("name"));
                if !target.exists() {
                    fs_err::copy(&path, &target).expect("copy wheel");
                }
            }
        }
    }

    fn repo(&self, answers: &Answers, with_ca: bool) -> Repo {
        let dir = self.scratch.path().join("repo");
        let files = Renderer::builtin()
            .expect("templates")
            .render_all(answers)
            .expect("render");
        for file in &files {
            let path = dir.join(&file.path);
            fs_err::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs_err::write(&path, &file.contents).expect("write");
        }
        fs_err::write(dir.join("pybootstrap.toml"), answers::render_file(answers))
            .expect("write answers");
        if with_ca {
            fs_err::create_dir_all(dir.join("certs")).expect("mkdir certs");
            fs_err::copy(&self.certificates.ca, dir.join("certs/corp-root.pem")).expect("copy CA");
        }
        let home = self.scratch.path().join("home");
        fs_err::create_dir_all(&home).expect("home");
        Repo { dir, home }
    }
}

struct Repo {
    dir: PathBuf,
    home: PathBuf,
}

/// Variables of this machine that would choose an index, a CA or a proxy for the tools:
/// the tests give only the answers and `HTTPS_PROXY`.
const CLEARED: &[&str] = &[
    "PYTHON",
    "VIRTUAL_ENV",
    "PIP_INDEX_URL",
    "PIP_EXTRA_INDEX_URL",
    "PIP_CERT",
    "PIP_NO_INDEX",
    "PIP_FIND_LINKS",
    "PIP_REQUIRE_VIRTUALENV",
    "PIP_USER",
    "PIP_BREAK_SYSTEM_PACKAGES",
    "UV_DEFAULT_INDEX",
    "UV_INDEX_URL",
    "UV_INDEX",
    "UV_EXTRA_INDEX_URL",
    "UV_NATIVE_TLS",
    "UV_OFFLINE",
    "UV_CACHE_DIR",
    "PDM_PYPI_URL",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "http_proxy",
    "HTTP_PROXY",
    "https_proxy",
    "all_proxy",
    "ALL_PROXY",
    "PYTHONPATH",
    "MAKEFLAGS",
    "XDG_CONFIG_HOME",
    "NETRC",
    "PYBOOTSTRAP_INDEX_URL",
    "PYBOOTSTRAP_INDEX_USERNAME",
    "PYBOOTSTRAP_INDEX_PASSWORD",
];

impl Repo {
    fn command(&self, program: &Path, args: &[&str], proxy: &str) -> Command {
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(&self.dir)
            .env("HOME", &self.home)
            .env("XDG_CACHE_HOME", self.home.join(".cache"))
            .env("PIP_CONFIG_FILE", "/dev/null")
            .env("HTTPS_PROXY", proxy)
            .env("NO_PROXY", "")
            .env("no_proxy", "")
            // No uv or Poetry on PATH: the bootstrap fetches them through the index.
            .env("PATH", "/usr/bin:/bin")
            .env("PYTHON", "/usr/bin/python3.11");
        for name in CLEARED {
            if *name != "PYTHON" {
                command.env_remove(name);
            }
        }
        command
    }

    fn run(
        &self,
        program: &Path,
        args: &[&str],
        proxy: &str,
        extra: &[(&str, &str)],
    ) -> support::Output {
        let mut command = self.command(program, args, proxy);
        command.envs(extra.iter().copied());
        let output = command.output().expect("run");
        support::Output {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    fn bootstrap(&self, proxy: &str, extra: &[(&str, &str)]) -> support::Output {
        self.run(
            Path::new("/bin/sh"),
            &["scripts/bootstrap.sh", "-v"],
            proxy,
            extra,
        )
    }

    fn doctor(&self, proxy: &str) -> support::Output {
        self.run(
            Path::new(env!("CARGO_BIN_EXE_pybootstrap")),
            &["doctor"],
            proxy,
            &[],
        )
    }

    /// What the environment imports `pbdemo` as.
    fn pbdemo(&self) -> String {
        let output = Command::new(self.dir.join(".venv/bin/python"))
            .args(["-c", "import pbdemo; print(pbdemo.VALUE)"])
            .output()
            .expect("run the env's python");
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// Every file under the repository (the environment included) whose bytes hold `needle`.
    fn files_holding(&self, needle: &str) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut stack = vec![self.dir.clone()];
        while let Some(dir) = stack.pop() {
            for entry in fs_err::read_dir(&dir).expect("read dir") {
                let path = entry.expect("entry").path();
                let meta = fs_err::symlink_metadata(&path).expect("metadata");
                if meta.is_dir() {
                    stack.push(path);
                } else if meta.is_file()
                    && fs_err::read(&path)
                        .expect("read")
                        .windows(needle.len())
                        .any(|window| window == needle.as_bytes())
                {
                    found.push(path);
                }
            }
        }
        found
    }
}

fn network_answers(backend: Backend, index: &str, with_ca: bool) -> Answers {
    let mut answers = answers::builtin("netdemo");
    answers.python.requires = parsed(">=3.11");
    answers.python.versions = PythonVersionsOf::of(&["3.11"]);
    answers.env.backend = backend;
    answers.deps.source = DepsSource::Requirements;
    answers.deps.files = List::try_from(vec![parsed("requirements.txt")]).expect("list");
    answers.tasks.test = parsed("python -c 'import pbdemo'");
    answers.network.index = parsed(index);
    if with_ca {
        answers.network.ca_bundle = parsed("certs/corp-root.pem");
    }
    answers
}

struct PythonVersionsOf;

impl PythonVersionsOf {
    fn of(items: &[&str]) -> answers::PythonVersions {
        let items = items.iter().map(|item| parsed(item)).collect::<Vec<_>>();
        answers::PythonVersions::try_from(items).expect("versions")
    }
}

/// A Poetry project depending on `pbdemo`, whose source is the private index. Poetry installs
/// from its project's sources (docs/networks.md): the project names the index, with no
/// credential; the CA and the proxy come from the bootstrap's run.
fn write_poetry_project(repo: &Repo, server: &Server) {
    fs_err::write(
        repo.dir.join("pyproject.toml"),
        format!(
            "[project]\nname = \"netdemo\"\nversion = \"0.1.0\"\nrequires-python = \">=3.11\"\n\
             dependencies = [\"pbdemo==1.0\"]\n\n[tool.poetry]\npackage-mode = false\n\n\
             [[tool.poetry.source]]\nname = \"corp\"\nurl = \"{}\"\npriority = \"primary\"\n",
            server.index_url()
        ),
    )
    .expect("pyproject");
}

/// The bootstrap installs `pbdemo` from the private index through the proxy, and the
/// proxy's log shows the tunnel to it (nothing reached PyPI: the proxy refuses other hosts).
fn installs_through_the_proxy(backend: Backend, poetry: bool, pypi: Option<(&str, &[&str])>) {
    let Some(setup) = Setup::new() else {
        return;
    };
    if let Some((key, requirements)) = pypi {
        setup.serve_from_pypi(key, requirements);
    }
    let server = Server::start(
        setup.scratch.path(),
        &setup.wheels,
        &setup.certificates,
        None,
    );
    let mut answers = network_answers(backend, &server.index_url(), true);
    if poetry {
        answers.deps.source = DepsSource::Poetry;
        answers.deps.files = List::empty();
    }
    let repo = setup.repo(&answers, true);
    fs_err::write(repo.dir.join("requirements.txt"), "pbdemo==1.0\n").expect("requirements");
    if poetry {
        write_poetry_project(&repo, &server);
    }
    let run = repo.bootstrap(&server.proxy_url(), &[]);
    assert_eq!(
        run.code,
        0,
        "{}\n{}\n{}",
        run.stdout,
        run.stderr,
        server.log()
    );
    assert_eq!(repo.pbdemo(), "1.0");
    let log = server.log();
    assert!(
        log.contains(&format!("proxy CONNECT localhost:{}", server.index)),
        "{log}"
    );
    assert!(!log.contains("proxy refused"), "{log}");
    let installer = match (backend, poetry) {
        (_, true) => "poetry",
        (Backend::Uv, false) => "uv",
        _ => "pip",
    };
    assert!(
        log.lines()
            .any(|line| line.starts_with("index GET /files/pbdemo-1.0")
                && line.ends_with(&format!(" by {installer}"))),
        "{log}"
    );
    if poetry {
        assert!(log.contains("index GET /files/poetry-2.5.1"), "{log}");
        assert!(
            !run.stderr.contains("from the package index failed"),
            "{}",
            run.stderr
        );
        let lock =
            fs_err::read_to_string(repo.dir.join("poetry.lock")).expect("Poetry wrote its lock");
        assert!(lock.contains("name = \"pbdemo\""), "{lock}");
    }
    if backend == Backend::Uv {
        // uv came through the index too, fetched by pip into the tools venv, and was used.
        assert!(log.contains("index GET /files/uv-0.13.9"), "{log}");
        assert!(
            run.stderr.contains("fetching uv 0.13.9") || run.stdout.contains("fetching uv 0.13.9"),
            "{}",
            run.stdout
        );
        assert!(
            !run.stderr
                .contains("fetching uv 0.13.9 from the package index failed"),
            "{}",
            run.stderr
        );
    }
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv through a private index and a proxy"
)]
#[test]
fn pip_installs_through_the_proxy_from_the_private_index() {
    installs_through_the_proxy(Backend::Venv, false, None);
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: fetches uv and builds a venv through a private index and a proxy"
)]
#[test]
fn uv_is_fetched_and_installs_through_the_proxy_from_the_private_index() {
    installs_through_the_proxy(Backend::Uv, false, Some(("uv", &["uv==0.13.9"])));
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: fetches Poetry and builds a venv through a private index and a proxy"
)]
#[test]
fn poetry_is_fetched_and_installs_through_the_proxy_from_the_private_index() {
    installs_through_the_proxy(Backend::Venv, true, Some(("poetry", &["poetry==2.5.1"])));
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: runs the bootstrap and doctor against a private index"
)]
#[test]
fn without_the_ca_the_bootstrap_fails_and_doctor_names_the_issuer_and_the_fix() {
    let Some(setup) = Setup::new() else {
        return;
    };
    let server = Server::start(
        setup.scratch.path(),
        &setup.wheels,
        &setup.certificates,
        None,
    );
    let repo = setup.repo(
        &network_answers(Backend::Venv, &server.index_url(), false),
        false,
    );
    fs_err::write(repo.dir.join("requirements.txt"), "pbdemo==1.0\n").expect("requirements");
    let run = repo.bootstrap(&server.proxy_url(), &[]);
    assert_ne!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        format!("{}{}", run.stdout, run.stderr).contains("CERTIFICATE_VERIFY_FAILED"),
        "{}\n{}",
        run.stdout,
        run.stderr
    );

    let doctor = repo.doctor(&server.proxy_url());
    doctor.assert_code(0);
    assert!(
        doctor
            .stdout
            .contains(&format!("HTTPS_PROXY = {}", server.proxy_url())),
        "{}",
        doctor.stdout
    );
    assert!(
        doctor.stdout.contains(
            "signed by `Pybootstrap Test Root CA`, which neither your system nor certifi trusts"
        ),
        "{}",
        doctor.stdout
    );
    assert!(
        doctor
            .stdout
            .contains("set `network.ca_bundle = \"certs/pybootstrap-test-root-ca.pem\"`"),
        "{}",
        doctor.stdout
    );
    let json = repo.run(
        Path::new(env!("CARGO_BIN_EXE_pybootstrap")),
        &["doctor", "--json"],
        &server.proxy_url(),
        &[],
    );
    json.assert_code(0);
    let report = json.json();
    assert_eq!(report["ok"], false);
    assert_eq!(report["indexes"][0]["issuer"], "Pybootstrap Test Root CA");
    assert_eq!(
        report["indexes"][0]["trust"]["system"]["result"],
        "unknown-issuer"
    );

    // With the CA committed and named, doctor says every tool verifies it.
    fs_err::create_dir_all(repo.dir.join("certs")).expect("certs");
    fs_err::copy(&setup.certificates.ca, repo.dir.join("certs/corp-root.pem")).expect("copy");
    let answers = network_answers(Backend::Venv, &server.index_url(), true);
    fs_err::write(
        repo.dir.join("pybootstrap.toml"),
        answers::render_file(&answers),
    )
    .expect("write");
    let fixed = repo.doctor(&server.proxy_url());
    assert!(
        fixed
            .stdout
            .contains("which network.ca_bundle (`certs/corp-root.pem`) holds"),
        "{}",
        fixed.stdout
    );
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv from an index that needs basic auth"
)]
#[test]
fn basic_auth_credentials_come_from_the_environment_or_netrc_and_stay_out_of_every_file() {
    const PASSWORD: &str = "Sup3r-s3cret/pw@1";
    let Some(setup) = Setup::new() else {
        return;
    };
    let server = Server::start(
        setup.scratch.path(),
        &setup.wheels,
        &setup.certificates,
        Some(&format!("ci-bot:{PASSWORD}")),
    );
    let repo = setup.repo(
        &network_answers(Backend::Venv, &server.index_url(), true),
        true,
    );
    fs_err::write(repo.dir.join("requirements.txt"), "pbdemo==1.0\n").expect("requirements");

    // No credential: the index says 401 and nothing installs.
    let refused = repo.bootstrap(&server.proxy_url(), &[]);
    assert_ne!(refused.code, 0, "{}", refused.stdout);
    assert!(server.log().contains("index refused"), "{}", server.log());

    // From the environment: the bootstrap puts them into the URL at run time.
    let run = repo.bootstrap(
        &server.proxy_url(),
        &[
            ("PYBOOTSTRAP_INDEX_USERNAME", "ci-bot"),
            ("PYBOOTSTRAP_INDEX_PASSWORD", PASSWORD),
        ],
    );
    assert_eq!(
        run.code,
        0,
        "{}\n{}\n{}",
        run.stdout,
        run.stderr,
        server.log()
    );
    assert_eq!(repo.pbdemo(), "1.0");
    for needle in [PASSWORD, "Sup3r-s3cret%2Fpw%401"] {
        assert_eq!(
            repo.files_holding(needle),
            Vec::<PathBuf>::new(),
            "{needle}"
        );
    }

    // From ~/.netrc, which pip reads itself: a fresh environment, no variable.
    fs_err::remove_dir_all(repo.dir.join(".venv")).expect("remove env");
    let netrc = repo.home.join(".netrc");
    fs_err::write(
        &netrc,
        format!("machine localhost login ci-bot password {PASSWORD}\n"),
    )
    .expect("write netrc");
    let run = repo.bootstrap(&server.proxy_url(), &[]);
    assert_eq!(
        run.code,
        0,
        "{}\n{}\n{}",
        run.stdout,
        run.stderr,
        server.log()
    );
    assert_eq!(repo.pbdemo(), "1.0");
    assert_eq!(repo.files_holding(PASSWORD), Vec::<PathBuf>::new());

    // And `lint` finds nothing to flag in what was generated.
    let lint = repo.run(
        Path::new(env!("CARGO_BIN_EXE_pybootstrap")),
        &["lint", "--quiet"],
        &server.proxy_url(),
        &[],
    );
    assert!(!lint.stdout.contains("PB301"), "{}", lint.stdout);
}

/// Each tool's variable in the generated scripts and pipelines, from the answers alone.
#[test]
fn every_tool_gets_the_settings_in_the_form_it_reads() {
    let mut answers = network_answers(Backend::Uv, "https://pypi.corp.example/simple/", true);
    answers.network.extra_indexes =
        List::try_from(vec![parsed("https://extra.corp.example/simple/")]).expect("list");
    answers.ci.providers =
        List::try_from(vec![answers::Provider::Github, answers::Provider::Gitlab]).expect("list");
    let files = Renderer::builtin()
        .expect("templates")
        .render_all(&answers)
        .expect("render");
    let text = |path: &str| {
        files
            .iter()
            .find(|file| file.path == path)
            .unwrap_or_else(|| panic!("{path} is rendered"))
            .contents
            .clone()
    };
    let sh = text("scripts/bootstrap.sh");
    let ps1 = text("scripts/bootstrap.ps1");
    for (variable, tool) in [
        ("PIP_INDEX_URL", "pip and the tool fetches"),
        ("UV_DEFAULT_INDEX", "uv"),
        ("PDM_PYPI_URL", "PDM"),
        ("PIP_EXTRA_INDEX_URL", "pip"),
        ("UV_INDEX", "uv"),
        ("PIP_CERT", "pip"),
        ("SSL_CERT_FILE", "uv and PDM"),
        ("REQUESTS_CA_BUNDLE", "Poetry"),
    ] {
        assert!(
            sh.contains(&format!("{variable}=")),
            "bootstrap.sh: {variable} for {tool}"
        );
        assert!(
            ps1.contains(&format!("'{variable}'")),
            "bootstrap.ps1: {variable} for {tool}"
        );
    }
    // Set only when the caller has not: the caller's variable wins.
    assert!(sh.contains(": \"${PIP_INDEX_URL=$index_url}\""), "{sh}");
    assert!(
        sh.contains("ca_bundle=\"$PWD\"/'certs/corp-root.pem'"),
        "{sh}"
    );
    let github = text(".github/workflows/pybootstrap.yml");
    assert!(
        github.contains("PIP_INDEX_URL='https://pypi.corp.example/simple/' PIP_EXTRA_INDEX_URL='https://extra.corp.example/simple/' PIP_CERT='certs/corp-root.pem' \".pybootstrap-tools/uv/$bin/python\" -m pip install uv"),
        "{github}"
    );
    assert!(
        github.contains("PYBOOTSTRAP_INDEX_PASSWORD: ${{ secrets.PYBOOTSTRAP_INDEX_PASSWORD }}")
    );
    let gitlab = text(".gitlab-ci.yml");
    assert!(
        gitlab.contains(
            "PIP_CERT='certs/corp-root.pem' .pybootstrap-tools/uv/bin/python -m pip install uv"
        ),
        "{gitlab}"
    );
    // No user's configuration is written: the scripts export, they never call `config`.
    for script in [&sh, &ps1] {
        for writes_config in ["pip config", "poetry config", "pdm config", "uv.toml"] {
            assert!(!script.contains(writes_config), "{writes_config}");
        }
    }

    // Without a network key, no file names any of it.
    let plain = network_answers(Backend::Uv, "https://x.example/simple/", false);
    let mut plain = plain;
    plain.network = answers::Network::default();
    for file in Renderer::builtin()
        .expect("templates")
        .render_all(&plain)
        .expect("render")
    {
        for variable in [
            "PIP_INDEX_URL",
            "PIP_CERT",
            "PYBOOTSTRAP_INDEX",
            "SSL_CERT_FILE",
        ] {
            assert!(
                !file.contents.contains(variable),
                "{}: {variable}",
                file.path
            );
        }
    }
}

/// `doctor` on input it cannot use exits 2 naming it; on an index nothing answers it exits
/// 0 with the cause (a fact about the machine, as `detect` reports facts).
#[test]
fn doctor_refuses_bad_input_and_reports_an_unreachable_index() {
    let test = support::Test::new();
    let refused = test.run(&[
        "doctor",
        "--index",
        "https://ci:hunter22@pypi.corp.example/simple/",
    ]);
    refused.assert_code(2);
    assert!(refused.stderr.contains("`--index`"), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("user name and password"),
        "{}",
        refused.stderr
    );
    // The password is not echoed: error output ends up in CI logs.
    assert!(!refused.stderr.contains("hunter22"), "{}", refused.stderr);
    test.run(&["doctor", "no-such-dir"]).assert_code(2);

    // Port 9 on loopback: nothing listens (discard is never enabled on CI runners).
    let mut test = support::Test::new();
    for name in ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"] {
        test.unset(name);
    }
    let report = test.run(&["doctor", "--index", "https://127.0.0.1:9/simple/", "--json"]);
    report.assert_code(0);
    let json = report.json();
    assert_eq!(json["ok"], false);
    let index = &json["indexes"][0];
    assert_eq!(index["origin"], "--index");
    assert_eq!(index["steps"]["dns"]["ok"], true);
    assert_eq!(index["steps"]["tcp"]["ok"], false);
    assert!(
        index["conclusion"]["sentence"]
            .as_str()
            .is_some_and(|sentence| sentence.contains("does not accept connections")),
        "{index}"
    );

    // A Poetry project reads no index from the environment: doctor says what to declare.
    test.write(
        "pyproject.toml",
        "[tool.poetry]\nname = \"x\"\n\n[tool.poetry.dependencies]\npython = \"^3.11\"\n",
    );
    let answers = "schema = 1\n[project]\nname = \"x\"\n[deps]\nsource = \"poetry\"\n\
                   [network]\nindex = \"https://127.0.0.1:9/simple/\"\n";
    test.write("pybootstrap.toml", answers);
    let report = test.run(&["doctor", "--json"]);
    report.assert_code(0);
    let json = report.json();
    assert_eq!(json["indexes"][0]["origin"], "network.index");
    assert!(
        json["notes"][0]
            .as_str()
            .is_some_and(|note| note.contains("[[tool.poetry.source]]")),
        "{json}"
    );
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: fetches Poetry and builds a venv from an index that needs basic auth"
)]
#[test]
fn poetry_behind_basic_auth_writes_no_credential_into_its_lock() {
    const PASSWORD: &str = "P0etry-t0ken/x@y";
    let Some(setup) = Setup::new() else {
        return;
    };
    setup.serve_from_pypi("poetry", &["poetry==2.5.1"]);
    let server = Server::start(
        setup.scratch.path(),
        &setup.wheels,
        &setup.certificates,
        Some(&format!("ci-bot:{PASSWORD}")),
    );
    let mut answers = network_answers(Backend::Venv, &server.index_url(), true);
    answers.deps.source = DepsSource::Poetry;
    answers.deps.files = List::empty();
    let repo = setup.repo(&answers, true);
    write_poetry_project(&repo, &server);
    // The tool fetch reads the bootstrap's variables; Poetry its own, named after the source.
    let run = repo.bootstrap(
        &server.proxy_url(),
        &[
            ("PYBOOTSTRAP_INDEX_USERNAME", "ci-bot"),
            ("PYBOOTSTRAP_INDEX_PASSWORD", PASSWORD),
            ("POETRY_HTTP_BASIC_CORP_USERNAME", "ci-bot"),
            ("POETRY_HTTP_BASIC_CORP_PASSWORD", PASSWORD),
        ],
    );
    assert_eq!(
        run.code,
        0,
        "{}\n{}\n{}",
        run.stdout,
        run.stderr,
        server.log()
    );
    assert_eq!(repo.pbdemo(), "1.0");
    let log = server.log();
    assert!(
        log.lines()
            .any(|line| line.starts_with("index GET /files/pbdemo-1.0")
                && line.ends_with(" by poetry")),
        "{log}"
    );
    let lock = fs_err::read_to_string(repo.dir.join("poetry.lock")).expect("Poetry wrote its lock");
    assert!(lock.contains("name = \"pbdemo\""), "{lock}");
    for needle in [PASSWORD, "P0etry-t0ken%2Fx%40y"] {
        assert_eq!(
            repo.files_holding(needle),
            Vec::<PathBuf>::new(),
            "{needle}"
        );
    }
}
