//! The generated CI pipelines run for real: GitHub Actions under `wrkflw --runtime
//! emulation`, GitLab CI under `gitlab-ci-local --force-shell-executor`, one temp repo per
//! row of answers. What a green emulated run proves, and what it cannot, is in
//! `docs/ci-emulation.md`.
//!
//! Both emulators run each job's steps on this host. The host stands in for every image:
//! the PEP 668 job's "distro image" is this Debian 12 machine and its externally managed
//! `/usr/bin/python3` (runs in Debian 13/11 root filesystems stay the real distro check:
//! this does not replace them), and GitLab's `python:X.Y` image is the same `python3`.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::support::{self, Test};

/// Where a row's dependencies are declared (`deps.source`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Requirements,
    Pyproject,
    /// `pyproject.toml` with the test dependency in a PEP 735 group (`deps.groups`).
    Groups,
    UvLock,
    None,
}

/// One combination of answers; every row runs on both providers.
#[derive(Clone, Copy, Debug)]
struct Row {
    backend: &'static str,
    source: Source,
    pep668: bool,
    make: bool,
    /// A team pack that adds a CI step through the `test_steps` / `test_script` blocks.
    pack: bool,
}

/// One module per row, with a `github` and a `gitlab` test in it, so rows run in parallel
/// and a failure names its row and provider.
macro_rules! rows {
    ($($name:ident: $row:expr;)+) => {$(
        mod $name {
            use super::*;

            #[cfg_attr(not(feature = "slow-tests"), ignore = "slow tier: runs the workflow in wrkflw")]
            #[test]
            fn github() {
                run_github(&$row);
            }

            #[cfg_attr(not(feature = "slow-tests"), ignore = "slow tier: runs the jobs in gitlab-ci-local")]
            #[test]
            fn gitlab() {
                run_gitlab(&$row);
            }
        }
    )+};
}

rows! {
    venv_requirements: Row { backend: "venv", source: Source::Requirements, pep668: true, make: true, pack: false };
    uv_pyproject_extras: Row { backend: "uv", source: Source::Pyproject, pep668: true, make: true, pack: false };
    virtualenv_requirements_no_make: Row { backend: "virtualenv", source: Source::Requirements, pep668: true, make: false, pack: false };
    venv_uv_lock: Row { backend: "venv", source: Source::UvLock, pep668: false, make: true, pack: false };
    uv_no_deps_no_make: Row { backend: "uv", source: Source::None, pep668: false, make: false, pack: false };
    venv_pyproject_team_pack: Row { backend: "venv", source: Source::Pyproject, pep668: false, make: true, pack: true };
    venv_dependency_groups: Row { backend: "venv", source: Source::Groups, pep668: true, make: true, pack: false };
}

/// What the repo's test task prints from inside the env when the dependencies are there.
const TEST_MARKER: &str = "pipeline-test: inside the env";
/// What the pack's extra CI step prints.
const PACK_MARKER: &str = "acme-audit pbdemo 1.0";

/// A temp repo made by `pybootstrap init` for a row, committed, plus the runner's `HOME`
/// and `PATH`.
struct PipelineRepo {
    test: Test,
    row: Row,
    repo: PathBuf,
    home: PathBuf,
    runner_bin: PathBuf,
}

impl PipelineRepo {
    /// `None` when a tool is missing outside CI (the lookup fails under `CI`).
    fn new(row: &Row, provider: &str) -> Option<Self> {
        let git = support::tool("git")?;
        let pipx = support::tool("pipx")?;
        if row.source == Source::UvLock {
            support::tool("uv")?;
        }
        let test = Test::new();
        let repo = test.path().join("repo");
        let home = test.path().join("home");
        let runner_bin = test.path().join("runner-bin");
        for dir in [&repo, &home, &runner_bin] {
            fs_err::create_dir_all(dir).expect("create dir");
        }
        let this = Self {
            test,
            row: *row,
            repo,
            home,
            runner_bin,
        };
        this.write_runner_bin(&pipx);
        this.write_project();
        this.init(provider);
        this.git(&git, &["init", "--quiet", "--initial-branch=main"]);
        this.git(&git, &["add", "--all"]);
        this.git(
            &git,
            &[
                "-c",
                "user.name=pipeline test",
                "-c",
                "user.email=pipeline@test.invalid",
                "commit",
                "--quiet",
                "--message=init",
            ],
        );
        Some(this)
    }

    /// The tools a hosted runner has that this host's OS directories lack: `pipx` (on
    /// GitHub's ubuntu images), `python` (in GitLab's `python:X.Y` image), and `apt-get`
    /// standing for the image's (see `APT_GET`). Never uv or virtualenv: the pipeline
    /// must install those itself.
    fn write_runner_bin(&self, pipx: &Path) {
        use std::os::unix::fs::PermissionsExt;
        std::os::unix::fs::symlink(pipx, self.runner_bin.join("pipx")).expect("link pipx");
        std::os::unix::fs::symlink("/usr/bin/python3", self.runner_bin.join("python"))
            .expect("link python");
        let apt_get = self.runner_bin.join("apt-get");
        fs_err::write(&apt_get, APT_GET).expect("write apt-get");
        fs_err::set_permissions(&apt_get, std::fs::Permissions::from_mode(0o755))
            .expect("chmod apt-get");
    }

    /// A small project: a local wheel `pbdemo` as its dependency, declared the row's way,
    /// and a unittest that fails unless it runs inside the env with `pbdemo` installed.
    fn write_project(&self) {
        support::build_wheel(&self.repo.join("wheels"), "pbdemo", "1.0");
        let wheel = "wheels/pbdemo-1.0-py3-none-any.whl";
        let wheel_url = format!("file://{}", self.repo.join(wheel).display());
        let pyproject = |dependency: &str, sources: &str| {
            format!(
                "[build-system]\nrequires = [\"flit_core>=3.4,<4\"]\nbuild-backend = \"flit_core.buildapi\"\n\n[project]\nname = \"pbapp\"\nversion = \"0.1.0\"\ndescription = \"CI pipeline fixture\"\nrequires-python = \">=3.8\"\n\n[project.optional-dependencies]\ntest = [\"{dependency}\"]\n{sources}"
            )
        };
        let mut checks = vec![
            "self.assertNotEqual(sys.prefix, sys.base_prefix)".to_string(),
            "self.assertTrue(os.path.samefile(sys.prefix, '.venv'))".to_string(),
        ];
        match self.row.source {
            Source::Requirements => self.write("requirements.txt", &format!("./{wheel}\n")),
            Source::Pyproject => {
                self.write(
                    "pyproject.toml",
                    &pyproject(&format!("pbdemo @ {wheel_url}"), ""),
                );
                self.write("pbapp/__init__.py", "");
            }
            Source::Groups => {
                self.write(
                    "pyproject.toml",
                    &format!(
                        "[build-system]\nrequires = [\"flit_core>=3.4,<4\"]\nbuild-backend = \"flit_core.buildapi\"\n\n[project]\nname = \"pbapp\"\nversion = \"0.1.0\"\ndescription = \"CI pipeline fixture\"\nrequires-python = \">=3.8\"\n\n[dependency-groups]\ntest = [\"pbdemo @ {wheel_url}\"]\n"
                    ),
                );
                self.write("pbapp/__init__.py", "");
            }
            Source::UvLock => {
                self.write(
                    "pyproject.toml",
                    &pyproject(
                        "pbdemo",
                        &format!("\n[tool.uv.sources]\npbdemo = {{ path = \"{wheel}\" }}\n"),
                    ),
                );
                self.write("pbapp/__init__.py", "");
                let uv = support::tool("uv").expect("checked in new");
                let output = Command::new(uv)
                    .args(["lock", "--quiet"])
                    .current_dir(&self.repo)
                    .env("UV_CACHE_DIR", shared_cache("uv"))
                    .output()
                    .expect("run uv lock");
                assert!(
                    output.status.success(),
                    "uv lock: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
            }
            Source::None => {}
        }
        if self.row.source != Source::None {
            checks.push("import pbdemo; self.assertEqual(pbdemo.VALUE, '1.0')".into());
        }
        if matches!(
            self.row.source,
            Source::Pyproject | Source::Groups | Source::UvLock
        ) {
            checks.push("import pbapp".into());
        }
        let body: String = checks.iter().map(|c| format!("        {c}\n")).collect();
        self.write(
            "tests/test_pipeline.py",
            &format!(
                "import os, sys, unittest\n\n\nclass Pipeline(unittest.TestCase):\n    def test_runs_inside_the_env(self):\n{body}        print({TEST_MARKER:?}, sys.prefix)\n"
            ),
        );
    }

    fn init(&self, provider: &str) {
        let source = match self.row.source {
            Source::Requirements => "requirements",
            Source::Pyproject | Source::Groups => "pyproject",
            Source::UvLock => "uv-lock",
            Source::None => "none",
        };
        let mut sets = vec![
            format!("ci.providers={provider}"),
            "python.versions=3.11".into(),
            format!("env.backend={}", self.row.backend),
            format!("deps.source={source}"),
            format!("ci.pep668_job={}", self.row.pep668),
            format!("make.enabled={}", self.row.make),
            "tasks.test=python -m unittest discover --verbose --start-directory tests".into(),
        ];
        match self.row.source {
            Source::Requirements => sets.push("deps.files=requirements.txt".into()),
            Source::Pyproject | Source::UvLock => sets.push("deps.extras=test".into()),
            Source::Groups => sets.push("deps.groups=test".into()),
            Source::None => {}
        }
        let mut args = vec!["init".to_string(), "--yes".into()];
        for set in sets {
            args.push("--set".into());
            args.push(set);
        }
        if self.row.pack {
            self.write_pack();
            args.push("--templates".into());
            args.push(self.test.path().join("pack").display().to_string());
        }
        args.push("repo".into());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        self.test.run(&args).assert_code(0);
    }

    /// A team pack that extends the built-in pipelines with one step each, which runs in
    /// the env the bootstrap built.
    fn write_pack(&self) {
        let step =
            ".venv/bin/python -c \"import pbdemo; print('acme-audit pbdemo', pbdemo.VALUE)\"";
        self.test.write(
            "pack/pack.toml",
            "name = \"acme-python\"\nversion = \"1.0\"\nfixed = []\n",
        );
        self.test.write(
            "pack/ci/github/ci.yml",
            format!(
                "{{% extends \"builtin/ci/github/ci.yml\" %}}\n{{% block test_steps %}}{{{{ super() }}}}\n      - name: Audit\n        run: {step}\n{{% endblock %}}\n"
            ),
        );
        self.test.write(
            "pack/ci/gitlab/gitlab-ci.yml",
            format!(
                "{{% extends \"builtin/ci/gitlab/gitlab-ci.yml\" %}}\n{{% block test_script %}}{{{{ super() }}}}\n    - {step}\n{{% endblock %}}\n"
            ),
        );
    }

    fn write(&self, relative: &str, contents: &str) {
        let path = self.repo.join(relative);
        fs_err::create_dir_all(path.parent().expect("parent")).expect("create parent");
        fs_err::write(path, contents).expect("write");
    }

    fn git(&self, git: &Path, args: &[&str]) {
        let output = Command::new(git)
            .args(args)
            .current_dir(&self.repo)
            .env("HOME", &self.home)
            .output()
            .expect("run git");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// The emulator as a runner would start it: the repo as its work dir, a private
    /// `HOME`, no PEP 668 override or venv leaking in, and a `PATH` of the runner's tools,
    /// then this host's OS directories (whose `python3` stands for the image's), then the
    /// directory of the emulator itself (`node` for gitlab-ci-local).
    fn command(&self, program: &Path, runtime_dirs: &[&Path]) -> Command {
        let mut path = vec![
            self.home.join(".local/bin"),
            self.runner_bin.clone(),
            PathBuf::from("/usr/local/bin"),
            PathBuf::from("/usr/bin"),
            PathBuf::from("/bin"),
        ];
        path.extend(runtime_dirs.iter().map(|dir| dir.to_path_buf()));
        let mut command = Command::new(program);
        command
            .current_dir(&self.repo)
            .env("HOME", &self.home)
            .env("PATH", std::env::join_paths(path).expect("PATH"))
            .env("NO_COLOR", "1")
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1");
        for var in [
            "VIRTUAL_ENV",
            "PYTHON",
            "PYTHONPATH",
            "PIP_BREAK_SYSTEM_PACKAGES",
            "PIP_REQUIRE_VIRTUALENV",
            "PIP_USER",
            "PIP_CONFIG_FILE",
            "PIPX_HOME",
            "PIPX_BIN_DIR",
            "UV_BREAK_SYSTEM_PACKAGES",
            "MAKEFLAGS",
            "XDG_CACHE_HOME",
            "CI",
            "GITHUB_ACTIONS",
            "GITLAB_CI",
        ] {
            command.env_remove(var);
        }
        command
    }
}

/// `apt-get` for the jobs that install the OS Python into their image: here the image is
/// this host, so instead of installing (which would race other tests on the dpkg lock and
/// change the machine) it checks that every package the job names is installed, and fails
/// like apt does when one is not. `.ci/run` installs them.
const APT_GET: &str = r#"#!/bin/sh
set -eu
case "${1-}" in
update)
    echo "apt-get update: the host's package lists stand in for the image's"
    ;;
install)
    shift
    missing=
    for package in "$@"; do
        case "$package" in -*) continue ;; esac
        dpkg-query -W -f '${Status}\n' "$package" 2>/dev/null | grep -q ' installed$' ||
            missing="$missing $package"
    done
    if [ -n "$missing" ]; then
        echo "E: not installed on the host that stands for the image:$missing" >&2
        exit 100
    fi
    echo "apt-get install: already on the host: $*"
    ;;
*)
    echo "E: the emulated image's apt-get supports only update and install, not: $*" >&2
    exit 100
    ;;
esac
"#;

/// A cache directory shared by every pipeline test and kept between runs, as a runner's
/// restored cache would be: the index downloads (pipx's uv, the build backend) happen once.
fn shared_cache(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("pipelines-cache")
        .join(name);
    fs_err::create_dir_all(&dir).expect("create shared cache");
    dir
}

/// A finished emulator run: its exit code and both streams, interleaved as printed.
struct Run {
    code: i32,
    output: String,
    seconds: f64,
}

fn run(mut command: Command) -> Run {
    let started = Instant::now();
    let output = command.output().expect("start the emulator");
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Run {
        code: output.status.code().unwrap_or(-1),
        output: text,
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// The bootstrap ran for real: it built the env and installed what the row declares.
#[track_caller]
fn assert_bootstrapped(row: &Row, job: &str, output: &str) {
    let installed = match row.source {
        Source::None => "(no dependencies configured)",
        _ => "Installing dependencies into .venv",
    };
    for expected in [
        format!("Creating .venv ({})", row.backend).as_str(),
        installed,
        "Done. Activate the environment with:",
    ] {
        assert!(
            output.contains(expected),
            "job `{job}`: the bootstrap did not print `{expected}`\n{output}"
        );
    }
    // The pipeline puts its tools on PATH itself; the bootstrap's own fetch into the
    // runner user's cache would hide a pipeline that does not.
    assert!(
        !output.contains("is not on PATH: fetching"),
        "job `{job}`: the bootstrap had to fetch a tool the pipeline should have installed\n{output}"
    );
}

/// The test task ran inside the env and passed.
#[track_caller]
fn assert_tested(job: &str, output: &str) {
    for expected in [TEST_MARKER, "Ran 1 test", "OK"] {
        assert!(
            output.contains(expected),
            "job `{job}`: the test task did not print `{expected}`\n{output}"
        );
    }
}

fn run_gitlab(row: &Row) {
    let (Some(gitlab_ci_local), Some(node), Some(_)) = (
        support::tool("gitlab-ci-local"),
        support::tool("node"),
        support::tool("rsync"),
    ) else {
        return;
    };
    let Some(repo) = PipelineRepo::new(row, "gitlab") else {
        return;
    };
    let pipeline = fs_err::read_to_string(repo.repo.join(".gitlab-ci.yml")).expect("read");
    let mut jobs = vec!["test"];
    if row.pep668 {
        jobs.push("pep668");
    }
    // What a job interrupted on this shell runner earlier left: the tool's dir without its
    // marker, and a `python` in it that fails. The first job must make it again.
    let tool = ["uv", "virtualenv"]
        .into_iter()
        .find(|tool| pipeline.contains(&format!(".pybootstrap-tools/{tool}/")));
    let tool_dir = tool.map(|tool| repo.repo.join(".pybootstrap-tools").join(tool));
    if let Some(tool_dir) = &tool_dir {
        fs_err::create_dir_all(tool_dir.join("bin")).expect("create the half-built tool dir");
        fs_err::write(tool_dir.join("bin/python"), "#!/bin/sh\nexit 1\n").expect("write");
    }
    // Jobs share the work tree under the shell executor: one at a time, each starting
    // without the env the previous one built, as on its own runner; the second reuses the
    // tool the first one finished, as a later job on the same shell runner does.
    for job in jobs {
        let _ = std::fs::remove_dir_all(repo.repo.join(".venv"));
        let mut command = repo.command(&gitlab_ci_local, &[node.parent().expect("bin dir")]);
        command
            .args(["--force-shell-executor", "--color=false", job])
            .args(shell_runner_project_dir(&repo.repo));
        let result = run(command);
        eprintln!("gitlab job `{job}` took {:.1}s", result.seconds);
        assert!(
            result.code == 0,
            "GitLab job `{job}` failed at step `{}` (exit {})\n{}",
            gitlab_failed_step(&result.output),
            result.code,
            result.output
        );
        if let Some(tool_dir) = &tool_dir {
            assert!(
                tool_dir.join(".pybootstrap-complete").is_file(),
                "job `{job}` left {} without its marker\n{}",
                tool_dir.display(),
                result.output
            );
        }
        assert_bootstrapped(row, job, &result.output);
        assert_tested(job, &result.output);
        if job == "pep668" {
            assert!(
                result.output.contains("(/usr/bin/python3"),
                "the PEP 668 job must build the env from the host's externally managed python3\n{}",
                result.output
            );
        }
        if row.pack {
            assert!(
                result.output.contains(PACK_MARKER),
                "job `{job}`: the pack's step did not run\n{}",
                result.output
            );
        }
    }
}

/// A shell runner's `CI_PROJECT_DIR` is the job's work tree. gitlab-ci-local gives a job
/// with an `image:` the Docker one (`/builds/GROUP/PROJECT`) even under
/// `--force-shell-executor`, which would send `$CI_PROJECT_DIR/...` paths to the host's
/// `/builds`, shared by every run.
fn shell_runner_project_dir(dir: &Path) -> [String; 2] {
    [
        "--variable".into(),
        format!("CI_PROJECT_DIR={}", dir.display()),
    ]
}

/// The last script line gitlab-ci-local started (`job: $ command`): the one that failed.
fn gitlab_failed_step(output: &str) -> String {
    output
        .lines()
        .rev()
        .find_map(|line| line.split_once(" $ ").map(|(_, command)| command))
        .unwrap_or("(before the script started)")
        .to_string()
}

fn run_github(row: &Row) {
    let Some(wrkflw) = support::tool("wrkflw") else {
        return;
    };
    let Some(repo) = PipelineRepo::new(row, "github") else {
        return;
    };
    let step_log = repo.runner_bin.join("step-log.bash");
    fs_err::write(&step_log, STEP_LOG).expect("write step-log.bash");
    let mut jobs = vec!["test"];
    if row.pep668 {
        jobs.push("pep668");
    }
    // One job per run, so each has a log of its own and a failure names its job.
    for job in jobs {
        let log = repo.test.path().join(format!("github-{job}.log"));
        let mut command = repo.command(&wrkflw, &[]);
        command
            .args([
                "run",
                "--runtime",
                "emulation",
                "--job",
                job,
                ".github/workflows/pybootstrap.yml",
            ])
            .env("BASH_ENV", &step_log)
            .env("PIPELINE_LOG", &log)
            .env("PIP_CACHE_DIR", shared_cache("pip"))
            .env("UV_CACHE_DIR", shared_cache("uv"));
        offline_actions(&mut command);
        let result = run(command);
        eprintln!("github job `{job}` took {:.1}s", result.seconds);
        let steps = fs_err::read_to_string(&log).unwrap_or_default();
        assert!(
            result.code == 0
                && result
                    .output
                    .contains("Workflow execution completed successfully"),
            "GitHub job `{job}` failed (exit {}) at:\n{}\n--- the steps printed\n{steps}\n--- wrkflw printed\n{}",
            result.code,
            github_failed_steps(&result.output),
            result.output
        );
        assert_bootstrapped(row, job, &steps);
        assert_tested(job, &steps);
        if job == "pep668" {
            assert!(
                steps.contains("(/usr/bin/python3"),
                "the PEP 668 job must build the env from the host's externally managed python3\n{steps}"
            );
        }
        if row.pack && job == "test" {
            assert!(
                steps.contains(PACK_MARKER),
                "the pack's step did not run\n{steps}"
            );
        }
    }
}

/// Sourced by the `bash -c` of every step (through `BASH_ENV`): wrkflw prints a step's
/// output only when it fails, so this keeps a copy in the job's log, as a runner's log would.
const STEP_LOG: &str = r#"exec > >(tee -a "$PIPELINE_LOG") 2> >(tee -a "$PIPELINE_LOG" >&2)
"#;

/// wrkflw fetches each action's `action.yml` from raw.githubusercontent.com (5 s timeout,
/// twice) before it falls back to its built-in mapping, and has no offline switch. A
/// proxy that refuses at once makes it fall back at once; the package indexes the steps
/// use are exempt through `NO_PROXY`: pip's own default index and file hosts, and any index
/// the environment names.
pub(crate) fn offline_actions(command: &mut Command) {
    let mut exempt = default_index_hosts();
    for var in [
        "PIP_INDEX_URL",
        "PIP_EXTRA_INDEX_URL",
        "UV_INDEX_URL",
        "UV_DEFAULT_INDEX",
    ] {
        if let Ok(url) = std::env::var(var)
            && let Some(host) = url
                .split("://")
                .nth(1)
                .and_then(|rest| rest.rsplit('@').next())
                .and_then(|rest| rest.split(['/', ':']).next())
        {
            exempt.push(host.to_string());
        }
    }
    if let Some(existing) = std::env::var_os("NO_PROXY") {
        exempt.push(existing.to_string_lossy().into_owned());
    }
    let no_proxy: OsString = exempt.join(",").into();
    command
        .env("HTTPS_PROXY", "http://127.0.0.1:9")
        .env("https_proxy", "http://127.0.0.1:9")
        .env("NO_PROXY", &no_proxy)
        .env("no_proxy", &no_proxy);
}

/// The hosts of pip's default index, as pip itself names them.
fn default_index_hosts() -> Vec<String> {
    let output = Command::new("python3")
        .args([
            "-I",
            "-c",
            "from pip._internal.models.index import PyPI; print(PyPI.netloc); print(PyPI.file_storage_domain)",
        ])
        .output()
        .expect("run python3 (with pip) from PATH");
    assert!(output.status.success(), "python3 on PATH has no pip");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// The failed jobs and steps wrkflw names (its failure mark is `✖`).
fn github_failed_steps(output: &str) -> String {
    let mut failed: Vec<&str> = Vec::new();
    for line in output.lines().filter(|line| line.contains('✖')) {
        if !failed.contains(&line) {
            failed.push(line);
        }
    }
    if failed.is_empty() {
        "(no failed step in the summary)".to_string()
    } else {
        failed.join("\n")
    }
}

/// The generated GitLab test job as a shell runner runs it, which keeps the work tree and
/// the runner user's HOME between jobs: twice at once, in two project dirs (a shell runner
/// gives each concurrent job its own builds dir) under one HOME, then again in a project
/// dir a finished job left, which must reuse its tool and its env.
#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: runs the jobs in gitlab-ci-local"
)]
#[test]
fn gitlab_jobs_run_twice_at_once_and_twice_in_a_row_on_one_shell_runner() {
    let (Some(gitlab_ci_local), Some(node), Some(_)) = (
        support::tool("gitlab-ci-local"),
        support::tool("node"),
        support::tool("rsync"),
    ) else {
        return;
    };
    let row = Row {
        backend: "uv",
        source: Source::Requirements,
        pep668: false,
        make: true,
        pack: false,
    };
    let Some(repo) = PipelineRepo::new(&row, "gitlab") else {
        return;
    };
    let second = repo.test.path().join("second-builds-dir");
    let copied = Command::new("cp")
        .arg("-a")
        .arg(&repo.repo)
        .arg(&second)
        .status()
        .expect("copy the project dir");
    assert!(copied.success());
    let job = |dir: &Path| {
        let mut command = repo.command(&gitlab_ci_local, &[node.parent().expect("bin dir")]);
        command
            .current_dir(dir)
            .args(["--force-shell-executor", "--color=false", "test"])
            .args(shell_runner_project_dir(dir));
        command
    };
    let check = |what: &str, result: &Run| {
        eprintln!("gitlab job `test` ({what}) took {:.1}s", result.seconds);
        assert!(
            result.code == 0,
            "GitLab job `test` ({what}) failed at step `{}` (exit {})\n{}",
            gitlab_failed_step(&result.output),
            result.code,
            result.output
        );
        assert_tested(what, &result.output);
    };

    let (first_run, second_run) = std::thread::scope(|scope| {
        let first = scope.spawn(|| run(job(&repo.repo)));
        let other = scope.spawn(|| run(job(&second)));
        (
            first.join().expect("first job"),
            other.join().expect("second job"),
        )
    });
    for (what, result, dir) in [
        ("first of two at once", &first_run, &repo.repo),
        ("second of two at once", &second_run, &second),
    ] {
        check(what, result);
        assert_bootstrapped(&row, what, &result.output);
        assert!(
            dir.join(".pybootstrap-tools/uv/.pybootstrap-complete")
                .is_file(),
            "{what}: no finished tool dir in its own project dir"
        );
    }
    let written = Command::new("find")
        .arg(&repo.home)
        .args(["-maxdepth", "4"])
        .output()
        .expect("list HOME");
    assert!(
        !repo.home.join(".cache/pybootstrap").exists() && !repo.home.join(".local").exists(),
        "a job wrote into the runner user's HOME:\n{}",
        String::from_utf8_lossy(&written.stdout)
    );

    let marker = repo
        .repo
        .join(".pybootstrap-tools/uv/.pybootstrap-complete");
    let made = || {
        fs_err::metadata(&marker)
            .and_then(|m| m.modified())
            .expect("the tool's marker")
    };
    let before = made();
    let again = run(job(&repo.repo));
    check("again in the same project dir", &again);
    assert!(
        again.output.contains(".venv is up to date; nothing to do."),
        "the job run again did not reuse the env\n{}",
        again.output
    );
    assert_eq!(made(), before, "the job run again made the tool again");
}
