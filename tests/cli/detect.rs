//! `detect` against the real Pythons of this machine, copies of them with planted markers
//! (checked against pip's own decision), and fake interpreters for what no machine has.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{Test, debian_python_copy, python};

const DEBIAN: &str = "/usr/bin/python3.11";
const PYENV: &str = "/root/.pyenv/versions/3.11.7/bin/python3.11";

fn detect_one(test: &Test, python: &Path) -> Value {
    let output = test.run(&[
        "detect",
        "--json",
        "--python",
        python.to_str().expect("utf-8 path"),
    ]);
    output.assert_code(0);
    let json = output.json();
    assert_eq!(json["schema"], 1);
    let interpreters = json["interpreters"].as_array().expect("interpreters array");
    assert_eq!(interpreters.len(), 1, "{json:#}");
    interpreters[0].clone()
}

/// What Python's configparser reads as `[externally-managed] Error` in `marker`.
fn configparser_error(marker: &Path) -> String {
    let script = "import configparser,sys\nc=configparser.ConfigParser(interpolation=None)\nc.read(sys.argv[1],encoding='utf-8')\nsys.stdout.write(c.get('externally-managed','Error'))";
    let output = Command::new(DEBIAN)
        .args(["-I", "-c", script])
        .arg(marker)
        .output()
        .expect("run python");
    String::from_utf8(output.stdout).expect("utf-8")
}

#[test]
fn debian_python_is_externally_managed_with_its_own_message() {
    let Some(debian) = python(DEBIAN) else { return };
    let test = Test::new();
    let report = detect_one(&test, &debian);
    assert_eq!(report["externally_managed"], true);
    assert_eq!(report["reason"], "marker");
    assert_eq!(report["in_venv"], false);
    assert_eq!(report["marker"], "/usr/lib/python3.11/EXTERNALLY-MANAGED");
    assert_eq!(report["message_key"], "Error");
    let expected = configparser_error(Path::new("/usr/lib/python3.11/EXTERNALLY-MANAGED"));
    assert_eq!(report["message"], expected.as_str());
    assert_eq!(report["stdlib"], "/usr/lib/python3.11");
    assert_eq!(report["venv_ok"], true);
    assert_eq!(report["overrides"]["break_system_packages"], false);
    for key in [
        "path",
        "real_path",
        "version",
        "implementation",
        "prefix",
        "base_prefix",
        "warnings",
        "pip",
        "overrides",
    ] {
        assert!(report.get(key).is_some(), "missing `{key}`");
    }
}

#[test]
fn pyenv_python_is_free() {
    let Some(pyenv) = python(PYENV) else { return };
    let test = Test::new();
    let report = detect_one(&test, &pyenv);
    assert_eq!(report["externally_managed"], false);
    assert_eq!(report["reason"], "no-marker");
    assert_eq!(report["message"], Value::Null);
    assert_eq!(report["message_key"], Value::Null);
}

#[test]
fn venv_from_the_debian_python_is_free() {
    let Some(debian) = python(DEBIAN) else { return };
    let test = Test::new();
    let venv = test.path().join("venv");
    let status = Command::new(&debian)
        .args(["-m", "venv", "--without-pip"])
        .arg(&venv)
        .status()
        .expect("make venv");
    assert!(status.success());
    let report = detect_one(&test, &venv.join("bin/python"));
    assert_eq!(report["in_venv"], true);
    assert_eq!(report["reason"], "venv");
    assert_eq!(report["externally_managed"], false);
    assert_eq!(report["real_path"], "/usr/bin/python3.11");
    assert_eq!(report["prefix"], venv.to_str().expect("utf-8"));

    // The same interpreter file as a venv and as itself: two entries, not deduplicated.
    let output = test.run(&[
        "detect",
        "--json",
        "--python",
        venv.join("bin/python").to_str().expect("utf-8"),
        "--python",
        DEBIAN,
    ]);
    assert_eq!(
        output.assert_code(0).json()["interpreters"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
}

#[test]
fn active_virtual_env_is_reported() {
    let Some(debian) = python(DEBIAN) else { return };
    let mut test = Test::new();
    let venv = test.path().join("active");
    assert!(
        Command::new(&debian)
            .args(["-m", "venv", "--without-pip"])
            .arg(&venv)
            .status()
            .expect("venv")
            .success()
    );
    test.env("VIRTUAL_ENV", venv.to_str().expect("utf-8"))
        .env("PATH", "/nonexistent");
    let json = test.run(&["detect", "--json"]).assert_code(0).json();
    let paths: Vec<&str> = json["interpreters"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|i| i["path"].as_str())
        .collect();
    assert_eq!(paths, [venv.join("bin/python").to_str().expect("utf-8")]);
}

/// How pip run by `python` decides on `pip install --dry-run`: `Some(true)` refused as
/// externally managed, `Some(false)` allowed, `None` when pip crashed reading the marker.
fn pip_refuses(python: &Path, envs: &[(&str, &str)]) -> (Option<bool>, String) {
    let output = Command::new(python)
        .args([
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--no-index",
            "--disable-pip-version-check",
            "pybootstrap-no-such-package",
        ])
        .env("PYTHONPATH", "/usr/lib/python3/dist-packages")
        .env_remove("PIP_BREAK_SYSTEM_PACKAGES")
        .env_remove("PIP_CONFIG_FILE")
        .env("PIP_CONFIG_FILE", "/dev/null")
        .envs(envs.iter().copied())
        .output()
        .expect("run pip");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    if stderr.contains("externally-managed-environment") {
        (Some(true), stderr)
    } else if stderr.contains("Traceback") {
        (None, stderr)
    } else {
        (Some(false), stderr)
    }
}

/// Marker variants: (name, bytes). Written into the copy's stdlib one at a time.
fn marker_variants() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("plain", b"[externally-managed]\nError=Use apt, not pip.\n".to_vec()),
        ("lowercase key", b"[externally-managed]\nerror = lower case key works\n".to_vec()),
        ("colon", b"[externally-managed]\nError: colon delimiter\n".to_vec()),
        ("multi-line", b"[externally-managed]\nError = first\n  second\n\n  after blank\n# comment inside\n  last\n".to_vec()),
        ("inline hash", b"[externally-managed]\nError = keep # this ; and this % too\n".to_vec()),
        ("crlf", b"[externally-managed]\r\nError = windows line ends\r\n".to_vec()),
        ("empty file", Vec::new()),
        ("no section", b"Error = no header\n".to_vec()),
        ("wrong case section", b"[Externally-Managed]\nError = wrong case\n".to_vec()),
        ("no key", b"[externally-managed]\nOther = x\n".to_vec()),
        ("empty value", b"[externally-managed]\nError =\n".to_vec()),
        ("bom", b"\xef\xbb\xbf[externally-managed]\nError = bom\n".to_vec()),
        ("bare key", b"[externally-managed]\nError\n".to_vec()),
        ("invalid utf-8", b"[externally-managed]\nError = \xff\xfe bad\n".to_vec()),
        ("duplicate key", b"[externally-managed]\nError = one\nError = two\n".to_vec()),
        ("binary", vec![0, 159, 146, 150, 0, 1, 2]),
    ]
}

#[test]
fn verdict_equals_pips_own_decision_for_every_marker_variant() {
    let test = Test::new();
    let Some(copy) = debian_python_copy(&test.path().join("py"), &[]) else {
        return;
    };
    let marker = test.path().join("py/lib/python3.11/EXTERNALLY-MANAGED");
    for (name, contents) in marker_variants() {
        std::fs::write(&marker, &contents).expect("plant marker");
        let report = detect_one(&test, &copy);
        let (pip, stderr) = pip_refuses(&copy, &[]);
        assert_eq!(report["externally_managed"], true, "{name}: {report:#}");
        assert_eq!(report["marker"], marker.to_str().expect("utf-8"), "{name}");
        // pip crashes on some markers (duplicate keys); everywhere else it refuses.
        assert!(
            pip != Some(false),
            "{name}: pip allowed the install:\n{stderr}"
        );
        let message = report["message"].as_str().expect("a message");
        // pip 23.0.1 shows an empty `Error =` as an empty message; the spec reports pip's
        // default text for it ("no non-empty message").
        if pip == Some(true) && name != "empty value" {
            for line in message.lines().filter(|l| !l.trim().is_empty()) {
                assert!(
                    stderr.contains(line.trim()),
                    "{name}: pip's output lacks `{line}`:\n{stderr}"
                );
            }
        }
        if report["message_key"].is_null() {
            assert!(
                message.contains("is managed externally"),
                "{name}: {message}"
            );
            assert!(
                !report["warnings"].as_array().expect("warnings").is_empty(),
                "{name}: default text without a warning"
            );
        }
    }
}

#[test]
fn not_a_regular_file_is_not_a_marker() {
    let test = Test::new();
    let Some(copy) = debian_python_copy(&test.path().join("py"), &[]) else {
        return;
    };
    let marker = test.path().join("py/lib/python3.11/EXTERNALLY-MANAGED");
    std::fs::create_dir(&marker).expect("mkdir");
    assert_eq!(detect_one(&test, &copy)["reason"], "no-marker");
    assert_eq!(pip_refuses(&copy, &[]).0, Some(false));
    std::fs::remove_dir(&marker).expect("rmdir");
    std::os::unix::fs::symlink(test.path().join("nowhere"), &marker).expect("symlink");
    assert_eq!(detect_one(&test, &copy)["reason"], "no-marker");
    assert_eq!(pip_refuses(&copy, &[]).0, Some(false));
}

#[test]
fn break_system_packages_overrides_match_pip() {
    let mut test = Test::new();
    let Some(copy) = debian_python_copy(&test.path().join("py"), &[]) else {
        return;
    };
    std::fs::write(
        test.path().join("py/lib/python3.11/EXTERNALLY-MANAGED"),
        "[externally-managed]\nError=no\n",
    )
    .expect("marker");
    test.env("PIP_BREAK_SYSTEM_PACKAGES", "1");
    let report = detect_one(&test, &copy);
    assert_eq!(report["externally_managed"], true);
    assert_eq!(report["overrides"]["break_system_packages"], true);
    assert_eq!(report["overrides"]["source"], "PIP_BREAK_SYSTEM_PACKAGES");
    assert_eq!(
        pip_refuses(&copy, &[("PIP_BREAK_SYSTEM_PACKAGES", "1")]).0,
        Some(false)
    );
    let human = test.run(&["detect", "--python", copy.to_str().expect("utf-8")]);
    assert!(
        human.stdout.contains("unset PIP_BREAK_SYSTEM_PACKAGES"),
        "{}",
        human.stdout
    );

    test.unset("PIP_BREAK_SYSTEM_PACKAGES");
    let config = test.write("pip.conf", "[install]\nbreak-system-packages = true\n");
    test.env("PIP_CONFIG_FILE", config.to_str().expect("utf-8"));
    let report = detect_one(&test, &copy);
    assert_eq!(report["overrides"]["break_system_packages"], true);
    assert_eq!(
        report["overrides"]["source"],
        config.to_str().expect("utf-8")
    );
    assert_eq!(
        pip_refuses(
            &copy,
            &[("PIP_CONFIG_FILE", config.to_str().expect("utf-8"))]
        )
        .0,
        Some(false)
    );
}

#[test]
fn missing_ensurepip_gets_the_exact_apt_command() {
    let mut test = Test::new();
    let Some(copy) = debian_python_copy(&test.path().join("py"), &["ensurepip"]) else {
        return;
    };
    std::fs::copy(
        "/usr/lib/python3.11/EXTERNALLY-MANAGED",
        test.path().join("py/lib/python3.11/EXTERNALLY-MANAGED"),
    )
    .expect("marker");
    let os_release = test.write("os-release", "ID=debian\nVERSION_ID=\"12\"\n");
    test.env(
        "PYBOOTSTRAP_OS_RELEASE",
        os_release.to_str().expect("utf-8"),
    );
    assert_eq!(detect_one(&test, &copy)["venv_ok"], false);
    let output = test.run(&["detect", "--python", copy.to_str().expect("utf-8")]);
    output.assert_code(0);
    assert!(
        output.stdout.contains("sudo apt install python3.11-venv"),
        "{}",
        output.stdout
    );
}

/// A fake interpreter: a shell script that answers the probe with canned facts and counts
/// its runs in `runs`.
fn fake_python(dir: &Path, name: &str, facts: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(dir).expect("mkdir");
    let script = format!(
        "#!/bin/sh\necho run >> '{}'\ncat <<'EOF'\n{}\nEOF\n",
        dir.join("runs").display(),
        serde_json::to_string(facts).expect("json")
    );
    std::fs::write(&path, script).expect("write fake");
    Command::new("chmod")
        .arg("755")
        .arg(&path)
        .status()
        .expect("chmod");
    path
}

fn canned_facts(prefix: &Path) -> Value {
    serde_json::json!({
        "pybootstrap_probe": 1, "version": "3.12.4", "implementation": "cpython",
        "executable": prefix.join("bin/python3").to_str().expect("utf-8"),
        "prefix": prefix.to_str().expect("utf-8"), "base_prefix": prefix.to_str().expect("utf-8"),
        "real_prefix": null, "stdlib": prefix.join("lib/python3.12").to_str().expect("utf-8"),
        "venv": true, "ensurepip": true, "pip": "24.0", "platform": "linux"
    })
}

fn runs(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join("runs"))
        .map(|s| s.lines().count())
        .unwrap_or(0)
}

#[test]
fn repeat_detect_starts_no_python_and_survives_a_corrupt_cache() {
    let test = Test::new();
    let prefix = test.path().join("fake");
    let python = fake_python(&prefix.join("bin"), "python3", &canned_facts(&prefix));
    let arg = python.to_str().expect("utf-8");
    test.run(&["detect", "--python", arg]).assert_code(0);
    test.run(&["detect", "--python", arg]).assert_code(0);
    assert_eq!(runs(&prefix.join("bin")), 1, "the second run probed again");
    test.run(&["detect", "--no-cache", "--python", arg])
        .assert_code(0);
    assert_eq!(runs(&prefix.join("bin")), 2, "--no-cache did not probe");

    test.write(
        ".test-cache/pybootstrap/interpreters.json",
        b"\x00not json{{",
    );
    test.run(&["detect", "--python", arg]).assert_code(0);
    assert_eq!(runs(&prefix.join("bin")), 3);
    let rewritten = test.read(".test-cache/pybootstrap/interpreters.json");
    assert!(rewritten.starts_with('{'), "{rewritten}");

    // Touching the interpreter invalidates its entry.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let script = std::fs::read(&python).expect("read");
    std::fs::write(&python, script).expect("rewrite");
    test.run(&["detect", "--python", arg]).assert_code(0);
    assert_eq!(runs(&prefix.join("bin")), 4);
}

#[test]
fn marker_is_read_fresh_on_every_run() {
    let test = Test::new();
    let prefix = test.path().join("fake");
    let python = fake_python(&prefix.join("bin"), "python3", &canned_facts(&prefix));
    let arg = python.to_str().expect("utf-8");
    let first = test
        .run(&["detect", "--json", "--python", arg])
        .assert_code(0)
        .json();
    assert_eq!(first["interpreters"][0]["reason"], "no-marker");
    test.write(
        "fake/lib/python3.12/EXTERNALLY-MANAGED",
        "[externally-managed]\nError = now managed\n",
    );
    let second = test
        .run(&["detect", "--json", "--python", arg])
        .assert_code(0)
        .json();
    assert_eq!(second["interpreters"][0]["message"], "now managed");
    assert_eq!(runs(&prefix.join("bin")), 1);
}

#[test]
fn python2_is_unsupported_and_others_still_reported() {
    let Some(python2) = python("/root/.pyenv/versions/2.7.18/bin/python2.7") else {
        return;
    };
    let Some(pyenv) = python(PYENV) else { return };
    let test = Test::new();
    let json = test
        .run(&[
            "detect",
            "--json",
            "--python",
            python2.to_str().expect("utf-8"),
            "--python",
            pyenv.to_str().expect("utf-8"),
        ])
        .assert_code(0)
        .json();
    assert_eq!(json["interpreters"][0]["reason"], "unsupported");
    assert_eq!(json["interpreters"][0]["externally_managed"], Value::Null);
    assert_eq!(json["interpreters"][1]["reason"], "no-marker");
}

#[test]
fn broken_venv_is_reported_as_broken() {
    let test = Test::new();
    let Some(copy) = debian_python_copy(&test.path().join("py"), &[]) else {
        return;
    };
    let venv = test.path().join("venv");
    assert!(
        Command::new(&copy)
            .args(["-m", "venv", "--without-pip"])
            .arg(&venv)
            .status()
            .expect("venv")
            .success()
    );
    std::fs::remove_dir_all(test.path().join("py")).expect("remove base");
    let report = detect_one(&test, &venv.join("bin/python"));
    assert_eq!(report["reason"], "broken");
    let human = test.run(&[
        "detect",
        "--python",
        venv.join("bin/python").to_str().expect("utf-8"),
    ]);
    assert!(human.stdout.contains("recreate it"), "{}", human.stdout);
}

#[test]
fn missing_or_non_python_argument_exits_2_naming_the_path() {
    let test = Test::new();
    let output = test.run(&["detect", "--python", "/nonexistent/python3"]);
    output.assert_code(2);
    assert!(
        output.stderr.contains("/nonexistent/python3"),
        "{}",
        output.stderr
    );

    let script = test.write("not-python", "#!/bin/sh\necho hello\n");
    Command::new("chmod")
        .arg("755")
        .arg(&script)
        .status()
        .expect("chmod");
    let output = test.run(&["detect", "--python", script.to_str().expect("utf-8")]);
    output.assert_code(2);
    assert!(output.stderr.contains("not-python"), "{}", output.stderr);
    assert!(output.stderr.contains("hint:"), "{}", output.stderr);

    let data = test.write("data.bin", [0u8, 1, 2, 3]);
    let output = test.run(&["detect", "--python", data.to_str().expect("utf-8")]);
    output.assert_code(2);
}

#[test]
fn pyenv_shim_is_reported_with_the_interpreter_it_runs_without_running_bash() {
    let mut test = Test::new();
    let root = test.path().join("pyenv");
    let prefix = root.join("versions/3.12.4");
    let target = fake_python(&prefix.join("bin"), "python3", &canned_facts(&prefix));
    let shim = format!(
        "#!/usr/bin/env bash\nexport PYENV_ROOT=\"{}\"\necho shim-ran >> '{}'\nexit 1\n",
        root.display(),
        root.join("shim-runs").display()
    );
    let shim_path = test.write("pyenv/shims/python3", shim);
    Command::new("chmod")
        .arg("755")
        .arg(&shim_path)
        .status()
        .expect("chmod");
    std::fs::write(root.join("version"), "3.12\n").expect("version file");
    test.env("PATH", root.join("shims").to_str().expect("utf-8"))
        .env("PYENV_VERSION", "");
    let json = test.run(&["detect", "--json"]).assert_code(0).json();
    let report = &json["interpreters"][0];
    assert_eq!(report["path"], shim_path.to_str().expect("utf-8"));
    assert_eq!(report["real_path"], target.to_str().expect("utf-8"));
    assert!(!root.join("shim-runs").exists(), "the shim itself was run");
}

#[test]
fn os_release_decides_the_package_manager() {
    let Some(debian) = python(DEBIAN) else { return };
    let cases = [
        (
            "ID=ubuntu\nID_LIKE=debian\nVERSION_ID=\"24.04\"\n",
            Value::from("apt"),
        ),
        ("ID=\"fedora\"\nVERSION_ID=40\n", Value::from("dnf")),
        (
            "ID=linuxmint\nID_LIKE=\"ubuntu debian\"\n",
            Value::from("apt"),
        ),
        ("ID=alpine\nVERSION_ID=3.19.1\n", Value::from("apk")),
        (
            "ID=opensuse-tumbleweed\nID_LIKE=\"opensuse suse\"\n",
            Value::from("zypper"),
        ),
        ("ID=plan9\n", Value::Null),
        ("\u{0}\u{1}garbage\nno equals sign\n", Value::Null),
    ];
    for (text, expected) in cases {
        let mut test = Test::new();
        let path = test.write("os-release", text);
        test.env("PYBOOTSTRAP_OS_RELEASE", path.to_str().expect("utf-8"));
        let json = test
            .run(&[
                "detect",
                "--json",
                "--python",
                debian.to_str().expect("utf-8"),
            ])
            .assert_code(0)
            .json();
        assert_eq!(json["platform"]["package_manager"], expected, "{text}");
    }
}

#[test]
fn human_output_is_one_block_per_interpreter_without_colour_when_piped() {
    let Some(debian) = python(DEBIAN) else { return };
    let test = Test::new();
    let output = test.run(&["detect", "--python", debian.to_str().expect("utf-8")]);
    output.assert_code(0);
    assert!(
        output
            .stdout
            .contains("externally managed: `pip install` is refused"),
        "{}",
        output.stdout
    );
    assert!(output.stdout.contains("-m venv .venv"), "{}", output.stdout);
    assert!(!output.stdout.contains('\x1b'), "colour on a pipe");
    let coloured = test.run(&[
        "--color",
        "always",
        "detect",
        "--python",
        debian.to_str().expect("utf-8"),
    ]);
    assert!(coloured.stdout.contains('\x1b'));
}

#[test]
fn no_cache_keeps_the_other_entries_and_a_changed_stdlib_means_a_new_probe() {
    let test = Test::new();
    let first = test.path().join("first");
    let second = test.path().join("second");
    let first_python = fake_python(&first.join("bin"), "python3", &canned_facts(&first));
    let second_python = fake_python(&second.join("bin"), "python3", &canned_facts(&second));
    std::fs::create_dir_all(first.join("lib/python3.12")).expect("stdlib dir");
    test.run(&["detect", "--python", first_python.to_str().expect("utf-8")])
        .assert_code(0);
    test.run(&[
        "detect",
        "--no-cache",
        "--python",
        second_python.to_str().expect("utf-8"),
    ])
    .assert_code(0);
    test.run(&["detect", "--python", first_python.to_str().expect("utf-8")])
        .assert_code(0);
    assert_eq!(
        runs(&first.join("bin")),
        1,
        "--no-cache dropped the other interpreter's entry"
    );

    // `apt install python3.11-venv` adds `ensurepip` to the stdlib: the facts are stale.
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::create_dir(first.join("lib/python3.12/ensurepip")).expect("new stdlib entry");
    test.run(&["detect", "--python", first_python.to_str().expect("utf-8")])
        .assert_code(0);
    assert_eq!(
        runs(&first.join("bin")),
        2,
        "a changed stdlib kept the cached facts"
    );
}

#[test]
fn one_interpreter_under_three_names_is_probed_once() {
    let test = Test::new();
    let bin = test.path().join("fake/bin");
    let python = fake_python(&bin, "python3.12", &canned_facts(&test.path().join("fake")));
    for name in ["python", "python3"] {
        std::os::unix::fs::symlink(&python, bin.join(name)).expect("symlink");
    }
    let mut test = test;
    test.env("PATH", bin.to_str().expect("utf-8"));
    let output = test.run(&["detect", "--json", "--no-cache"]);
    output.assert_code(0);
    assert_eq!(
        runs(&bin),
        1,
        "one probe for python, python3 and python3.12"
    );
    let json = output.json();
    assert_eq!(json["interpreters"].as_array().expect("array").len(), 1);
}

#[test]
fn a_pyenv_version_that_is_not_installed_falls_back_to_system() {
    let (Some(_), Some(_)) = (python(DEBIAN), python("/root/.pyenv/shims/python3")) else {
        return;
    };
    let mut test = Test::new();
    test.env("PATH", "/root/.pyenv/shims:/usr/bin:/bin")
        .env("PYENV_VERSION", "3.9.99");
    let output = test.run(&["detect", "--json"]);
    output.assert_code(0);
    let json = output.json();
    let first = &json["interpreters"][0];
    assert_eq!(first["path"], "/root/.pyenv/shims/python3", "{json:#}");
    assert_eq!(first["real_path"], DEBIAN, "{json:#}");
    assert_eq!(first["externally_managed"], true);
    let human = test.run(&["detect"]);
    assert!(
        !human.stdout.contains("no Python interpreter found"),
        "{}",
        human.stdout
    );
}

#[test]
fn uv_break_system_packages_is_reported_for_uv() {
    let Some(debian) = python(DEBIAN) else { return };
    let mut test = Test::new();
    test.env("UV_BREAK_SYSTEM_PACKAGES", "1");
    let report = detect_one(&test, &debian);
    assert_eq!(report["overrides"]["uv_break_system_packages"], true);
    // pip does not read uv's variable.
    assert_eq!(report["overrides"]["break_system_packages"], false);
    assert_eq!(report["externally_managed"], true);
    let human = test.run(&["detect", "--python", DEBIAN]);
    assert!(
        human
            .stdout
            .contains("warning: `UV_BREAK_SYSTEM_PACKAGES` switches PEP 668 off for uv"),
        "{}",
        human.stdout
    );
    test.env("UV_BREAK_SYSTEM_PACKAGES", "false");
    let report = detect_one(&test, &debian);
    assert_eq!(report["overrides"]["uv_break_system_packages"], false);
}

#[test]
fn a_venv_without_pip_is_incomplete() {
    let Some(debian) = python(DEBIAN) else { return };
    let test = Test::new();
    let made = Command::new(&debian)
        .args(["-m", "venv", "--without-pip"])
        .arg(test.path().join("bare"))
        .status()
        .expect("run venv");
    assert!(made.success());
    let bare = test.path().join("bare/bin/python");
    let report = detect_one(&test, &bare);
    assert_eq!(report["reason"], "venv");
    assert_eq!(report["pip"], Value::Null);
    assert!(
        report["warnings"][0]
            .as_str()
            .is_some_and(|w| w.starts_with("no pip in this virtual environment")),
        "{report:#}"
    );
    let human = test.run(&["detect", "--python", bare.to_str().expect("utf-8")]);
    assert!(
        human
            .stdout
            .contains("incomplete: a virtual environment without pip"),
        "{}",
        human.stdout
    );
    assert!(
        human
            .stdout
            .contains(&format!("`{} -m ensurepip`", bare.display())),
        "{}",
        human.stdout
    );
}

#[test]
fn python_names_and_versions_are_looked_up_on_path() {
    let Some(_) = python(DEBIAN) else { return };
    let mut test = Test::new();
    test.env("PATH", "/usr/bin:/bin");
    for (flag, path) in [("3.11", DEBIAN), ("python3", "/usr/bin/python3")] {
        let output = test.run(&["detect", "--json", "--python", flag]);
        output.assert_code(0);
        assert_eq!(output.json()["interpreters"][0]["path"], path);
    }
    let missing = test.run(&["detect", "--python", "3.99"]);
    missing.assert_code(2);
    assert!(
        missing.stderr.contains("`python3.99`"),
        "{}",
        missing.stderr
    );
}

#[test]
fn all_sorts_pyenv_versions_as_numbers() {
    let (Some(_), Some(_)) = (
        python("/root/.pyenv/versions/3.6.15/bin/python3"),
        python("/root/.pyenv/versions/3.10.13/bin/python3"),
    ) else {
        return;
    };
    let mut test = Test::new();
    test.env("PYENV_ROOT", "/root/.pyenv");
    let output = test.run(&["detect", "--all", "--json"]);
    output.assert_code(0);
    let json = output.json();
    let pyenv: Vec<String> = json["interpreters"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|i| i["path"].as_str())
        .filter_map(|p| p.strip_prefix("/root/.pyenv/versions/"))
        .map(|p| p.split('/').next().unwrap_or_default().to_string())
        .collect();
    let position = |version: &str| pyenv.iter().position(|v| v == version);
    assert!(
        position("3.6.15") < position("3.9.18") && position("3.9.18") < position("3.10.13"),
        "{pyenv:?}"
    );
}

#[test]
fn a_program_that_is_not_python_is_named_without_the_probe_source() {
    let test = Test::new();
    let output = test.run(&["detect", "--python", "/bin/ls"]);
    output.assert_code(2);
    assert!(
        output
            .stderr
            .contains("`/bin/ls` is not a usable Python interpreter"),
        "{}",
        output.stderr
    );
    assert!(!output.stderr.contains("import"), "{}", output.stderr);
    assert!(output.stderr.len() < 400, "{}", output.stderr);
}

#[test]
fn pythonhome_and_pythonpath_that_break_python_are_named() {
    let Some(pyenv) = python(PYENV) else { return };
    let pyenv = pyenv.to_str().expect("utf-8");
    let mut test = Test::new();
    // The probe runs isolated and still answers; the user's `python -m pip` does not.
    test.env("PYTHONHOME", "/nonexistent");
    let human = test.run(&["detect", "--python", pyenv]);
    human.assert_code(0);
    assert!(
        human.stdout.contains(
            "broken in this environment: `python -m pip` dies here (see the warning)\n  without those variables: free: not externally managed, pip installs here"
        ) && human.stdout.contains(
            "warning: with PYTHONHOME=/nonexistent set in this environment, `python -m pip` dies here (ModuleNotFoundError: No module named 'encodings'); the verdict is for a run without it: `unset PYTHONHOME`"
        ),
        "{}",
        human.stdout
    );
    let json = detect_one(&test, Path::new(pyenv));
    assert_eq!(json["externally_managed"], false, "{json:#}");
    assert!(
        json["warnings"][0]
            .as_str()
            .is_some_and(|w| w.starts_with("with PYTHONHOME=/nonexistent set")),
        "{json:#}"
    );

    // A PYTHONPATH whose `pip` shadows the real one.
    let shadow = test.write(
        "shadow/pip/__init__.py",
        "raise ImportError('a stale pip')\n",
    );
    let shadow_dir = shadow.parent().and_then(Path::parent).expect("shadow dir");
    test.unset("PYTHONHOME");
    test.env("PYTHONPATH", shadow_dir.to_str().expect("utf-8"));
    let json = detect_one(&test, Path::new(pyenv));
    assert!(
        json["warnings"][0].as_str().is_some_and(|w| w.contains(&format!(
            "with PYTHONPATH={} set in this environment, `python -m pip` dies here (ImportError: a stale pip)",
            shadow_dir.display()
        ))),
        "{json:#}"
    );

    // Set but harmless: nothing to say.
    test.env(
        "PYTHONPATH",
        test.path().join("empty").to_str().expect("utf-8"),
    );
    let json = detect_one(&test, Path::new(pyenv));
    assert_eq!(json["warnings"], serde_json::json!([]), "{json:#}");
}
