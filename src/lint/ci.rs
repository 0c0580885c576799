//! YAML files: environment maps and command values in any YAML (other CI systems, compose
//! files, Ansible), and, for GitHub Actions and GitLab CI, which Python each job's steps
//! reach — so a bare `pip install` on a runner's managed system Python is found.

use super::Position;
use super::command::{self, Created, assignment_findings};
use super::dockerfile::image_base;
use super::kinds::Kind;
use super::reach::{self, Base, Context};
use super::rules::Rule;
use super::shell::{SourceLine, fragments};
use super::yaml::{self, Node};

/// Keys whose values are prose, never commands.
const PROSE_KEYS: [&str; 17] = [
    "name",
    "description",
    "title",
    "summary",
    "help",
    "message",
    "msg",
    "comment",
    "comments",
    "label",
    "labels",
    "about",
    "body",
    "text",
    "desc",
    "if",
    "when",
];

/// Findings in any YAML file: variables set on, and the commands of every value, decided
/// on `base` (a distro base makes a bare `pip install` a PB206 finding: cloud-init,
/// Ansible, provisioning).
pub(super) fn check_yaml(text: &str, base: Base) -> Vec<(Rule, Position)> {
    let context = Context {
        base,
        ..Context::default()
    };
    let mut findings = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or(line);
        if !code.trim_start().starts_with('#') {
            findings.extend(
                assignment_findings(code, index + 1)
                    .into_iter()
                    .filter(|(rule, _)| reach::keeps(*rule, context)),
            );
        }
    }
    for node in yaml::parse(text) {
        commands_in(&node, context, &mut findings);
    }
    findings
}

/// The base of a YAML file that is not a CI file: cloud-init and Ansible playbooks
/// provision machines with the distro's Python; anything else is a host.
pub(super) fn yaml_base(text: &str, place: Base) -> Base {
    let first = text.lines().next().unwrap_or("");
    let playbook = text
        .lines()
        .any(|line| line.starts_with("- hosts:") || line.starts_with("  hosts:"));
    // Tasks naming `ansible.builtin` modules run on a managed machine, as a playbook does.
    let ansible = text.contains("ansible.builtin.");
    if first.starts_with("#cloud-config") || playbook || ansible {
        Base::Distro
    } else {
        place
    }
}

fn commands_in(node: &Node, context: Context, findings: &mut Vec<(Rule, Position)>) {
    let prose = node
        .key
        .as_deref()
        .is_some_and(|key| PROSE_KEYS.contains(&key));
    if !prose && !node.value.is_empty() && may_find(&node.value) {
        let scan = command::scan(&fragments(&node.value), context, Created::Ignored);
        findings.extend(scan.findings);
        findings.extend(
            scan.system_installs
                .into_iter()
                .map(|position| (Rule::HostSystemInstall, position)),
        );
    }
    // A step with `shell: python` runs its `run:` as Python, not shell.
    let python_step = node
        .get("shell")
        .is_some_and(|shell| shell.text().trim_start().starts_with("python"));
    for child in &node.children {
        if python_step && child.key.as_deref() == Some("run") {
            continue;
        }
        commands_in(child, context, findings);
    }
}

/// Whether a value's commands may give a finding (`command::may_find`). Most values of a CI
/// file name no pip (`runs-on`, `uses`, `pytest`), and are not read as commands: reading
/// every value was most of the CI readers' time.
fn may_find(lines: &[SourceLine]) -> bool {
    command::may_find(lines.iter().map(|line| line.text.as_str()))
}

/// The first and last file line of a node's values.
fn span(node: &Node) -> Option<(usize, usize)> {
    let own = node.value.iter().map(|line| (line.line, line.line));
    let nested = node.children.iter().filter_map(span);
    own.chain(nested)
        .reduce(|(low, high), (first, last)| (low.min(first), high.max(last)))
}

/// Keeps a context-dependent finding (PB202, PB203) only where the job it sits in runs on
/// a Python where it is one; a workflow-level setting only when a job it reaches runs on
/// such a Python and runs the tool the setting is for (uv for `UV_SYSTEM_PYTHON`, pip for
/// `PIP_USER`).
fn decide_by_job(
    text: &str,
    findings: Vec<(Rule, Position)>,
    jobs: &[(Option<(usize, usize)>, Context)],
) -> Vec<(Rule, Position)> {
    let lines: Vec<&str> = text.lines().collect();
    let runs = |span: Option<(usize, usize)>, tool: &str| {
        span.is_some_and(|(first, last)| {
            lines[first.saturating_sub(1)..last.min(lines.len())]
                .iter()
                .any(|line| {
                    line.split_whitespace()
                        .any(|word| word.trim_matches(['"', '\'', '-', '[', ',']) == tool)
                })
        })
    };
    findings
        .into_iter()
        .filter(|(rule, position)| {
            let job = jobs.iter().find(|(span, _)| {
                span.is_some_and(|(first, last)| (first..=last).contains(&position.line))
            });
            match job {
                Some((_, context)) => reach::keeps(*rule, *context),
                None if jobs.is_empty() => rule.definition().reach.is_none(),
                None => {
                    let tool = if *rule == Rule::UvSystem { "uv" } else { "pip" };
                    jobs.iter().any(|(span, context)| {
                        reach::keeps(*rule, *context)
                            && (rule.definition().reach.is_none() || runs(*span, tool))
                    })
                }
            }
        })
        .collect()
}

/// Which Python a GitHub-hosted runner's `python3` is: Ubuntu's, any release; Windows
/// runners put a python.org build first; anything else (macOS, self-hosted) is unknown.
fn runner_base(label: &str) -> Base {
    let label = label.trim().to_ascii_lowercase();
    if label.starts_with("ubuntu-") {
        Base::Distro
    } else if label.starts_with("windows-") {
        Base::OwnPython
    } else {
        Base::Unknown
    }
}

/// Actions after which the job's `python` may not be the runner's system Python: the known
/// ones, and, so that a team's own setup never gives a false finding, local actions
/// (`./.github/actions/setup`) and any action named for Python or setup.
fn provides_python(action: &str) -> bool {
    let name = action
        .split('@')
        .next()
        .unwrap_or(action)
        .to_ascii_lowercase();
    let known = [
        "actions/setup-python",
        "astral-sh/setup-uv",
        "conda-incubator/setup-miniconda",
        "mamba-org/setup-micromamba",
        "prefix-dev/setup-pixi",
        "pdm-project/setup-pdm",
        "snok/install-poetry",
    ];
    known.contains(&name.as_str())
        || name == "deadsnakes/action"
        || name.starts_with("./")
        || [
            "python", "setup-", "conda", "mamba", "pyenv", "pypy", "pixi",
        ]
        .iter()
        .any(|word| name.contains(word))
}

/// A GitHub Actions workflow: the commands of every value, with PB202/PB203 decided per
/// job, and a bare `pip install` in a job that runs on a distro Python.
pub(super) fn check_github(text: &str) -> Vec<(Rule, Position)> {
    github(text, Findings::Give).0
}

/// The repository scripts a CI file runs on a distro Python (see [`Scan::called_scripts`]).
///
/// [`Scan::called_scripts`]: command::Scan::called_scripts
pub(super) fn called_scripts(kind: Kind, text: &str) -> Vec<String> {
    match kind {
        Kind::GithubWorkflow => github(text, Findings::Skip).1,
        Kind::GitlabCi => gitlab(text, Findings::Skip).1,
        _ => Vec::new(),
    }
}

/// Whether a CI reader also gives the file's findings, or only the scripts it runs (a file
/// the prefilter says has none: its values are not read as commands at all).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Findings {
    Give,
    Skip,
}

/// A CI file's findings (`check_github`, `check_gitlab`) and the scripts it runs on a
/// distro Python (`called_scripts`), from one parse.
pub(super) fn check_and_called_scripts(
    kind: Kind,
    text: &str,
) -> (Vec<(Rule, Position)>, Vec<String>) {
    match kind {
        Kind::GithubWorkflow => github(text, Findings::Give),
        Kind::GitlabCi => gitlab(text, Findings::Give),
        _ => (Vec::new(), Vec::new()),
    }
}

fn github(text: &str, wanted: Findings) -> (Vec<(Rule, Position)>, Vec<String>) {
    let roots = yaml::parse(text);
    let mut jobs_context = Vec::new();
    let mut findings = Vec::new();
    let mut scripts = Vec::new();
    let jobs = roots
        .iter()
        .find(|node| node.key.as_deref() == Some("jobs"));
    for job in jobs
        .map(|jobs| jobs.children.as_slice())
        .unwrap_or_default()
    {
        let base = github_job_base(job);
        let steps: Vec<&Node> = job
            .get("steps")
            .map(|steps| steps.children.iter().filter(|step| step.item).collect())
            .unwrap_or_default();
        let provides = |step: &&Node| step_provides_python(step);
        let job_base = if steps.iter().any(provides) {
            Base::OwnPython
        } else {
            base
        };
        jobs_context.push((
            span(job),
            Context {
                base: job_base,
                ..Context::default()
            },
        ));
        let mut context = Context {
            base,
            ..Context::default()
        };
        for step in steps {
            if provides(&step) {
                context.base = Base::OwnPython;
            }
            let Some(run) = step.get("run") else {
                continue;
            };
            if step
                .get("shell")
                .is_some_and(|shell| shell.text().trim_start().starts_with("python"))
            {
                continue;
            }
            let scan = command::scan(&fragments(&run.value), context, Created::Ignored);
            context.base = scan.base;
            scripts.extend(scan.called_scripts);
            findings.extend(
                scan.system_installs
                    .into_iter()
                    .map(|position| (Rule::CiSystemInstall, position)),
            );
            // A venv put on `PATH` for the following steps.
            let script = run.text();
            if script.contains("GITHUB_PATH")
                && (script.contains("venv") || script.contains("VIRTUAL_ENV"))
            {
                context.venv = true;
            }
        }
    }
    if wanted == Findings::Give {
        findings.extend(decide_by_job(
            text,
            check_yaml(text, Base::Host),
            &jobs_context,
        ));
    }
    (findings, scripts)
}

/// A step after which the job's Python is not the runner's: a Python-providing action;
/// `astral-sh/setup-uv` only when asked for a Python (it then makes and activates a venv).
pub(super) fn step_provides_python(step: &Node) -> bool {
    let Some(uses) = step.get("uses").map(Node::text) else {
        return false;
    };
    if uses.to_ascii_lowercase().starts_with("astral-sh/setup-uv") {
        return step
            .get("with")
            .is_some_and(|with| with.get("python-version").is_some());
    }
    provides_python(&uses)
}

pub(super) fn github_job_base(job: &Node) -> Base {
    if let Some(container) = job.get("container") {
        let image = container
            .get("image")
            .map_or_else(|| container.text(), Node::text);
        return image_base(image.trim());
    }
    let Some(runs_on) = job.get("runs-on") else {
        return Base::Unknown;
    };
    let labels = runs_on.list();
    let matrix = job
        .get("strategy")
        .and_then(|strategy| strategy.get("matrix"));
    let bases: Vec<Base> = labels
        .iter()
        .flat_map(|label| {
            if let Some(expression) = label.trim().strip_prefix("${{") {
                // `${{ matrix.os }}`: every value of that axis.
                let key = expression
                    .trim_end_matches("}}")
                    .trim()
                    .strip_prefix("matrix.")
                    .unwrap_or("");
                let Some(matrix) = matrix else {
                    return Vec::new();
                };
                let mut values = matrix.get(key).map(Node::list).unwrap_or_default();
                if let Some(include) = matrix.get("include") {
                    for item in &include.children {
                        values.extend(item.get(key).map(Node::text));
                    }
                }
                values.iter().map(|value| runner_base(value)).collect()
            } else {
                vec![runner_base(label)]
            }
        })
        .collect();
    // A job whose labels mix runners is judged by its Ubuntu ones.
    if bases.contains(&Base::Distro) {
        Base::Distro
    } else if !bases.is_empty() && bases.iter().all(|base| *base == Base::OwnPython) {
        Base::OwnPython
    } else {
        Base::Unknown
    }
}

/// Top-level GitLab keys that are not jobs.
const GITLAB_KEYWORDS: [&str; 12] = [
    "stages",
    "variables",
    "default",
    "include",
    "workflow",
    "image",
    "services",
    "cache",
    "before_script",
    "after_script",
    "spec",
    "pages:deploy",
];

/// A GitLab CI file: the commands of every value, with PB202/PB203 decided per job, and a
/// bare `pip install` in a job whose image runs the distro's Python.
pub(super) fn check_gitlab(text: &str) -> Vec<(Rule, Position)> {
    gitlab(text, Findings::Give).0
}

fn gitlab(text: &str, wanted: Findings) -> (Vec<(Rule, Position)>, Vec<String>) {
    let mut findings = Vec::new();
    let mut scripts = Vec::new();
    let mut jobs_context = Vec::new();
    let roots = yaml::parse(text);
    let top = |key: &str| roots.iter().find(|node| node.key.as_deref() == Some(key));
    let default = top("default");
    let default_before = default
        .and_then(|default| default.get("before_script"))
        .or_else(|| top("before_script"));
    for job in &roots {
        let Some(name) = job.key.as_deref() else {
            continue;
        };
        if GITLAB_KEYWORDS.contains(&name) || job.get("script").is_none() {
            continue;
        }
        let image = gitlab_job_image(&roots, job);
        let base = image.as_deref().map_or(Base::Unknown, image_base);
        let context = Context {
            base,
            ..Context::default()
        };
        jobs_context.push((span(job), context));
        // `before_script` and `script` run in one shell: activation carries over.
        let mut lines: Vec<SourceLine> = Vec::new();
        let before = job.get("before_script").or(default_before);
        for section in [before, job.get("script")].into_iter().flatten() {
            script_lines(section, &mut lines);
        }
        let scan = command::scan(&fragments(&lines), context, Created::Ignored);
        scripts.extend(scan.called_scripts);
        findings.extend(
            scan.system_installs
                .into_iter()
                .map(|position| (Rule::CiSystemInstall, position)),
        );
    }
    if wanted == Findings::Give {
        findings.extend(decide_by_job(
            text,
            check_yaml(text, Base::Host),
            &jobs_context,
        ));
    }
    (findings, scripts)
}

/// A script section's lines, nested sequences (`- *setup` of a list) flattened as GitLab does.
fn script_lines(node: &Node, lines: &mut Vec<SourceLine>) {
    lines.extend(node.value.iter().cloned());
    for item in node.children.iter().filter(|child| child.item) {
        script_lines(item, lines);
    }
}

/// The image a GitLab job runs in: its own, else the one its `extends:` templates name (the
/// last wins), else the file's default.
pub(super) fn gitlab_job_image(roots: &[Node], job: &Node) -> Option<String> {
    let top = |key: &str| roots.iter().find(|node| node.key.as_deref() == Some(key));
    let extended = job.get("extends").map(Node::list).unwrap_or_default();
    job.get("image")
        .or_else(|| {
            extended
                .iter()
                .rev()
                .filter_map(|name| top(name))
                .find_map(|template| template.get("image"))
        })
        .or_else(|| {
            top("default")
                .and_then(|default| default.get("image"))
                .or_else(|| top("image"))
        })
        .map(image_name)
}

fn image_name(node: &Node) -> String {
    node.get("name")
        .map_or_else(|| node.text(), Node::text)
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value `may_find` skips gives no finding when read as commands, on any Python.
    #[test]
    fn skipped_values_give_no_finding() {
        let pieces = [
            "pip",
            "p'i'p",
            "p\"\"ip",
            "pi\\\np",
            "pi\\p",
            " install",
            " --user",
            " --system",
            "-system-packages",
            " --break",
            "sudo ",
            "uv ",
            "python3 -m ",
            "get-",
            ".py",
            "$PIP",
            "PIP_USER=1 ",
            "UV_SYSTEM_PYTHON=1 ",
            "EXTERNALLY-MANAGED",
            "rm -f ",
            "curl x | python3",
            "cat > pip.conf <<EOF\n",
            "\nEOF\n",
            "'",
            "\"",
            "\\",
            "\n",
            " && ",
            "; ",
            " ",
            "x",
        ];
        let (mut skipped, mut found) = (0, 0);
        for text in crate::lint::random_texts(&pieces, 668, 20_000, 1..11) {
            let lines: Vec<SourceLine> = text
                .lines()
                .enumerate()
                .map(|(index, line)| SourceLine {
                    text: line.to_string(),
                    line: index + 1,
                    column: 1,
                })
                .collect();
            for base in [Base::Distro, Base::Host, Base::Unknown] {
                let context = Context {
                    base,
                    ..Context::default()
                };
                let scan = command::scan(&fragments(&lines), context, Created::Ignored);
                let finds = !scan.findings.is_empty() || !scan.system_installs.is_empty();
                if may_find(&lines) {
                    found += usize::from(finds);
                } else {
                    skipped += 1;
                    assert!(!finds, "{base:?}: {text:?}");
                }
            }
        }
        assert!(
            skipped > 1000 && found > 1000,
            "{skipped} skipped, {found} found"
        );
    }

    #[test]
    fn knows_which_python_a_runner_has() {
        assert_eq!(runner_base("ubuntu-latest"), Base::Distro);
        assert_eq!(runner_base("ubuntu-24.04-arm"), Base::Distro);
        assert_eq!(runner_base("ubuntu-22.04"), Base::Distro);
        assert_eq!(runner_base("windows-latest"), Base::OwnPython);
        assert_eq!(runner_base("macos-14"), Base::Unknown);
        assert_eq!(runner_base("self-hosted"), Base::Unknown);
    }

    #[test]
    fn knows_actions_that_bring_a_python() {
        assert!(provides_python("actions/setup-python@v5"));
        assert!(provides_python("./.github/actions/setup-env"));
        assert!(provides_python("acme/ci/setup-toolchain@v1"));
        assert!(provides_python("deadsnakes/action@v3.2.0"));
        assert!(provides_python("gabrielfalcao/pyenv-action@v13"));
        assert!(!provides_python("actions/checkout@v4"));
        assert!(!provides_python("actions/cache@v4"));
    }
}
