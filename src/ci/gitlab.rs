//! GitLab CI: GitLab reads one root file, `.gitlab-ci.yml`; pybootstrap writes it whole when
//! it is absent or pybootstrap's, else writes its pipeline as a file of its own that the
//! user's root file includes, in a stage that pipeline has.

use serde::Serialize;

use super::lines::{indent, key_value, unquote};
use super::{
    CiFile, CiProvider, Facts, Fit, Found, GENERATED, Location, Scripts, ServiceFields, Snippet,
    Step, pairs, read_services,
};
use crate::block;
use crate::lint::yaml::{self, Node};
use crate::project::services::{self as needs, Needs};

/// The root file GitLab reads, which pybootstrap writes whole when it is absent or its own.
const ROOT: &str = ".gitlab-ci.yml";

/// The pipeline template, and where it goes when the user's root file includes it.
const PIPELINE: &str = "ci/gitlab/gitlab-ci.yml";
const INCLUDED: &str = ".gitlab/pybootstrap-ci.yml";
/// The managed block that includes it from the user's root file.
const INCLUDE: &str = "ci/gitlab/include.yml";

pub(super) struct Gitlab;

/// How pybootstrap's pipeline reaches GitLab, which reads one root file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Placement {
    /// No root file, or pybootstrap's own: it is written whole.
    Root,
    /// The user's root file: pybootstrap's pipeline is a file of its own, and a managed
    /// block `include:`s it (as an entry of the user's `include:` list when there is one).
    Included { in_list: bool },
    /// The user's root `include:` is written inline (`include: a.yml`): the file of its
    /// own is written, and the user adds the entry (init says how).
    Beside,
}

/// Where pybootstrap's pipeline goes, from the root file there is.
fn placement(root: Option<&Root>) -> Placement {
    match root {
        None => Placement::Root,
        Some(root) if root.generated => Placement::Root,
        Some(root) => match root.include {
            Include::Absent => Placement::Included { in_list: false },
            Include::List => Placement::Included { in_list: true },
            Include::Inline => Placement::Beside,
        },
    }
}

/// The stage of pybootstrap's included jobs: `test` where the user's pipeline has it (or
/// keeps GitLab's default stages), else the user's first stage named like a test stage,
/// else their last; an unknown stage would make GitLab reject the whole pipeline.
fn stage(stages: Option<&[String]>) -> String {
    let Some(stages) = stages.filter(|stages| !stages.is_empty()) else {
        return "test".to_string();
    };
    stages
        .iter()
        .find(|stage| *stage == "test")
        .or_else(|| stages.iter().find(|stage| stage.contains("test")))
        .or_else(|| stages.last())
        .cloned()
        .unwrap_or_else(|| "test".to_string())
}

/// The pipeline template's variables, as `ci.gitlab_*`.
#[derive(Debug, Clone, Serialize)]
struct Context {
    /// pybootstrap's pipeline is a file the user's root file includes (its jobs then carry
    /// their own variables and a `pybootstrap-` prefix, and it sets no stages).
    #[serde(rename = "gitlab_included")]
    included: bool,
    /// Whether a managed block in the user's root file includes the pipeline.
    #[serde(rename = "gitlab_include_block")]
    include_block: bool,
    /// Whether the include entry goes under the user's own `include:` list.
    #[serde(rename = "gitlab_include_in_list")]
    include_in_list: bool,
    /// The stage of pybootstrap's jobs.
    #[serde(rename = "gitlab_stage")]
    stage: String,
    /// The prefix of pybootstrap's job names (`""` or `pybootstrap-`).
    #[serde(rename = "gitlab_job_prefix")]
    job_prefix: String,
}

impl CiProvider for Gitlab {
    fn name(&self) -> &'static str {
        "gitlab"
    }

    fn snippet(&self) -> Option<Snippet> {
        Some(Snippet {
            help: "A GitLab CI job",
            template: "gitlab.yml",
        })
    }

    fn templates(&self) -> &'static [&'static str] {
        &[PIPELINE, INCLUDE]
    }

    fn locations(&self) -> &'static [Location] {
        &[Location::File(ROOT)]
    }

    fn read(&self, found: &[Found<'_>], scripts: &dyn Scripts) -> Facts {
        let file = found.iter().find(|file| file.path == ROOT);
        let text = file.and_then(|file| file.text);
        let root = text.map(Root::parse);
        // The user's own lines (pybootstrap's include block left out) count as well.
        let tests = text.is_some_and(|text| tests_python(text, scripts))
            || root
                .as_ref()
                .is_some_and(|root| !root.generated && scripts.names_test_runner(&root.text));
        let placement = placement(root.as_ref());
        let notes = if placement == Placement::Beside {
            vec![format!(
                "`{ROOT}` writes its `include:` on one line, which pybootstrap does not rewrite: pybootstrap's pipeline is `{INCLUDED}`; add `- local: {INCLUDED}` to your `include:` to run it"
            )]
        } else {
            Vec::new()
        };
        Facts {
            detected: file.map(|_| ROOT),
            own_tests: if tests {
                vec![ROOT.to_string()]
            } else {
                Vec::new()
            },
            test_steps: text
                .filter(|text| !text.starts_with(GENERATED))
                .map(gitlab_scripts)
                .unwrap_or_default()
                .into_iter()
                .map(|script| Step { script, dir: None })
                .filter(|step| scripts.names_test_runner(&step.script) || scripts.runs_tests(step))
                .collect(),
            fit: fit(placement, root.as_ref()),
            notes,
            python: None,
            services: root
                .as_ref()
                .filter(|root| !root.generated)
                .and_then(|root| test_services(&root.text, scripts)),
        }
    }
}

/// Where pybootstrap's files go for `placement`, and the pipeline template's variables.
fn fit(placement: Placement, root: Option<&Root>) -> Fit {
    let mut context = Context {
        included: false,
        include_block: false,
        include_in_list: false,
        stage: "test".to_string(),
        job_prefix: String::new(),
    };
    match placement {
        Placement::Root => {}
        Placement::Included { in_list } => {
            context.included = true;
            context.include_block = true;
            context.include_in_list = in_list;
        }
        Placement::Beside => context.included = true,
    }
    if context.included {
        context.stage = stage(root.and_then(|root| root.stages.as_deref()));
        context.job_prefix = "pybootstrap-".to_string();
    }
    let path = if context.included { INCLUDED } else { ROOT };
    let mut files = vec![CiFile::whole(PIPELINE, path)];
    if context.include_block {
        files.push(CiFile {
            template: INCLUDE,
            path: ROOT,
            block: true,
            // An entry of the user's own `include:` list goes under its key line.
            anchor: context.include_in_list.then_some("include:"),
        });
    }
    let Ok(serde_json::Value::Object(context)) = serde_json::to_value(context) else {
        unreachable!("a struct serialises as a map")
    };
    Fit { files, context }
}

/// Whether the root file (not one pybootstrap wrote) runs Python tests: it names a test
/// runner, or one of its jobs' `script:` lines runs a file of the repository that does.
fn tests_python(text: &str, scripts: &dyn Scripts) -> bool {
    !text.starts_with(GENERATED)
        && (scripts.names_test_runner(text)
            || gitlab_scripts(text)
                .into_iter()
                .any(|script| scripts.runs_tests(&Step { script, dir: None })))
}

/// The `script:`, `before_script:` and `after_script:` values of a GitLab file: an inline
/// value or flow list, or the block of `- ` items (and their `|` scalars) under the key.
fn gitlab_scripts(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut scripts = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let column = indent(line);
        let Some(value) = ["script", "before_script", "after_script"]
            .iter()
            .find_map(|key| key_value(line, key).map(|(_, value)| value))
        else {
            continue;
        };
        if !value.is_empty() && !value.starts_with(['|', '>']) {
            let items = value.trim_start_matches('[').trim_end_matches(']');
            scripts.extend(items.split(',').map(|item| unquote(item).to_string()));
            continue;
        }
        // YAML lets a list sit at its key's own indentation.
        let block = lines[at + 1..].iter().take_while(|line| {
            line.trim().is_empty()
                || indent(line) > column
                || (indent(line) == column && line.trim_start().starts_with("- "))
        });
        let script: Vec<&str> = block
            .map(|line| {
                let line = line.trim();
                line.strip_prefix("- ").map_or(line, str::trim_start)
            })
            .filter(|line| !matches!(*line, "|" | "|-" | ">" | ">-"))
            .map(unquote)
            .collect();
        scripts.push(script.join("\n"));
    }
    scripts
}

/// Top-level keys of a GitLab file that are not jobs.
const NOT_JOBS: &[&str] = &[
    "stages",
    "variables",
    "include",
    "default",
    "workflow",
    "image",
    "services",
    "before_script",
    "after_script",
    "cache",
    "pages",
];

/// The services of the first job that runs the tests and has services (its own, else the
/// file's or `default:`'s), with the file's and the job's `variables`, the job's winning.
fn test_services(text: &str, scripts: &dyn Scripts) -> Option<Needs> {
    let roots = yaml::parse(text);
    let top = |key: &str| roots.iter().find(|node| node.key.as_deref() == Some(key));
    let default_services = top("services").or_else(|| top("default")?.get("services"));
    roots.iter().find_map(|job| {
        let name = job.key.as_deref()?;
        if NOT_JOBS.contains(&name) || name.starts_with('.') {
            return None;
        }
        let tests = ["before_script", "script"].iter().any(|key| {
            job.get(key).is_some_and(|node| {
                let script = node.list().join("\n");
                scripts.names_test_runner(&script)
                    || scripts.runs_tests(&Step { script, dir: None })
            })
        });
        if !tests {
            return None;
        }
        let node = job.get("services").or(default_services)?;
        let mut left_out = Vec::new();
        let services = read_services(node, service, &mut left_out);
        if services.is_empty() {
            return None;
        }
        let mut set = pairs(top("variables"));
        set.extend(pairs(job.get("variables")));
        let (variables, secrets) = needs::variables(set);
        left_out.extend(secrets);
        Some(Needs::of_job(name, ROOT, services, variables, left_out))
    })
}

/// One item of `services:`: an image (`postgres:15`), or a map with `name`, `alias` and
/// `variables`. Without an alias GitLab names the host after the image, `/` as `-`.
fn service(node: &Node) -> Option<ServiceFields> {
    if !node.item {
        return None;
    }
    let (image, alias, variables) = match node.get("name") {
        Some(name) => (
            name.scalar()?,
            node.get("alias").map(|alias| {
                // Several aliases may be given; the first is the name used.
                alias
                    .text()
                    .split([',', ' '])
                    .next()
                    .unwrap_or_default()
                    .to_string()
            }),
            pairs(node.get("variables")),
        ),
        None => (node.scalar()?, None, Vec::new()),
    };
    let host = alias.unwrap_or_else(|| {
        image
            .split('@')
            .next()
            .unwrap_or_default()
            .rsplit_once(':')
            .filter(|(_, tag)| !tag.contains('/'))
            .map_or(image.as_str(), |(repository, _)| repository)
            .replace('/', "-")
    });
    Some((host, image, variables, Vec::new(), String::new()))
}

/// What the root file's top-level `include:` looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Include {
    /// No top-level `include:`: a managed block can add one.
    Absent,
    /// `include:` followed by a block list: a managed block can add an entry under it.
    List,
    /// `include: file.yml`, a flow list or a single map: nothing to add an entry to
    /// without rewriting the user's line.
    Inline,
}

/// The repo's `.gitlab-ci.yml`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Root {
    /// Written whole by pybootstrap (its header on the first line).
    generated: bool,
    include: Include,
    /// The top-level `stages:` list, `None` when the file keeps GitLab's defaults.
    stages: Option<Vec<String>>,
    /// The user's lines, pybootstrap's block left out.
    text: String,
}

impl Root {
    fn parse(text: &str) -> Self {
        let text = block::remove(text)
            .unwrap_or_else(|_| text.to_string())
            .replace("\r\n", "\n");
        Self {
            generated: text.starts_with("# Generated by pybootstrap"),
            include: include(&text),
            stages: stages(&text),
            text,
        }
    }
}

/// The value lines of top-level key `key`: the rest of its line, and the indented or list
/// lines under it.
fn top_level<'a>(text: &'a str, key: &str) -> Option<(&'a str, Vec<&'a str>)> {
    let mut lines = text.lines();
    let rest = lines.find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))?;
    let under = lines
        .take_while(|line| line.is_empty() || line.starts_with([' ', '\t', '-', '#']))
        .filter(|line| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .collect();
    Some((rest.split(" #").next().unwrap_or_default().trim(), under))
}

fn include(text: &str) -> Include {
    match top_level(text, "include") {
        None => Include::Absent,
        Some(("", under))
            if under
                .first()
                .is_some_and(|line| line.trim_start().starts_with("- ")) =>
        {
            Include::List
        }
        Some(_) => Include::Inline,
    }
}

fn stages(text: &str) -> Option<Vec<String>> {
    let (rest, under) = top_level(text, "stages")?;
    let clean = |item: &str| {
        item.trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .to_string()
    };
    if let Some(flow) = rest.strip_prefix('[') {
        let flow = flow.trim_end_matches(']');
        return Some(
            flow.split(',')
                .map(clean)
                .filter(|s| !s.is_empty())
                .collect(),
        );
    }
    Some(
        under
            .iter()
            .filter_map(|line| line.trim_start().strip_prefix("- "))
            .map(|item| clean(item.split(" #").next().unwrap_or_default()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::services::Source;

    #[test]
    fn the_steps_that_run_the_tests_are_kept_for_the_tasks() {
        let text = "test:\n  script:\n    - uv sync --all-packages\n    - cd lib/a && uv run pytest tests\n";
        let found = [Found {
            path: ROOT,
            text: Some(text),
        }];
        let facts = Gitlab.read(&found, &crate::ci::stub::Pytest);
        let scripts: Vec<&str> = facts
            .test_steps
            .iter()
            .map(|step| step.script.as_str())
            .collect();
        assert_eq!(scripts.len(), 1, "{scripts:?}");
        // A job's script is one step: its lines are the task's to read one by one.
        assert!(
            scripts[0]
                .lines()
                .any(|line| line == "cd lib/a && uv run pytest tests"),
            "{scripts:?}"
        );
        let generated = format!("{GENERATED}\n{text}");
        let found = [Found {
            path: ROOT,
            text: Some(&generated),
        }];
        assert!(
            Gitlab
                .read(&found, &crate::ci::stub::Pytest)
                .test_steps
                .is_empty()
        );
    }

    #[test]
    fn the_pipeline_reaches_the_root_file_without_replacing_it() {
        let rows = [
            (None, Placement::Root),
            (
                Some("# Generated by pybootstrap: x\ntest: {}\n"),
                Placement::Root,
            ),
            (
                Some("build:\n  script: [make]\n"),
                Placement::Included { in_list: false },
            ),
            (
                Some("include:\n  - local: a.yml\n"),
                Placement::Included { in_list: true },
            ),
            (Some("include: a.yml\n"), Placement::Beside),
        ];
        for (text, expected) in rows {
            let root = text.map(Root::parse);
            assert_eq!(placement(root.as_ref()), expected, "{text:?}");
        }
    }

    #[test]
    fn included_jobs_take_a_stage_the_pipeline_has() {
        let rows: [(Option<&[&str]>, &str); 5] = [
            (None, "test"),
            (Some(&["build", "test", "deploy"]), "test"),
            (Some(&["build", "unit-tests", "deploy"]), "unit-tests"),
            (Some(&["lint", "check"]), "check"),
            (Some(&[]), "test"),
        ];
        for (stages, expected) in rows {
            let stages: Option<Vec<String>> =
                stages.map(|list| list.iter().map(ToString::to_string).collect());
            assert_eq!(stage(stages.as_deref()), expected, "{stages:?}");
        }
    }

    #[test]
    fn each_placement_writes_its_files() {
        let files = |text: Option<&str>| -> Vec<(&str, bool, Option<&str>)> {
            let found: Vec<Found<'_>> = text
                .map(|text| Found {
                    path: ROOT,
                    text: Some(text),
                })
                .into_iter()
                .collect();
            let facts = Gitlab.read(&found, &super::super::NoScripts);
            facts
                .fit
                .files
                .iter()
                .map(|file| (file.path, file.block, file.anchor))
                .collect()
        };
        assert_eq!(files(None), [(ROOT, false, None)]);
        assert_eq!(
            files(Some("include:\n  - local: a.yml\n")),
            [(INCLUDED, false, None), (ROOT, true, Some("include:"))]
        );
        assert_eq!(files(Some("include: a.yml\n")), [(INCLUDED, false, None)]);
    }

    #[test]
    fn include_shapes() {
        let rows = [
            ("test:\n  script: [x]\n", Include::Absent),
            (
                "include:\n  - local: a.yml\n  - project: x/y\n",
                Include::List,
            ),
            (
                "include:\n\n  # shared\n  - template: T.yml\n",
                Include::List,
            ),
            ("include: a.yml\n", Include::Inline),
            ("include:\n  local: a.yml\n", Include::Inline),
            ("include: [a.yml]\n", Include::Inline),
            ("job:\n  include: x\n", Include::Absent),
        ];
        for (text, expected) in rows {
            assert_eq!(Root::parse(text).include, expected, "{text:?}");
        }
    }

    #[test]
    fn stages_are_read() {
        let rows: [(&str, Option<&[&str]>); 4] = [
            ("test:\n  script: [x]\n", None),
            (
                "stages:\n  - build\n  - \"test\" # run\n\njob: {}\n",
                Some(&["build", "test"]),
            ),
            ("stages: [lint, check]\n", Some(&["lint", "check"])),
            ("stages:\n- a\n- b\nx: 1\n", Some(&["a", "b"])),
        ];
        for (text, expected) in rows {
            let expected = expected.map(|list| list.iter().map(ToString::to_string).collect());
            assert_eq!(Root::parse(text).stages, expected, "{text:?}");
        }
    }

    use crate::ci::stub::Pytest;

    #[test]
    fn the_test_jobs_services_and_variables_are_read() {
        let text = "variables:\n  POSTGRES_DB: app\n  POSTGRES_PASSWORD: pw\n  DEPLOY_KEY: $DEPLOY_KEY\n.base:\n  services: [mysql]\ndeploy:\n  services:\n    - mongo:7\n  script: [./deploy]\ntest:\n  services:\n    - postgres:15\n    - name: bitnami/redis:7\n    - name: registry.example.com/search/elasticsearch:8\n      alias: search\n      variables:\n        discovery.type: single-node\n        ES_JAVA_OPTS: -Xms512m\n  variables:\n    DATABASE_URL:\n      value: postgresql://postgres:pw@postgres/app\n      description: the tests' database\n  script:\n    - pip install -r requirements.txt\n    - pytest\n";
        let needs = test_services(text, &Pytest).expect("found");
        assert_eq!(
            needs.source,
            Source::Job {
                job: "test".into(),
                path: ROOT.into()
            }
        );
        let services: Vec<(&str, &str)> = needs
            .services
            .iter()
            .map(|service| (service.name.as_str(), service.image.as_str()))
            .collect();
        assert_eq!(
            services,
            [
                ("postgres", "postgres:15"),
                ("bitnami-redis", "bitnami/redis:7"),
                ("search", "registry.example.com/search/elasticsearch:8"),
            ]
        );
        // `discovery.type` is no variable name a shell can export.
        assert_eq!(needs.services[2].env.len(), 1);
        let names: Vec<&str> = needs.variables.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["POSTGRES_DB", "POSTGRES_PASSWORD", "DATABASE_URL"]);
        assert_eq!(
            needs.variables[2].value,
            "postgresql://postgres:pw@postgres/app"
        );
        assert_eq!(needs.left_out, ["DEPLOY_KEY"]);
    }

    #[test]
    fn default_services_count_and_deploy_jobs_do_not() {
        let text = "default:\n  services:\n    - redis:7\ntest:\n  script: pytest\n";
        let needs = test_services(text, &Pytest).expect("found");
        assert_eq!(needs.services[0].name, "redis");
        let deploy =
            "deploy:\n  services: [postgres]\n  script: [./deploy]\ntest:\n  script: [pytest]\n";
        assert_eq!(test_services(deploy, &Pytest), None);
    }
}
