//! The generated files: snapshots of every file for a few answer sets, the real linter of
//! each language over them, and the generated bootstrap run for real.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use pybootstrap::answers::{
    Answers, Backend, Ci, Deps, DepsSource, Docs, Env, Lint, Make, Project, Provider, Python,
    Tasks,
};
use pybootstrap::render::{Placement, RenderedFile, Renderer};

use crate::support;

const CHECKOUT: &str = "08c6903cd8c0fde910a37f88322edcfb5dd907a8 # v5.0.0";
const SETUP_PYTHON: &str = "e797f83bcb11b83ae66e0230d6156d7c80228e7c # v6.0.0";

/// The spec's defaults.
fn sample_answers() -> Answers {
    Answers {
        schema: 1,
        project: Project {
            name: "sample".into(),
        },
        python: Python {
            versions: vec!["3.11".into(), "3.12".into()],
        },
        env: Env {
            backend: Backend::Venv,
            dir: ".venv".into(),
        },
        deps: Deps {
            source: DepsSource::Requirements,
            files: vec!["requirements.txt".into()],
            extras: Vec::new(),
        },
        tasks: Tasks {
            test: "pytest".into(),
            lint: "ruff check .".into(),
            fmt: "ruff format .".into(),
        },
        ci: Ci {
            providers: vec![Provider::Github],
            os: vec!["ubuntu-latest".into()],
            pep668_job: true,
            actions: BTreeMap::from([
                ("actions/checkout".to_string(), CHECKOUT.to_string()),
                ("actions/setup-python".to_string(), SETUP_PYTHON.to_string()),
            ]),
        },
        make: Make { enabled: true },
        lint: Lint { ignore: Vec::new() },
        docs: Docs {
            path: "docs/python-environment.md".into(),
        },
        templates: None,
    }
}

/// uv backend, a pyproject with extras, GitHub and GitLab.
fn uv_answers() -> Answers {
    let mut answers = sample_answers();
    answers.env.backend = Backend::Uv;
    answers.deps.source = DepsSource::Pyproject;
    answers.deps.files = Vec::new();
    answers.deps.extras = vec!["dev".into(), "test".into()];
    answers.ci.providers = vec![Provider::Github, Provider::Gitlab];
    answers.python.versions = vec!["3.12".into(), "3.13".into()];
    answers
}

/// virtualenv, several runner OSes, no Makefile, two requirement files.
fn virtualenv_answers() -> Answers {
    let mut answers = sample_answers();
    answers.env.backend = Backend::Virtualenv;
    answers.env.dir = "build/env".into();
    answers.deps.files = vec!["requirements.txt".into(), "requirements-dev.txt".into()];
    answers.ci.os = vec![
        "ubuntu-latest".into(),
        "macos-latest".into(),
        "windows-latest".into(),
    ];
    answers.make.enabled = false;
    answers.docs.path = "CONTRIBUTING-python.md".into();
    answers
}

/// Shell, YAML, Makefile, Markdown and PowerShell metacharacters in every free-text answer.
fn hostile_answers() -> Answers {
    let mut answers = sample_answers();
    answers.project.name = r#"x'; rm -rf / #$(id)`id`"{{ y }}%: - ${{ secrets.T }}"#.into();
    answers.env.dir = r#"env dir/$(id)'`x`"#.into();
    answers.tasks.test = r#"pytest -k "a and not b" # $(id) ${{ secrets.T }} '{{x}}' : - %"#.into();
    answers.tasks.lint = "ruff check . ; echo `id` $HOME".into();
    answers.tasks.fmt = r#"echo '$(Get-Process)' "`$x`n""#.into();
    answers.deps.files = vec![r#"req's $(x) {{y}}.txt"#.into()];
    answers.ci.providers = vec![Provider::Github, Provider::Gitlab];
    answers.ci.os = vec!["ubuntu-latest".into(), "windows-latest".into()];
    answers.make.enabled = false;
    answers
}

fn render(answers: &Answers) -> Vec<RenderedFile> {
    Renderer::builtin()
        .expect("built-in templates load")
        .render_all(answers)
        .expect("answers render")
}

/// Writes the rendered files into `dir` as `init` would (a managed block alone as the file).
fn materialize(files: &[RenderedFile], dir: &Path) {
    for file in files {
        let path = dir.join(&file.path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("create parent");
        std::fs::write(&path, &file.contents).expect("write file");
        if file.executable {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))
                .expect("chmod");
        }
    }
}

#[test]
#[ignore = "writes the rendered files to $PYBOOTSTRAP_DUMP for a look by hand"]
fn dump() {
    let root = PathBuf::from(std::env::var("PYBOOTSTRAP_DUMP").expect("PYBOOTSTRAP_DUMP"));
    for (name, answers) in [
        ("defaults", sample_answers()),
        ("uv", uv_answers()),
        ("virtualenv", virtualenv_answers()),
        ("hostile", hostile_answers()),
    ] {
        materialize(&render(&answers), &root.join(name));
    }
}
