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

/// Probes, in parallel, every target the cache cannot answer, each interpreter once:
/// `python`, `python3` and `python3.11` that are the same file with the same `pyvenv.cfg`
/// (so the same prefix) share one probe. `true` marks a fresh probe.
fn probe_all(targets: &[Target], cache: &Cache) -> Vec<Result<(Facts, bool), ProbeFailure>> {
    let cached: Vec<Option<Facts>> = targets
        .iter()
        .map(|target| {
            target
                .key
                .as_ref()
                .and_then(|key| cache.get(&target.interpreter, key))
        })
        .collect();
    let leaders = probe_leaders(targets);
    let fresh: Vec<Option<Result<Facts, ProbeFailure>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = targets
            .iter()
            .enumerate()
            .map(|(index, target)| {
                let probe = cached[index].is_none() && leaders[index] == index;
                probe.then(|| scope.spawn(move || probe_target(target)))
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle.map(|handle| {
                    handle
                        .join()
                        .unwrap_or_else(|_| Err(ProbeFailure::Broken("the probe crashed".into())))
                })
            })
            .collect()
    });
    (0..targets.len())
        .map(|index| match (&cached[index], &fresh[leaders[index]]) {
            (Some(facts), _) => Ok((facts.clone(), false)),
            (None, Some(result)) => result.clone().map(|facts| (facts, true)),
            // The same interpreter under another name was answered by the cache.
            (None, None) => cached[leaders[index]]
                .clone()
                .ok_or_else(|| ProbeFailure::Broken("the probe did not run".into()))
                .map(|facts| (facts, true)),
        })
        .collect()
}

/// For each target, the index of the first target that is the same interpreter (itself
/// when none before it is): same real file, size, modification time and `pyvenv.cfg`.
fn probe_leaders(targets: &[Target]) -> Vec<usize> {
    let identity = |target: &Target| {
        let key = target.key.as_ref()?;
        let venv_root = key
            .pyvenv_cfg
            .and_then(|_| target.interpreter.parent()?.parent().map(Path::to_path_buf));
        Some((key.clone(), venv_root))
    };
    let identities: Vec<_> = targets.iter().map(identity).collect();
    identities
        .iter()
        .enumerate()
        .map(|(index, id)| match id {
            Some(id) => identities[..index]
                .iter()
                .position(|other| other.as_ref() == Some(id))
                .unwrap_or(index),
            None => index,
        })
        .collect()
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
