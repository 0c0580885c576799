//! The release workflow (`.github/workflows/release.yml`): linted by actionlint and zizmor,
//! its promises read from its text, and its Linux build command run here, the wheel then
//! installed and run on Debian 11.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::support;

const WORKFLOW: &str = include_str!("../../.github/workflows/release.yml");

fn workflow_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".github/workflows/release.yml")
}

/// The text of the job `name`: from its line to the next job's.
fn job(name: &str) -> &'static str {
    let start = WORKFLOW
        .find(&format!("\n  {name}:\n"))
        .unwrap_or_else(|| panic!("release.yml has no job `{name}`"));
    let body = &WORKFLOW[start + 1..];
    let end = body[1..]
        .match_indices("\n  ")
        .find(|(at, _)| {
            let line = &body[at + 4..];
            line.starts_with(|c: char| c.is_ascii_lowercase())
        })
        .map_or(body.len(), |(at, _)| at + 1);
    &body[..end]
}

/// The `linux` job's build command, as written.
fn linux_build_command() -> &'static str {
    job("linux")
        .lines()
        .filter_map(|line| line.trim().strip_prefix("run: "))
        .find(|run| run.starts_with("maturin build"))
        .expect("the linux job runs `maturin build`")
}

#[test]
fn the_release_workflow_passes_actionlint_and_zizmor() {
    let (Some(actionlint), Some(zizmor)) = (support::tool("actionlint"), support::tool("zizmor"))
    else {
        return;
    };
    let linted = Command::new(actionlint)
        .arg(workflow_path())
        .output()
        .expect("run actionlint");
    assert!(
        linted.status.success(),
        "actionlint:\n{}{}",
        String::from_utf8_lossy(&linted.stdout),
        String::from_utf8_lossy(&linted.stderr)
    );
    // Offline: the audits that ask GitHub (whether a pinned commit is a tag's) need a token.
    let audited = Command::new(zizmor)
        .args(["--offline", "--no-progress"])
        .arg(workflow_path())
        .output()
        .expect("run zizmor");
    assert!(
        audited.status.success(),
        "zizmor:\n{}{}",
        String::from_utf8_lossy(&audited.stdout),
        String::from_utf8_lossy(&audited.stderr)
    );
}

#[test]
fn the_release_workflow_builds_every_platform_and_publishes_without_a_stored_token() {
    assert!(WORKFLOW.contains("tags:\n      - \"v[0-9]+.[0-9]+.[0-9]+\""));
    let linux = job("linux");
    for (target, compatibility) in [
        ("x86_64-unknown-linux-gnu", "manylinux2014"),
        ("aarch64-unknown-linux-gnu", "manylinux2014"),
        ("x86_64-unknown-linux-musl", "musllinux_1_2"),
    ] {
        assert!(
            linux.contains(&format!(
                "- target: {target}\n            compatibility: {compatibility}\n"
            )),
            "{target} ({compatibility}) is not built:\n{linux}"
        );
    }
    let native = job("native");
    for (target, runner) in [
        ("x86_64-apple-darwin", "macos-15"),
        ("aarch64-apple-darwin", "macos-15"),
        ("x86_64-pc-windows-msvc", "windows-2022"),
    ] {
        assert!(
            native.contains(&format!(
                "- target: {target}\n            runner: {runner}\n"
            )),
            "{target} is not built on {runner}:\n{native}"
        );
    }
    assert!(job("sdist").contains("maturin\" sdist --out dist"));

    // Nothing publishes before every build, and each registry takes an OIDC token.
    let pypi = job("pypi");
    assert!(pypi.contains("needs: [linux, native, sdist]"), "{pypi}");
    assert!(pypi.contains("id-token: write"), "{pypi}");
    assert!(
        pypi.contains("uv publish --trusted-publishing always dist/*"),
        "{pypi}"
    );
    let crates = job("crates-io");
    assert!(crates.contains("needs: [linux, native, sdist]"), "{crates}");
    assert!(crates.contains("id-token: write"), "{crates}");
    assert!(
        crates.contains("rust-lang/crates-io-auth-action@"),
        "{crates}"
    );
    assert!(
        crates.contains("CARGO_REGISTRY_TOKEN: ${{ steps.auth.outputs.token }}"),
        "{crates}"
    );
    assert!(crates.contains("run: cargo publish --locked"), "{crates}");
    assert!(!WORKFLOW.contains("secrets."), "a stored secret is used");
    assert!(!WORKFLOW.contains("password:"), "a password is used");
    // The distribution published is the one pyproject.toml names.
    let pyproject = include_str!("../../pyproject.toml");
    assert!(pyproject.contains("name = \"pybootstrap-cli\""));
    assert!(pyproject.contains("bindings = \"bin\""));

    // The release carries every file and their checksums.
    let release = job("github-release");
    assert!(release.contains("needs: [pypi, crates-io]"), "{release}");
    assert!(
        release.contains("run: sha256sum -- * >SHA256SUMS"),
        "{release}"
    );
    assert!(release.contains("gh release create"), "{release}");

    // The only permission at the top is none; each job asks for its own.
    assert!(WORKFLOW.contains("\npermissions: {}\n"));

    // Every action is pinned by a full commit, with the version it is in a comment.
    let mut actions = 0;
    for line in WORKFLOW.lines() {
        let Some(uses) = line.trim().trim_start_matches("- ").strip_prefix("uses: ") else {
            continue;
        };
        actions += 1;
        let (reference, comment) = uses.split_once(" # v").unwrap_or((uses, ""));
        let (_, commit) = reference.split_once('@').unwrap_or((reference, ""));
        assert!(
            commit.len() == 40 && commit.bytes().all(|b| b.is_ascii_hexdigit()),
            "not pinned by commit: {line}"
        );
        assert!(
            comment.starts_with(|c: char| c.is_ascii_digit()),
            "no version comment: {line}"
        );
    }
    assert!(actions >= 10, "only {actions} `uses:` lines found");
}

/// The symbol versions of glibc a binary needs, from `objdump -T`, as `(major, minor)`.
fn glibc_versions(objdump: &Path, binary: &Path) -> Vec<(u32, u32)> {
    let output = Command::new(objdump)
        .arg("-T")
        .arg(binary)
        .output()
        .expect("run objdump");
    assert!(output.status.success(), "objdump -T {}", binary.display());
    let mut versions: Vec<(u32, u32)> = String::from_utf8_lossy(&output.stdout)
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter_map(|word| word.strip_prefix("GLIBC_"))
        .filter_map(|version| {
            let mut parts = version.split('.');
            let major = parts.next()?.parse().ok()?;
            let minor = parts.next()?.parse().ok()?;
            Some((major, minor))
        })
        .collect();
    versions.sort_unstable();
    versions.dedup();
    versions
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds the wheel with maturin and zig, and installs it in a Debian 11 chroot"
)]
#[test]
fn the_linux_release_build_makes_a_manylinux2014_wheel_that_runs_on_debian_11() {
    let (Some(maturin), Some(objdump)) = (support::tool("maturin"), support::tool("objdump"))
    else {
        return;
    };
    // maturin runs zig as `python3 -m ziglang`: the venv beside maturin has it (`ziglang`
    // in .ci/requirements.txt).
    let python = maturin.with_file_name("python3");
    let zig = Command::new(&python)
        .args(["-c", "import ziglang"])
        .status()
        .is_ok_and(|status| status.success());
    if !zig {
        assert!(
            std::env::var_os("CI").is_none(),
            "`ziglang` is required under CI: run .ci/run"
        );
        eprintln!("skipped: no `ziglang` beside {}", maturin.display());
        return;
    }

    // The workflow's command, with only the optimisation level changed (the
    // `wheel-test` profile of Cargo.toml) and the output directory.
    let command = linux_build_command();
    for part in [
        "maturin build --release ",
        " --locked",
        " --zig",
        " --compatibility \"$COMPATIBILITY\"",
        " --target \"$TARGET\"",
        " --out dist",
    ] {
        assert!(command.contains(part), "{part:?} not in `{command}`");
    }
    let out = tempfile::tempdir().expect("temp dir");
    let here = command
        .replacen("--release", "--profile wheel-test", 1)
        .replacen("--out dist", "--out \"$OUT\"", 1);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let started = Instant::now();
    let built = Command::new("bash")
        .args(["-c", &here])
        .current_dir(manifest)
        .env("TARGET", "x86_64-unknown-linux-gnu")
        .env("COMPATIBILITY", "manylinux2014")
        .env("OUT", out.path())
        .env("CARGO_TARGET_DIR", manifest.join("target/wheel-test"))
        .env(
            "PATH",
            std::env::join_paths(
                std::iter::once(maturin.parent().expect("bin dir").to_path_buf()).chain(
                    std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
                ),
            )
            .expect("PATH"),
        )
        .output()
        .expect("run maturin");
    eprintln!("wheel built in {:.0?}", started.elapsed());
    assert!(
        built.status.success(),
        "{here}\n{}",
        String::from_utf8_lossy(&built.stderr)
    );

    let version = env!("CARGO_PKG_VERSION");
    let wheels: Vec<String> = fs_err::read_dir(out.path())
        .expect("read wheels")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let [wheel] = wheels.as_slice() else {
        panic!("expected one wheel: {wheels:?}");
    };
    assert!(
        wheel.starts_with(&format!(
            "pybootstrap_cli-{version}-py3-none-manylinux2014_x86_64."
        )) && Path::new(wheel)
            .extension()
            .is_some_and(|extension| extension == "whl"),
        "{wheel}"
    );

    // What the tag promises: no glibc symbol newer than 2.17.
    let unpacked = tempfile::tempdir().expect("temp dir");
    let unzip = Command::new(&python)
        .args(["-m", "zipfile", "-e"])
        .arg(out.path().join(wheel))
        .arg(unpacked.path())
        .status()
        .expect("unzip");
    assert!(unzip.success());
    let binary = unpacked.path().join(format!(
        "pybootstrap_cli-{version}.data/scripts/pybootstrap"
    ));
    let versions = glibc_versions(&objdump, &binary);
    assert!(!versions.is_empty(), "no GLIBC_ symbols read");
    let newest = versions.last().copied().expect("a version");
    assert!(newest <= (2, 17), "needs GLIBC_{}.{}", newest.0, newest.1);

    // Debian 11 (glibc 2.31, Python 3.9 with pip 20.3): pip installs it by its tag, and
    // it runs `detect` there.
    let Some(chroot) = crate::distros::Chroot::new("bullseye") else {
        return;
    };
    fs_err::create_dir_all(chroot.host("/wheels")).expect("mkdir");
    fs_err::copy(out.path().join(wheel), chroot.host("/wheels").join(wheel)).expect("copy");
    chroot
        .run(&format!(
            "python3 -m venv /opt/tool && /opt/tool/bin/python -m pip install --no-index \
             --disable-pip-version-check --quiet /wheels/{wheel}"
        ))
        .assert_code(0);
    let shown = chroot.run("/opt/tool/bin/pybootstrap --version");
    shown.assert_code(0);
    assert_eq!(shown.stdout.trim(), format!("pybootstrap {version}"));
    let detect = chroot.run("/opt/tool/bin/pybootstrap detect --json --python /usr/bin/python3");
    detect.assert_code(0);
    let json = detect.json();
    assert_eq!(json["platform"]["distro_id"], "debian", "{json:#}");
    let report = &json["interpreters"][0];
    assert_eq!(report["version"].as_str().map(|v| &v[..4]), Some("3.9."));
    assert_eq!(report["externally_managed"], false, "{json:#}");
    let human = chroot.run("/opt/tool/bin/pybootstrap detect");
    human.assert_code(0);
    assert!(human.stdout.contains("debian 11"), "{}", human.stdout);
}
