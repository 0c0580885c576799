//! Getting the facts of many interpreters at once: shims resolved to what they run, the
//! cache asked first, the rest probed in parallel, the cache saved.

use std::path::{Path, PathBuf};

use crate::python::cache::{self, Cache};
use crate::python::discover::Candidate;
use crate::python::probe::{self, Facts, ProbeFailure};
use crate::python::shim::{self, PyenvContext, Shim};

/// One candidate and what it said about itself.
pub struct Inspected {
    pub candidate: Candidate,
    /// The file that really runs: `sys.executable` resolved, or the shim's target.
    pub real_path: Option<PathBuf>,
    pub result: Result<Facts, ProbeFailure>,
}

/// A candidate that was not inspected, and why.
pub struct Skipped {
    pub candidate: Candidate,
    pub why: String,
}

struct Target {
    candidate: Candidate,
    interpreter: PathBuf,
    key: Option<cache::Key>,
}

/// Inspects `candidates` in order, resolving pyenv shims as pyenv would from `cwd` and
/// this process's environment. Shims that lead nowhere are returned as skipped.
pub fn inspect(
    candidates: Vec<Candidate>,
    cwd: &Path,
    use_cache: bool,
) -> (Vec<Inspected>, Vec<Skipped>) {
    let pyenv_version = std::env::var("PYENV_VERSION").ok();
    let path_var = std::env::var_os("PATH");
    let pyenv = &PyenvContext {
        pyenv_version: pyenv_version.as_deref(),
        cwd,
        path_var: path_var.as_deref(),
    };
    let mut targets = Vec::new();
    let mut skipped = Vec::new();
    for candidate in candidates {
        let interpreter = match shim::resolve(&candidate.path, pyenv) {
            Shim::NotAShim => candidate.path.clone(),
            Shim::Runs(target) => target,
            Shim::Unreachable(why) => {
                skipped.push(Skipped { candidate, why });
                continue;
            }
        };
        let key = cache::key_for(&interpreter);
        targets.push(Target {
            candidate,
            interpreter,
            key,
        });
    }
    let mut cache = Cache::open(use_cache);
    let results = probe_all(&targets, &cache);
    let mut inspected = Vec::new();
    for (target, result) in targets.into_iter().zip(results) {
        if let (Ok((facts, true)), Some(key)) = (&result, &target.key) {
            cache.insert(target.interpreter.clone(), key.clone(), facts.clone());
        }
        let result = result.map(|(facts, _)| facts);
        let real_path = result
            .as_ref()
            .ok()
            .and_then(|facts| fs_err::canonicalize(&facts.executable).ok())
            .or_else(|| target.key.as_ref().map(|key| key.real_path.clone()));
        inspected.push(Inspected {
            candidate: target.candidate,
            real_path,
            result,
        });
    }
    // Failing to cache costs only speed next time.
    let _ = cache.save();
    (inspected, skipped)
}

/// Probes, in parallel, every target the cache cannot answer. `true` marks a fresh probe.
fn probe_all(targets: &[Target], cache: &Cache) -> Vec<Result<(Facts, bool), ProbeFailure>> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = targets
            .iter()
            .map(|target| {
                let cached = target
                    .key
                    .as_ref()
                    .and_then(|key| cache.get(&target.interpreter, key));
                scope.spawn(move || match cached {
                    Some(facts) => Ok((facts, false)),
                    None => probe_target(target).map(|facts| (facts, true)),
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|_| Err(ProbeFailure::Broken("the probe crashed".into())))
            })
            .collect()
    })
}

fn probe_target(target: &Target) -> Result<Facts, ProbeFailure> {
    if target.key.is_none() && fs_err::symlink_metadata(&target.interpreter).is_ok() {
        // A symlink whose target is gone: typically a venv whose base Python was removed.
        let link = fs_err::read_link(&target.interpreter)
            .map(|l| l.display().to_string())
            .unwrap_or_default();
        return Err(ProbeFailure::Broken(format!(
            "its interpreter `{link}` no longer exists"
        )));
    }
    probe::probe(&target.interpreter)
}
