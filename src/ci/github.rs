//! GitHub Actions: pybootstrap's workflow under `.github/workflows/`, beside the repo's own
//! (GitHub runs them all); a workflow of the repo's own tests Python when it names a test
//! runner or a `run:` step runs one; the oldest Python its `python-version:` keys set up is
//! an application's pin.

use super::lines::{indent, key_value, step_key, unquote};
use super::{
    CiFile, CiProvider, Facts, Fit, Found, GENERATED, Location, Scripts, ServiceFields, Snippet,
    Step, pairs, read_services,
};
use crate::answers::versions::minor_of;
use crate::lint::yaml::{self, Node};
use crate::project::services::{self as needs, Needs};

/// The directory GitHub reads workflows from.
const WORKFLOWS: &str = ".github/workflows";

pub(super) struct Github;

impl CiProvider for Github {
    fn name(&self) -> &'static str {
        "github"
    }

    fn snippet(&self) -> Option<Snippet> {
        Some(Snippet {
            help: "Steps for a GitHub Actions job's `steps:`",
            template: "github.yml",
        })
    }

    fn templates(&self) -> &'static [&'static str] {
        &["ci/github/ci.yml"]
    }

    fn locations(&self) -> &'static [Location] {
        &[Location::Dir(WORKFLOWS)]
    }

    #[expect(
        clippy::case_sensitive_file_extension_comparisons,
        reason = "inference has always counted lowercase names only; `.YML` stays unseen until that is decided on its own"
    )]
    fn read(&self, found: &[Found<'_>], scripts: &dyn Scripts) -> Facts {
        let detected = found
            .iter()
            .any(|file| file.path.ends_with(".yml") || file.path.ends_with(".yaml"))
            .then_some(WORKFLOWS);
        let mut own_tests: Vec<String> = found
            .iter()
            .filter(|file| {
                file.text
                    .is_some_and(|text| workflow_tests_python(text, scripts))
            })
            .map(|file| file.path.to_string())
            .collect();
        own_tests.sort();
        let mut workflows: Vec<&Found<'_>> = found.iter().collect();
        workflows.sort_by_key(|file| file.path);
        let test_steps = workflows
            .iter()
            .filter_map(|file| file.text)
            .filter(|text| !text.starts_with(GENERATED))
            .flat_map(run_steps)
            .filter(|step| scripts.names_test_runner(&step.script) || scripts.runs_tests(step))
            .collect();
        let services = workflows.iter().find_map(|file| {
            file.text
                .and_then(|text| test_services(file.path, text, scripts))
        });
        Facts {
            services,
            detected,
            own_tests,
            test_steps,
            fit: Fit {
                files: vec![CiFile::whole(
                    "ci/github/ci.yml",
                    ".github/workflows/pybootstrap.yml",
                )],
                context: serde_json::Map::new(),
            },
            notes: Vec::new(),
            python: found
                .iter()
                .filter_map(|file| file.text)
                .filter(|text| !text.starts_with(GENERATED))
                .flat_map(pythons)
                .fold(None, |range: Option<(u32, u32)>, minor| {
                    Some(range.map_or((minor, minor), |(oldest, newest)| {
                        (oldest.min(minor), newest.max(minor))
                    }))
                }),
        }
    }
}

/// The services of the first job of a workflow (not one pybootstrap wrote) that runs the
/// tests and starts services, and the variables it sets for them: the workflow's `env`,
/// the job's, and that of the steps that run the tests, a later one winning.
fn test_services(path: &str, text: &str, scripts: &dyn Scripts) -> Option<Needs> {
    if text.starts_with(GENERATED) {
        return None;
    }
    let roots = yaml::parse(text);
    let top = |key: &str| roots.iter().find(|node| node.key.as_deref() == Some(key));
    let jobs = top("jobs")?;
    jobs.children.iter().find_map(|job| {
        let name = job.key.as_deref()?;
        let node = job.get("services")?;
        let steps = job
            .get("steps")
            .map(|steps| steps.children.as_slice())
            .unwrap_or_default();
        let test_steps: Vec<&Node> = steps
            .iter()
            .filter(|step| {
                step.get("run").is_some_and(|run| {
                    let script = run.text();
                    scripts.names_test_runner(&script)
                        || scripts.runs_tests(&Step {
                            script,
                            dir: step
                                .get("working-directory")
                                .map(|dir| dir.text().trim_start_matches("./").to_string()),
                        })
                })
            })
            .collect();
        if test_steps.is_empty() {
            return None;
        }
        let mut left_out = Vec::new();
        let services = read_services(node, service, &mut left_out);
        if services.is_empty() {
            return None;
        }
        let mut set = pairs(top("env"));
        set.extend(pairs(job.get("env")));
        for step in test_steps {
            set.extend(pairs(step.get("env")));
        }
        let (mut variables, secrets) = needs::variables(set);
        left_out.extend(secrets);
        // A job on the runner reaches the services at `localhost`; the model holds the
        // host a job beside them uses, the service's name.
        if job.get("container").is_none() {
            for variable in &mut variables {
                variable.value = needs::beside(variable, &services);
            }
        }
        Some(Needs::of_job(name, path, services, variables, left_out))
    })
}

/// One entry of a job's `services:`: its label, image, env, ports and options.
fn service(node: &Node) -> Option<ServiceFields> {
    let name = node.key.clone()?;
    let image = node.get("image")?.scalar()?;
    let ports = node.get("ports").map(Node::list).unwrap_or_default();
    let options = match node.get("options") {
        Some(options) => options.scalar()?,
        None => String::new(),
    };
    Some((name, image, pairs(node.get("env")), ports, options))
}

/// The CPython minors a workflow's `python-version:` keys name: a single value, an inline
/// list or a block list (a matrix); an expression (`${{ matrix.python }}`) names none.
fn pythons(text: &str) -> Vec<u32> {
    let lines: Vec<&str> = text.lines().collect();
    let mut minors = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let Some((column, value)) = key_value(line, "python-version") else {
            continue;
        };
        let value = value.split(" #").next().unwrap_or_default().trim();
        if let Some(items) = value.strip_prefix('[') {
            let items = items.trim_end_matches(']');
            minors.extend(
                items
                    .split(',')
                    .filter_map(|item| minor_of(unquote(item.trim()))),
            );
        } else if value.is_empty() {
            minors.extend(
                lines[at + 1..]
                    .iter()
                    .take_while(|line| line.trim().is_empty() || indent(line) > column)
                    .filter_map(|line| line.trim().strip_prefix("- "))
                    .filter_map(|item| minor_of(unquote(item.split(" #").next()?.trim()))),
            );
        } else {
            minors.extend(minor_of(unquote(value)));
        }
    }
    minors
}

/// Whether a workflow (not one pybootstrap wrote) runs Python tests: it names a test
/// runner, or one of its `run:` steps runs a file of the repository that does.
fn workflow_tests_python(text: &str, scripts: &dyn Scripts) -> bool {
    !text.starts_with(GENERATED)
        && (scripts.names_test_runner(text)
            || run_steps(text).iter().any(|step| scripts.runs_tests(step)))
}

/// The `run:` steps of a workflow, read line by line: the value (inline or a `|`/`>`
/// block), and the `working-directory:` beside it in the same step.
fn run_steps(text: &str) -> Vec<Step> {
    let lines: Vec<&str> = text.lines().collect();
    let mut steps = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let Some((column, value)) = key_value(line, "run") else {
            continue;
        };
        let script = if value.starts_with(['|', '>']) {
            lines[at + 1..]
                .iter()
                .take_while(|line| line.trim().is_empty() || indent(line) > column)
                .map(|line| line.trim())
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            unquote(value).to_string()
        };
        if script.trim().is_empty() {
            continue;
        }
        steps.push(Step {
            script,
            dir: step_key(&lines, at, column, "working-directory").map(|dir| {
                unquote(&dir)
                    .trim_start_matches("./")
                    .trim_end_matches('/')
                    .to_string()
            }),
        });
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::services::Source;

    #[test]
    fn the_python_versions_a_workflow_sets_up() {
        // (workflow, oldest minor)
        let rows: &[(&str, Option<u32>)] = &[
            ("    with:\n      python-version: \"3.12\"\n", Some(12)),
            ("      - python-version: '3.11' # oldest\n", Some(11)),
            (
                "    matrix:\n      python-version: [\"3.13\", \"3.10\", '3.12']\n",
                Some(10),
            ),
            (
                "    matrix:\n      python-version:\n        - \"3.12\"\n        - \"3.11\"\n    runs-on: x\n      python-version: ${{ matrix.python-version }}\n",
                Some(11),
            ),
            ("      python-version: ${{ matrix.python }}\n", None),
            ("      python-version: 3.x\n", None),
            ("      python-version-file: .python-version\n", None),
        ];
        for (text, minor) in rows {
            assert_eq!(pythons(text).into_iter().min(), *minor, "{text}");
        }
        assert_eq!(
            pythons("    matrix:\n      python-version: [\"3.13\", \"3.10\", '3.12']\n"),
            [13, 10, 12]
        );
    }

    #[test]
    fn run_steps_read_inline_and_block_values() {
        let workflow = "on: push\ndefaults:\n  run:\n    shell: bash\njobs:\n  a:\n    steps:\n      - run: 'scripts/install'\n      - working-directory: ./web/\n        run: |\n          npm ci\n          npm test\n        env:\n          A: b\n      - name: x\n        run: >\n          echo a\n";
        assert_eq!(
            run_steps(workflow),
            [
                Step {
                    script: "scripts/install".into(),
                    dir: None
                },
                Step {
                    script: "npm ci\nnpm test".into(),
                    dir: Some("web".into())
                },
                Step {
                    script: "echo a".into(),
                    dir: None
                },
            ]
        );
    }

    use crate::ci::stub::Pytest;

    const WORKFLOW: &str = "on: push\nenv:\n  FLASK_ENV: testing\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    services:\n      redis:\n        image: redis:7\n    steps:\n      - run: ./deploy.sh\n  test:\n    runs-on: ubuntu-latest\n    services:\n      db:\n        image: postgres:15\n        env:\n          POSTGRES_PASSWORD: pw\n          POSTGRES_USER: ${{ secrets.PG_USER }}\n        ports:\n          - 5433:5432\n        options: >-\n          --health-cmd pg_isready\n          --health-retries 5\n    env:\n      DATABASE_URL: postgresql://postgres:pw@localhost:5433/app\n      API_TOKEN: ${{ secrets.API_TOKEN }}\n    steps:\n      - uses: actions/checkout@v4\n      - run: pytest\n        env:\n          CACHE_URL: redis://localhost:6379\n      - run: echo done\n        env:\n          UNRELATED: x\n";

    #[test]
    fn the_test_jobs_services_and_variables_are_read() {
        let needs = test_services(".github/workflows/ci.yml", WORKFLOW, &Pytest).expect("found");
        assert_eq!(
            needs.source,
            Source::Job {
                job: "test".into(),
                path: ".github/workflows/ci.yml".into()
            }
        );
        // The deploy job's redis is not the tests'.
        assert_eq!(needs.services.len(), 1);
        let db = &needs.services[0];
        assert_eq!((db.name.as_str(), db.image.as_str()), ("db", "postgres:15"));
        assert_eq!(db.ports, [(5433, 5432)]);
        assert_eq!(db.options, "--health-cmd pg_isready --health-retries 5");
        assert_eq!(db.env.len(), 1);
        let variables: Vec<(&str, &str)> = needs
            .variables
            .iter()
            .map(|variable| (variable.name.as_str(), variable.value.as_str()))
            .collect();
        // The job runs on the runner: `localhost:5433` is the service `db` on its own port.
        assert_eq!(
            variables,
            [
                ("FLASK_ENV", "testing"),
                ("DATABASE_URL", "postgresql://postgres:pw@db:5432/app"),
                ("CACHE_URL", "redis://localhost:6379"),
            ]
        );
        // Secrets are named, never copied.
        assert_eq!(needs.left_out, ["POSTGRES_USER", "API_TOKEN"]);
    }

    #[test]
    fn no_services_where_no_test_job_has_them() {
        let deploy_only = "jobs:\n  deploy:\n    services:\n      redis:\n        image: redis\n    steps:\n      - run: ./deploy.sh\n  test:\n    steps:\n      - run: pytest\n";
        assert_eq!(test_services("ci.yml", deploy_only, &Pytest), None);
        let generated = format!("{GENERATED}\n{WORKFLOW}");
        assert_eq!(test_services("ci.yml", &generated, &Pytest), None);
        let hostile = WORKFLOW.replace("image: postgres:15", "image: \"postgres:15\\nrun: x\"");
        assert_eq!(test_services("ci.yml", &hostile, &Pytest), None);
    }

    #[test]
    fn a_container_job_keeps_its_hosts() {
        let workflow = "jobs:\n  build:\n    container: python:3.12-slim\n    services:\n      postgres:\n        image: postgres:15-alpine\n    steps:\n      - run: pytest\n        env:\n          DATABASE_URI: postgresql://postgres:pw@postgres:5432/testdb\n";
        let needs = test_services("ci.yml", workflow, &Pytest).expect("found");
        assert_eq!(
            needs.variables[0].value,
            "postgresql://postgres:pw@postgres:5432/testdb"
        );
    }
}
