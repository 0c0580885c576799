//! What users meet first and paste elsewhere: `--help` for every command, completions, the
//! man page, the progress line, and `snippet` for every provider, checked by each
//! provider's own schema and linters.

use std::path::Path;
use std::process::Command;

use clap::CommandFactory;

use crate::support::{self, Test};

/// Every command path, as arguments: `[]`, `["detect"]`, `["templates", "list"]`, ...
fn command_paths() -> Vec<Vec<String>> {
    fn walk(command: &clap::Command, prefix: &[String], out: &mut Vec<Vec<String>>) {
        out.push(prefix.to_vec());
        for sub in command.get_subcommands() {
            let mut path = prefix.to_vec();
            path.push(sub.get_name().to_string());
            walk(sub, &path, out);
        }
    }
    let mut paths = Vec::new();
    walk(&pybootstrap::cli::Cli::command(), &[], &mut paths);
    paths
}

#[test]
fn help_of_every_command_is_snapshotted() {
    let test = Test::new();
    for path in command_paths() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let mut command = test.command(&args);
        // clap wraps help to the terminal; a fixed width keeps the snapshots stable.
        command.env("COLUMNS", "100");
        let output = command.output().expect("run pybootstrap");
        assert!(output.status.success(), "{args:?}");
        assert!(output.stderr.is_empty(), "{args:?}");
        let help = String::from_utf8(output.stdout).expect("utf-8 help");
        let name = if path.is_empty() {
            "help".to_string()
        } else {
            format!("help_{}", path.join("_"))
        };
        insta::with_settings!({filters => vec![(r"\d+\.\d+\.\d+", "[VERSION]")]}, {
            insta::assert_snapshot!(name, help);
        });
    }
}

#[test]
fn version_is_the_crate_version() {
    let output = Test::new().run(&["--version"]);
    output.assert_code(0);
    assert_eq!(
        output.stdout.trim(),
        format!("pybootstrap {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn completions_for_every_shell_name_every_subcommand() {
    let test = Test::new();
    let subcommands: Vec<String> = pybootstrap::cli::Cli::command()
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = test.run(&["completions", shell]);
        output.assert_code(0);
        assert!(output.stderr.is_empty(), "{shell}: {}", output.stderr);
        for sub in &subcommands {
            assert!(
                output.stdout.contains(sub.as_str()),
                "{shell} lacks `{sub}`"
            );
        }
        assert!(output.stdout.contains("color"), "{shell} lacks `--color`");
        if shell == "bash" {
            let script = test.write("completion.bash", &output.stdout);
            let status = Command::new("bash")
                .arg("-n")
                .arg(&script)
                .status()
                .expect("run bash -n");
            assert!(status.success(), "bash -n rejects the completion script");
        }
    }
    let output = test.run(&["completions", "tcsh"]);
    output.assert_code(2);
}

/// `--set <TAB>` offers the answer keys, in bash for real; and `completions --help` says
/// where each shell's script goes.
#[test]
fn completions_offer_answer_keys_after_set_and_say_where_the_script_goes() {
    let test = Test::new();
    let script = test.run(&["completions", "bash"]);
    script.assert_code(0);
    let script = test.write("completion.bash", &script.stdout);
    let complete = |words: &[&str]| -> Vec<String> {
        let quoted: Vec<String> = words.iter().map(|word| format!("'{word}'")).collect();
        let program = format!(
            "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={}\n_pybootstrap pybootstrap '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
            script.display(),
            quoted.join(" "),
            words.len() - 1,
            words[words.len() - 1],
            words[words.len() - 2],
        );
        let output = Command::new("bash")
            .args(["--norc", "-c", &program])
            .current_dir(test.path())
            .output()
            .expect("run bash");
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_string)
            .collect()
    };
    for command in ["init", "regen", "snippet"] {
        let offered = complete(&["pybootstrap", command, "--set", ""]);
        for key in pybootstrap::answers::keys() {
            let expected = if key.key == "ci.actions" {
                "ci.actions.".to_string()
            } else {
                format!("{}=", key.key)
            };
            assert!(
                offered.contains(&expected),
                "{command}: {expected} not in {offered:?}"
            );
        }
        // Not the file names of the directory.
        assert!(
            !offered.iter().any(|word| word == "completion.bash"),
            "{offered:?}"
        );
    }
    let mut narrowed = complete(&["pybootstrap", "regen", "--set", "python.v"]);
    narrowed.sort();
    assert_eq!(narrowed, ["python.versions="]);

    let help = test.run(&["completions", "--help"]);
    help.assert_code(0);
    for line in [
        "bash        pybootstrap completions bash > ~/.local/share/bash-completion/completions/pybootstrap",
        "zsh         pybootstrap completions zsh > ~/.zfunc/_pybootstrap",
        "fish        pybootstrap completions fish > ~/.config/fish/completions/pybootstrap.fish",
        "powershell  pybootstrap completions powershell >> $PROFILE",
        "elvish      pybootstrap completions elvish >> ~/.config/elvish/rc.elv",
    ] {
        assert!(
            help.stdout.contains(line),
            "{line:?} not in:\n{}",
            help.stdout
        );
    }
    // Any KEY=VALUE still reaches the answers, which judge it.
    let refused = test.run(&["snippet", "github", "--set", "no.such=1"]);
    refused.assert_code(2);
    assert!(refused.stderr.contains("no.such"), "{}", refused.stderr);
}

#[test]
fn man_page_is_roff() {
    let output = Test::new().run(&["man"]);
    output.assert_code(0);
    let page = &output.stdout;
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{page}");
    assert!(page.contains(".TH pybootstrap 1"), "{page}");
    assert!(page.contains(".SH NAME"));
    // One printed page cannot bring pages of its own along, so it refers to none.
    assert!(!page.contains("(1)"), "{page}");
    assert!(page.contains(".SH COMMANDS"), "{page}");
    for sub in pybootstrap::cli::Cli::command().get_subcommands() {
        assert!(
            page.contains(&format!("\\fBpybootstrap {}\\fR", sub.get_name())),
            "{} not listed:\n{page}",
            sub.get_name()
        );
    }
}

/// `man --dir DIR` writes the page and one per command, and every page a page names
/// (`pybootstrap-detect(1)`) is among them.
#[test]
fn man_dir_writes_every_page_the_pages_refer_to() {
    let test = Test::new();
    test.run(&["man", "--dir", "man/man1"]).assert_code(0);
    let dir = test.path().join("man/man1");
    let mut written: Vec<String> = std::fs::read_dir(&dir)
        .expect("man dir")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    written.sort();
    for expected in [
        "pybootstrap.1",
        "pybootstrap-detect.1",
        "pybootstrap-templates.1",
        "pybootstrap-templates-list.1",
    ] {
        assert!(written.iter().any(|name| name == expected), "{written:?}");
    }
    for name in &written {
        let page = std::fs::read_to_string(dir.join(name)).expect("page");
        for reference in page
            .split(|c: char| c.is_whitespace())
            .filter_map(|word| word.strip_suffix("(1)"))
        {
            let file = format!("{}.1", reference.replace("\\-", "-"));
            assert!(
                written.contains(&file),
                "{name} names {reference}(1), not written"
            );
        }
    }
}

#[test]
fn color_flag_and_no_color_decide_ansi_codes() {
    let test = Test::new();
    let bad = ["detect", "--python", "/nonexistent/python3"];
    let always = test.run(&[&["--color", "always"], &bad[..]].concat());
    always.assert_code(2);
    assert!(always.stderr.contains("\x1b["), "{}", always.stderr);
    let never = test.run(&[&["--color", "never"], &bad[..]].concat());
    assert!(!never.stderr.contains("\x1b["), "{}", never.stderr);
    // `auto` off a terminal, and `NO_COLOR` (set by the builder) both mean plain text.
    let auto = test.run(&bad);
    assert!(!auto.stderr.contains("\x1b["), "{}", auto.stderr);
    let output = test.run(&["--color", "sometimes", "detect"]);
    output.assert_code(2);
}

#[test]
fn progress_shows_on_a_terminal_only() {
    let Some(python) = support::python("/usr/bin/python3.11") else {
        return;
    };
    let python = python.to_str().expect("utf-8 path");
    let test = Test::new();
    let args = ["detect", "--no-cache", "--python", python];
    let piped = test.run(&args);
    piped.assert_code(0);
    assert!(!piped.stderr.contains("probing"), "{}", piped.stderr);

    let mut command = test.command(&args);
    command.env("TERM", "xterm");
    let mut session =
        rexpect::session::spawn_command(command, Some(20_000)).expect("spawn in a pty");
    session
        .exp_string("probing Pythons (1)")
        .expect("progress line on the terminal");
    session.exp_eof().expect("exit");

    let mut command = test.command(&["--quiet", "detect", "--no-cache", "--python", python]);
    command.env("TERM", "xterm");
    let mut session =
        rexpect::session::spawn_command(command, Some(20_000)).expect("spawn in a pty");
    let everything = session.exp_eof().expect("exit");
    assert!(!everything.contains("probing"), "{everything}");
}

/// Answer sets for the snippets, as `pybootstrap.toml` texts.
const ANSWER_SETS: &[(&str, &str)] = &[
    (
        "requirements",
        "schema = 1\n[project]\nname = \"demo\"\n[deps]\nsource = \"requirements\"\nfiles = [\"requirements.txt\", \"requirements-dev.txt\"]\n",
    ),
    (
        "uv-lock",
        "schema = 1\n[project]\nname = \"demo\"\n[env]\nbackend = \"uv\"\n[deps]\nsource = \"uv-lock\"\nextras = [\"dev\"]\n[ci]\nproviders = [\"gitlab\"]\n",
    ),
    (
        "virtualenv-pyproject",
        "schema = 1\n[project]\nname = \"demo\"\n[python]\nversions = [\"3.11\"]\n[env]\nbackend = \"virtualenv\"\ndir = \"build/env\"\n[deps]\nsource = \"pyproject\"\nextras = [\"dev\", \"test\"]\n",
    ),
    (
        "hostile",
        r#"schema = 1
[project]
name = "demo"
[env]
dir = "env+dir/@x,y"
[deps]
source = "requirements"
files = ["req+@x,y.txt"]
[tasks]
test = "pytest -k \"a and not b\" # $(id) ${{ secrets.T }} '{{x}}' : - %"
"#,
    ),
    (
        "poetry",
        "schema = 1\n[project]\nname = \"demo\"\n[deps]\nsource = \"poetry\"\ngroups = [\"dev\"]\n",
    ),
    (
        "pdm-uv",
        "schema = 1\n[project]\nname = \"demo\"\n[env]\nbackend = \"uv\"\n[deps]\nsource = \"pdm\"\ngroups = [\"test\"]\n",
    ),
];

const PROVIDERS: &[&str] = &["github", "gitlab", "azure", "circleci", "bitbucket"];

fn snippet(test: &Test, args: &[&str]) -> String {
    let output = test.run(&[&["snippet"], args].concat());
    output.assert_code(0);
    output.stdout
}

fn indented(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|line| {
            if line.is_empty() {
                String::new()
            } else {
                format!("{prefix}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The snippet inside the smallest pipeline of its provider, and where that file goes.
fn wrapped(provider: &str, snippet: &str) -> (&'static str, String) {
    match provider {
        "github" => (
            ".github/workflows/snippet.yml",
            format!(
                "name: snippet\non:\n  push:\npermissions: {{}}\njobs:\n  test:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n    steps:\n{}",
                indented(snippet, "      ")
            ),
        ),
        "gitlab" => (".gitlab-ci.yml", snippet.to_string()),
        "azure" => (
            "azure-pipelines.yml",
            format!(
                "trigger:\n  - main\npool:\n  vmImage: ubuntu-latest\nsteps:\n{}",
                indented(snippet, "  ")
            ),
        ),
        "circleci" => (
            ".circleci/config.yml",
            format!(
                "version: 2.1\njobs:\n{}workflows:\n  main:\n    jobs:\n      - python-test\n",
                indented(snippet, "  ")
            ),
        ),
        "bitbucket" => (
            "bitbucket-pipelines.yml",
            format!("pipelines:\n  default:\n{}", indented(snippet, "    ")),
        ),
        other => panic!("no wrapper for {other}"),
    }
}

fn schema_name(provider: &str) -> &'static str {
    match provider {
        "github" => "vendor.github-workflows",
        "gitlab" => "vendor.gitlab-ci",
        "azure" => "vendor.azure-pipelines",
        "circleci" => "vendor.circle-ci",
        "bitbucket" => "vendor.bitbucket-pipelines",
        other => panic!("no schema for {other}"),
    }
}

#[track_caller]
fn check(program: &Path, args: &[&str], dir: &Path) {
    check_with_env(program, args, dir, &[]);
}

#[track_caller]
fn check_with_env(program: &Path, args: &[&str], dir: &Path, envs: &[(&str, &str)]) {
    let output = Command::new(program)
        .args(args)
        .envs(envs.iter().copied())
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", program.display()));
    assert!(
        output.status.success(),
        "{} {args:?} failed in {}\n--- stdout\n{}\n--- stderr\n{}",
        program.display(),
        dir.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The shell commands of a snippet's block scalar (`run: |`, `script: |`, ...).
fn shell_block(snippet: &str) -> String {
    let opens_script = |line: &str| {
        let line = line.trim_end();
        ["run: |", "script: |", "command: |", "- |"]
            .iter()
            .any(|opening| line.ends_with(opening))
    };
    let mut lines = snippet.lines().skip_while(|line| !opens_script(line));
    lines.next();
    let body: Vec<&str> = lines.take_while(|line| line.starts_with("    ")).collect();
    let indent = body
        .iter()
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    body.iter()
        .map(|line| &line[indent..])
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

#[test]
fn snippets_pass_their_providers_schemas_and_linters() {
    let schema = support::tool("check-jsonschema");
    let actionlint = support::tool("actionlint");
    let shellcheck = support::tool("shellcheck");
    for (set, answers) in ANSWER_SETS {
        for provider in PROVIDERS {
            let test = Test::new();
            test.write("pybootstrap.toml", answers);
            let text = snippet(&test, &[provider]);
            assert!(
                text.starts_with("# pybootstrap snippet"),
                "{set}/{provider}"
            );
            assert!(
                !text.contains("break-system-packages") && !text.contains("--user"),
                "{set}/{provider}: {text}"
            );
            let (path, pipeline) = wrapped(provider, &text);
            let file = test.write(path, &pipeline);
            let context = format!("{set}/{provider}:\n{pipeline}");
            if let Some(schema) = &schema {
                let file = file.to_str().expect("utf-8 path");
                // The Azure schema's patterns are not valid as Unicode ECMA regexes, the
                // default dialect; `nonunicode` reads them as Azure means them.
                let output = Command::new(schema)
                    .args(["--regex-variant", "nonunicode"])
                    .args(["--builtin-schema", schema_name(provider), file])
                    .output()
                    .expect("run check-jsonschema");
                assert!(
                    output.status.success(),
                    "{context}\n{}\n{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                );
            }
            // Hostile answers are single-quoted on purpose: that their `$(...)` and quotes
            // stay literal is what shellcheck's SC2016/SC2089/SC2090 point out.
            let exclude = if *set == "hostile" {
                "--exclude=SC2016,SC2089,SC2090"
            } else {
                "--exclude=SC0000"
            };
            if *provider == "github"
                && let Some(actionlint) = &actionlint
            {
                check_with_env(
                    actionlint,
                    &[path],
                    test.path(),
                    &[("SHELLCHECK_OPTS", exclude)],
                );
            }
            if let Some(shellcheck) = &shellcheck {
                let script = format!("#!/bin/sh\n{}", shell_block(&text));
                assert!(script.contains(" venv "), "{set}/{provider}: {script}");
                test.write("snippet.sh", &script);
                check(
                    shellcheck,
                    &["--shell=sh", exclude, "snippet.sh"],
                    test.path(),
                );
            }
        }
    }
}

/// Every snippet keeps its tools in the work tree, as the generated pipelines do. Docker's
/// is left out: its `/opt/venv` is inside the image it builds, not on a host.
#[test]
fn snippets_write_no_fixed_host_path() {
    for (set, answers) in ANSWER_SETS {
        for provider in PROVIDERS {
            let test = Test::new();
            test.write("pybootstrap.toml", answers);
            let text = snippet(&test, &[provider]);
            let found = support::fixed_host_paths(&text);
            assert!(
                found.is_empty(),
                "{set}/{provider} writes to a fixed host path:\n{}",
                found.join("\n")
            );
        }
    }
}

#[test]
fn github_snippet_neutralises_expressions_in_answers() {
    let test = Test::new();
    test.write("pybootstrap.toml", ANSWER_SETS[3].1);
    let text = snippet(&test, &["github"]);
    assert!(text.contains("${{ '${{' }} secrets.T }}"), "{text}");
    assert!(!text.contains("# $(id) ${{ secrets"), "{text}");
}

#[test]
fn snippets_without_answers_use_the_init_defaults() {
    let test = Test::new();
    let text = snippet(&test, &["gitlab"]);
    assert!(text.contains("python -m venv -- \"$ENV_DIR\""), "{text}");
    assert!(text.contains("ENV_DIR='.venv'"), "{text}");
    assert!(!test.path().join("pybootstrap.toml").exists());
}

#[test]
fn snippet_set_overrides_without_saving() {
    let test = Test::new();
    test.write("pybootstrap.toml", ANSWER_SETS[0].1);
    let text = snippet(&test, &["azure", "--set", "python.versions=3.12"]);
    assert!(text.contains("versionSpec: \"3.12\""), "{text}");
    assert_eq!(test.read("pybootstrap.toml"), ANSWER_SETS[0].1);
}

fn docker_snippet(test: &Test, image: Option<&str>) -> String {
    match image {
        Some(image) => snippet(test, &["docker", "--image", image]),
        None => snippet(test, &["docker"]),
    }
}

#[cfg_attr(
    not(feature = "slow-tests"),
    ignore = "slow tier: builds a venv and runs the bootstrap"
)]
#[test]
fn docker_stage_puts_a_venv_on_path_and_leaves_the_marker() {
    let hadolint = support::tool("hadolint");
    for (set, answers) in ANSWER_SETS {
        for image in [
            None,
            Some("debian:12"),
            Some("ubuntu:24.04"),
            Some("alpine:3.20"),
        ] {
            let test = Test::new();
            test.write("pybootstrap.toml", answers);
            let text = docker_snippet(&test, image);
            let context = format!("{set}/{image:?}:\n{text}");
            let from = text
                .lines()
                .find(|line| line.starts_with("FROM "))
                .expect("a FROM line");
            let venv = text
                .find("python3 -m venv /opt/venv")
                .unwrap_or_else(|| panic!("{context}"));
            let path = text
                .find("ENV PATH=\"/opt/venv/bin:$PATH\"")
                .unwrap_or_else(|| panic!("{context}"));
            assert!(venv < path, "{context}");
            assert!(!text.contains("EXTERNALLY-MANAGED"), "{context}");
            assert!(!text.contains("break-system-packages"), "{context}");
            // Into the env, or into the lock tool's own venv beside it.
            for install in text.lines().filter(|line| line.contains("pip install")) {
                assert!(
                    ["/opt/venv", "/opt/poetry", "/opt/pdm"]
                        .iter()
                        .any(|venv| install.contains(&format!("{venv}/bin/python -m pip"))),
                    "{context}"
                );
            }
            let apt = text.find("python3-venv");
            if matches!(image, Some(i) if i.starts_with("debian") || i.starts_with("ubuntu")) {
                assert!(apt.is_some_and(|apt| apt < venv), "{context}");
            } else {
                assert!(apt.is_none(), "{context}");
            }
            match image {
                Some(image) => assert_eq!(from, format!("FROM {image} AS python-env")),
                None => assert!(from.starts_with("FROM python:3."), "{context}"),
            }
            if let Some(hadolint) = &hadolint {
                test.write("Dockerfile", &text);
                // DL3008/DL3018/DL3041: unpinned OS packages, which a stage meant to be
                // pasted cannot know the versions of. Info level is shellcheck's SC2016 on
                // single-quoted answers, which are meant literally.
                check(
                    hadolint,
                    &[
                        "--failure-threshold",
                        "warning",
                        "--ignore",
                        "DL3008",
                        "--ignore",
                        "DL3018",
                        "--ignore",
                        "DL3041",
                        "Dockerfile",
                    ],
                    test.path(),
                );
            }
        }
    }
}

#[test]
fn docker_image_is_one_word() {
    let test = Test::new();
    let output = test.run(&["snippet", "docker", "--image", "debian\nRUN rm -rf /"]);
    output.assert_code(2);
    assert!(
        output.stderr.contains("not a container image"),
        "{}",
        output.stderr
    );
    let output = test.run(&["snippet", "github", "--image", "debian:12"]);
    output.assert_code(2);
    assert!(output.stderr.contains("hint:"), "{}", output.stderr);
}

/// Where `pybootstrap lint` finds nothing in the pasted snippets, once it exists.
#[test]
fn snippets_lint_clean() {
    let has_lint = pybootstrap::cli::Cli::command()
        .get_subcommands()
        .any(|sub| sub.get_name() == "lint");
    if !has_lint {
        eprintln!("skipped: this build has no `lint` command");
        return;
    }
    for (set, answers) in ANSWER_SETS {
        let test = Test::new();
        test.write("pybootstrap.toml", answers);
        for provider in PROVIDERS {
            let text = snippet(&test, &[provider]);
            let (path, pipeline) = wrapped(provider, &text);
            test.write(path, &pipeline);
        }
        for image in ["debian:12", "python:3.13-slim"] {
            let text = docker_snippet(&test, Some(image));
            let name = format!("docker/{}.Dockerfile", image.replace([':', '.'], "-"));
            test.write(&name, &text);
        }
        let output = test.run(&["lint"]);
        assert_eq!(
            output.code, 0,
            "{set}: lint findings\n{}\n{}",
            output.stdout, output.stderr
        );
        // Every pasted pipeline and Dockerfile was read, not skipped as an unknown kind.
        let expected = format!("({} files checked)", PROVIDERS.len() + 2);
        assert!(
            output.stdout.contains(&expected),
            "{set}: {}",
            output.stdout
        );
    }
}
