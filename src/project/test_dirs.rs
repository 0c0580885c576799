//! The directories a project's CI makes before its tests run (`mkdir data` in a workflow
//! whose settings keep the SQLite database in `data/`): a fresh checkout lacks them, and
//! the tests cannot open their files there until they exist.

/// What in a line means the job runs Python tests after it.
const TEST_RUNNERS: [&str; 5] = ["pytest", "manage.py test", "unittest", "tox", "make test"];

/// The directories the CI jobs (GitHub workflows, `.gitlab-ci.yml`, as `pipelines`) that run
/// the tests make with `mkdir` before them, plain relative paths only, without those that
/// `exists` says the repository has. A job that sets a `working-directory` is left out:
/// its paths are not the root's.
pub(crate) fn read(pipelines: &[String], exists: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut dirs: Vec<String> = Vec::new();
    for text in pipelines {
        for job in jobs(text) {
            if job.iter().any(|line| line.contains("working-directory")) {
                continue;
            }
            let mut made: Vec<String> = Vec::new();
            for line in &job {
                if TEST_RUNNERS.iter().any(|runner| line.contains(runner)) {
                    for dir in made.drain(..) {
                        if !dirs.contains(&dir) && !exists(&dir) {
                            dirs.push(dir);
                        }
                    }
                }
                made.extend(made_by(line));
            }
        }
    }
    dirs
}

/// A pipeline's lines grouped by job: a key at the jobs' indentation (2 under a GitHub
/// workflow's `jobs:`, 0 for a GitLab job) or a top-level key starts the next group.
fn jobs(text: &str) -> Vec<Vec<&str>> {
    let job_indent = if text.lines().any(|line| line.trim_end() == "jobs:") {
        2
    } else {
        0
    };
    let mut jobs: Vec<Vec<&str>> = vec![Vec::new()];
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let trimmed = line.trim();
        let is_key = trimmed.ends_with(':') && !trimmed.starts_with(['-', '#']);
        if is_key && (indent == 0 || indent == job_indent) {
            jobs.push(Vec::new());
        }
        if let Some(job) = jobs.last_mut() {
            job.push(line);
        }
    }
    jobs
}

/// The directories a `mkdir [-p] DIR…` in `line` (a `run:` value, a script item, a block
/// line) makes, when the command is exactly that.
fn made_by(line: &str) -> Vec<String> {
    let command = line.trim().trim_start_matches("- ").trim();
    let command = command.strip_prefix("run:").map_or(command, str::trim);
    let mut words = command.split_whitespace();
    if words.next() != Some("mkdir") {
        return Vec::new();
    }
    let dirs: Vec<&str> = words.filter(|word| !word.starts_with('-')).collect();
    if dirs.is_empty() || !dirs.iter().all(|dir| is_plain_dir(dir)) {
        return Vec::new();
    }
    dirs.iter()
        .map(|dir| dir.trim_end_matches('/').to_string())
        .collect()
}

/// A relative path below the root that a shell reads as it is: `data`, `var/log`.
fn is_plain_dir(path: &str) -> bool {
    !path.starts_with(['/', '.', '~'])
        && path
            .trim_end_matches('/')
            .split('/')
            .all(|part| !part.is_empty() && part != "..")
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_-./".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dirs(pipeline: &str, existing: &[&str]) -> Vec<String> {
        read(&[pipeline.to_string()], &|dir| existing.contains(&dir))
    }

    #[test]
    fn the_directories_made_before_the_tests() {
        let workflow = "on: push\njobs:\n  unit_tests:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - name: Setup Python environment\n        run: |\n          uv sync\n          mkdir data\n      - name: Run tests\n        run: uv run pytest -n auto\n";
        assert_eq!(dirs(workflow, &[]), ["data"]);
        // One the repository has already.
        assert!(dirs(workflow, &["data"]).is_empty());
        let gitlab = "test:\n  before_script:\n    - mkdir -p var/log media/\n  script:\n    - python manage.py test\n";
        assert_eq!(dirs(gitlab, &[]), ["var/log", "media"]);
    }

    #[test]
    fn not_in_other_jobs_or_after_the_tests_or_elsewhere() {
        let rows = [
            // A docs job's build directory.
            "jobs:\n  docs:\n    steps:\n      - run: mkdir build\n      - run: sphinx-build docs build\n  test:\n    steps:\n      - run: pytest\n",
            // Made after the tests ran.
            "jobs:\n  test:\n    steps:\n      - run: pytest\n      - run: mkdir reports\n",
            // Outside the checkout, a variable, or a command that does more.
            "jobs:\n  test:\n    steps:\n      - run: mkdir -p ~/.cache /tmp/x $HOME/y ../z\n      - run: pytest\n",
            "jobs:\n  test:\n    steps:\n      - run: mkdir data && chmod 700 data\n      - run: pytest\n",
            // Another working directory.
            "jobs:\n  test:\n    defaults:\n      run:\n        working-directory: api\n    steps:\n      - run: mkdir data\n      - run: pytest\n",
        ];
        for workflow in rows {
            assert!(dirs(workflow, &[]).is_empty(), "{workflow}");
        }
    }
}
