//! YAML files: environment maps and command values in any YAML (other CI systems, compose
//! files, Ansible), and, for GitHub Actions and GitLab CI, which Python each job's steps
//! reach — so a bare `pip install` on a runner's managed system Python is found.

use super::Position;
use super::command::{self, assignment_findings};
use super::dockerfile::managed_image;
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

/// Findings in any YAML file: variables set on, and the rules that hold in any command.
pub fn check_yaml(text: &str) -> Vec<(Rule, Position)> {
    let mut findings = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let code = line.split(" #").next().unwrap_or(line);
        if !code.trim_start().starts_with('#') {
            findings.extend(assignment_findings(code, index + 1));
        }
    }
    for node in yaml::parse(text) {
        commands_in(&node, &mut findings);
    }
    findings
}

fn commands_in(node: &Node, findings: &mut Vec<(Rule, Position)>) {
    let prose = node
        .key
        .as_deref()
        .is_some_and(|key| PROSE_KEYS.contains(&key));
    if !prose && !node.value.is_empty() {
        findings.extend(command::scan(&fragments(&node.value), false).findings);
    }
    // A step with `shell: python` runs its `run:` as Python, not shell.
    let python_step = node
        .get("shell")
        .is_some_and(|shell| shell.text().trim_start().starts_with("python"));
    for child in &node.children {
        if python_step && child.key.as_deref() == Some("run") {
            continue;
        }
        commands_in(child, findings);
    }
}

/// GitHub Actions runners whose `/usr/bin/python3` is externally managed.
fn managed_runner(label: &str) -> bool {
    let label = label.trim().to_ascii_lowercase();
    if label == "ubuntu-latest" {
        return true;
    }
    let Some(version) = label.strip_prefix("ubuntu-") else {
        return false;
    };
    let mut parts = version.split(['.', '-']);
    let year = parts.next().and_then(|part| part.parse::<u32>().ok());
    let month = parts.next().and_then(|part| part.parse::<u32>().ok());
    matches!((year, month), (Some(year), Some(month)) if (year, month) >= (23, 4))
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
        || name.starts_with("./")
        || name.contains("python")
        || name.contains("setup-")
        || name.contains("conda")
}

/// A bare `pip install` in a GitHub Actions job that runs on a managed system Python.
pub fn check_github(text: &str) -> Vec<(Rule, Position)> {
    let mut findings = Vec::new();
    let roots = yaml::parse(text);
    let Some(jobs) = roots
        .iter()
        .find(|node| node.key.as_deref() == Some("jobs"))
    else {
        return findings;
    };
    for job in &jobs.children {
        if !github_job_managed(job) {
            continue;
        }
        let Some(steps) = job.get("steps") else {
            continue;
        };
        let mut python_ready = false;
        for step in steps.children.iter().filter(|step| step.item) {
            if step
                .get("uses")
                .is_some_and(|uses| provides_python(&uses.text()))
            {
                python_ready = true;
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
            let scan = command::scan(&fragments(&run.value), python_ready);
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
                python_ready = true;
            }
        }
    }
    findings
}

fn github_job_managed(job: &Node) -> bool {
    if let Some(container) = job.get("container") {
        let image = container
            .get("image")
            .map_or_else(|| container.text(), Node::text);
        return managed_image(image.trim());
    }
    let Some(runs_on) = job.get("runs-on") else {
        return false;
    };
    let labels = runs_on.list();
    let matrix = job
        .get("strategy")
        .and_then(|strategy| strategy.get("matrix"));
    labels.iter().any(|label| {
        if let Some(expression) = label.trim().strip_prefix("${{") {
            // `${{ matrix.os }}`: managed when any value of that axis is.
            let key = expression
                .trim_end_matches("}}")
                .trim()
                .strip_prefix("matrix.")
                .unwrap_or("");
            let Some(matrix) = matrix else {
                return false;
            };
            let mut values = matrix.get(key).map(Node::list).unwrap_or_default();
            if let Some(include) = matrix.get("include") {
                for item in &include.children {
                    values.extend(item.get(key).map(Node::text));
                }
            }
            values.iter().any(|value| managed_runner(value))
        } else {
            managed_runner(label)
        }
    })
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

/// A bare `pip install` in a GitLab CI job whose image ships a managed Python.
pub fn check_gitlab(text: &str) -> Vec<(Rule, Position)> {
    let mut findings = Vec::new();
    let roots = yaml::parse(text);
    let top = |key: &str| roots.iter().find(|node| node.key.as_deref() == Some(key));
    let default = top("default");
    let default_image = default
        .and_then(|default| default.get("image"))
        .or_else(|| top("image"))
        .map(image_name);
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
        // `extends: .template` takes the template's image when the job names none.
        let extended = job.get("extends").map(Node::list).unwrap_or_default();
        let image = job
            .get("image")
            .or_else(|| {
                extended
                    .iter()
                    .rev()
                    .filter_map(|name| top(name))
                    .find_map(|template| template.get("image"))
            })
            .map(image_name)
            .or(default_image.clone());
        if !image.as_deref().is_some_and(managed_image) {
            continue;
        }
        // `before_script` and `script` run in one shell: activation carries over.
        let mut lines: Vec<SourceLine> = Vec::new();
        let before = job.get("before_script").or(default_before);
        for section in [before, job.get("script")].into_iter().flatten() {
            lines.extend(section.value.iter().cloned());
            for item in &section.children {
                lines.extend(item.value.iter().cloned());
            }
        }
        let scan = command::scan(&fragments(&lines), false);
        findings.extend(
            scan.system_installs
                .into_iter()
                .map(|position| (Rule::CiSystemInstall, position)),
        );
    }
    findings
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

    #[test]
    fn knows_managed_runners() {
        assert!(managed_runner("ubuntu-latest"));
        assert!(managed_runner("ubuntu-24.04"));
        assert!(managed_runner("ubuntu-24.04-arm"));
        assert!(!managed_runner("ubuntu-22.04"));
        assert!(!managed_runner("windows-latest"));
        assert!(!managed_runner("self-hosted"));
    }

    #[test]
    fn knows_actions_that_bring_a_python() {
        assert!(provides_python("actions/setup-python@v5"));
        assert!(provides_python("./.github/actions/setup-env"));
        assert!(provides_python("acme/ci/setup-toolchain@v1"));
        assert!(!provides_python("actions/checkout@v4"));
        assert!(!provides_python("actions/cache@v4"));
    }
}
