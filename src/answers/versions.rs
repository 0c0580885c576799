//! CPython versions: the supported range, `3.N` strings, `.python-version` lines and
//! `requires-python` specifiers (the subset of PEP 440 that names CPython releases).

use std::ops::RangeInclusive;

/// The CPython minor versions (`3.N`) pybootstrap supports: 3.9 to 3.14. 3.9 is the oldest
/// with upstream security support in late 2026 still shipped by LTS distributions; 3.14 is
/// the newest final release.
pub const SUPPORTED_MINORS: RangeInclusive<u32> = 9..=14;

/// Every supported version as `3.N`, oldest first.
pub fn supported_versions() -> Vec<String> {
    SUPPORTED_MINORS.map(|minor| format!("3.{minor}")).collect()
}

/// The newest two supported versions: the default when nothing else is known.
pub(crate) fn newest_two() -> super::PythonVersions {
    let newest = *SUPPORTED_MINORS.end();
    [newest - 1, newest]
        .into_iter()
        .filter_map(super::PythonMinor::new)
        .collect::<Vec<_>>()
        .try_into()
        .expect("two supported versions, oldest first")
}

/// The minor number of a `3.N` string (exactly that form, no patch, no leading zero).
pub(crate) fn parse_minor(text: &str) -> Option<u32> {
    let minor = text.strip_prefix("3.")?;
    if minor.is_empty()
        || !minor.bytes().all(|byte| byte.is_ascii_digit())
        || (minor.len() > 1 && minor.starts_with('0'))
    {
        return None;
    }
    minor.parse().ok()
}

/// The `3.N` of a version a tool reported or a file named (`3.11`, `3.11.4`, `3.13t`,
/// `3.12.0rc1`), if it is a supported CPython version.
pub(crate) fn minor_of(text: &str) -> Option<u32> {
    let rest = text.trim().strip_prefix("3.")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = &rest[digits.len()..];
    // `3.1x` must not be read as `3.1` then junk: what follows the minor is a patch, a
    // pre-release or build suffix, never another digit.
    if digits.is_empty()
        || !(after.is_empty() || after.starts_with(['.', 't', 'a', 'b', 'r', '-', '+']))
    {
        return None;
    }
    let minor: u32 = digits.parse().ok()?;
    SUPPORTED_MINORS.contains(&minor).then_some(minor)
}

/// What one line of `.python-version` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PinnedLine {
    /// Nothing (blank or a comment).
    Empty,
    /// A supported CPython `3.N`.
    Version(u32),
    /// Something else (`pypy3.10`, `system`, `3.8`): ignored with a warning.
    Unusable(String),
}

/// Reads one line of `.python-version` as pyenv and uv write it: `3.12`, `3.12.4`,
/// `cpython-3.12`, `cpython@3.12`, `cpython-3.12.4-linux-x86_64-gnu`, `3.13t`.
pub(crate) fn parse_pinned_line(line: &str) -> PinnedLine {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return PinnedLine::Empty;
    }
    let lower = line.to_ascii_lowercase();
    let request = ["cpython-", "cpython@", "cpython", "python"]
        .iter()
        .find_map(|prefix| lower.strip_prefix(prefix))
        .unwrap_or(&lower);
    match minor_of(request) {
        Some(minor) => PinnedLine::Version(minor),
        None => PinnedLine::Unusable(line.to_string()),
    }
}

/// One clause of a PEP 440 version specifier, e.g. `>=3.10` or `!=3.12.*`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Clause {
    operator: Operator,
    release: Vec<u64>,
    wildcard: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operator {
    Compatible,
    Equal,
    NotEqual,
    LessEqual,
    GreaterEqual,
    Less,
    Greater,
}

/// Parses `requires-python` (`>=3.10`, `>=3.9,<3.13`, `~=3.11`, `==3.12.*`). An error says
/// which clause could not be read.
fn parse_specifier(text: &str) -> Result<Vec<Clause>, String> {
    let mut clauses = Vec::new();
    for raw in text.split(',') {
        let clause = raw.trim();
        if clause.is_empty() {
            continue;
        }
        let (operator, rest) = [
            ("===", Operator::Equal),
            ("~=", Operator::Compatible),
            ("==", Operator::Equal),
            ("!=", Operator::NotEqual),
            ("<=", Operator::LessEqual),
            (">=", Operator::GreaterEqual),
            ("<", Operator::Less),
            (">", Operator::Greater),
        ]
        .iter()
        .find_map(|(symbol, operator)| clause.strip_prefix(symbol).map(|rest| (*operator, rest)))
        .ok_or_else(|| format!("`{clause}` has no comparison operator"))?;
        let version = rest.trim();
        let (version, wildcard) = match version.strip_suffix(".*") {
            Some(prefix) => (prefix, true),
            None => (version, false),
        };
        let version = version.strip_prefix(['v', 'V']).unwrap_or(version);
        // An epoch of 0 is the default; pre, post, dev and local parts do not move a
        // release across a minor boundary, so only the release numbers matter here.
        let version = version.strip_prefix("0!").unwrap_or(version);
        let release: Vec<u64> = version
            .split('.')
            .map_while(|part| {
                let digits: String = part.chars().take_while(char::is_ascii_digit).collect();
                (!digits.is_empty()).then(|| digits.parse().ok()).flatten()
            })
            .collect();
        if release.is_empty() || version.contains('!') {
            return Err(format!("`{clause}` is not a version comparison"));
        }
        if operator == Operator::Compatible && release.len() < 2 {
            return Err(format!(
                "`{clause}`: `~=` needs at least two release numbers"
            ));
        }
        clauses.push(Clause {
            operator,
            release,
            wildcard,
        });
    }
    if clauses.is_empty() {
        return Err("it is empty".to_string());
    }
    Ok(clauses)
}

/// Compares release numbers as PEP 440 does: missing trailing numbers are zeros.
fn compare(left: &[u64], right: &[u64]) -> std::cmp::Ordering {
    let length = left.len().max(right.len());
    let pad = |numbers: &[u64]| {
        let mut padded = numbers.to_vec();
        padded.resize(length, 0);
        padded
    };
    pad(left).cmp(&pad(right))
}

fn has_prefix(version: &[u64], prefix: &[u64]) -> bool {
    let mut padded = version.to_vec();
    if padded.len() < prefix.len() {
        padded.resize(prefix.len(), 0);
    }
    padded[..prefix.len()] == *prefix
}

impl Clause {
    fn allows(&self, version: &[u64]) -> bool {
        use std::cmp::Ordering::{Equal, Greater, Less};
        let order = compare(version, &self.release);
        match self.operator {
            Operator::Equal if self.wildcard => has_prefix(version, &self.release),
            Operator::NotEqual if self.wildcard => !has_prefix(version, &self.release),
            Operator::Equal => order == Equal,
            Operator::NotEqual => order != Equal,
            Operator::LessEqual => order != Greater,
            Operator::GreaterEqual => order != Less,
            Operator::Less => order == Less,
            Operator::Greater => order == Greater,
            Operator::Compatible => {
                order != Less && has_prefix(version, &self.release[..self.release.len() - 1])
            }
        }
    }
}

/// The supported minors that some `3.N.x` release satisfying every clause of `specifier`
/// belongs to, oldest first.
pub(crate) fn allowed_minors(specifier: &str) -> Result<Vec<u32>, String> {
    let clauses = parse_specifier(specifier)?;
    Ok(SUPPORTED_MINORS
        .filter(|&minor| {
            // The clauses bound intervals of releases; an interval meets 3.N.x exactly when
            // it holds 3.N.0, the last 3.N.x, or a patch next to a bound the clauses name.
            let mut patches = vec![0, u64::MAX];
            for clause in &clauses {
                if clause.release.len() >= 3
                    && clause.release[0] == 3
                    && clause.release[1] == u64::from(minor)
                {
                    let patch = clause.release[2];
                    patches.extend([patch.saturating_sub(1), patch, patch.saturating_add(1)]);
                }
            }
            patches.iter().any(|&patch| {
                let version = [3, u64::from(minor), patch];
                clauses.iter().all(|clause| clause.allows(&version))
            })
        })
        .collect())
}

/// The versions `requires-python` calls for: the oldest allowed supported version and the
/// newest allowed supported version (one version when they are the same). Testing the two
/// ends keeps CI small while catching both "too new syntax" and "removed API" breakage.
pub(crate) fn versions_for_requirement(specifier: &str) -> Result<Vec<String>, String> {
    let allowed = allowed_minors(specifier)?;
    let (Some(oldest), Some(newest)) = (allowed.first(), allowed.last()) else {
        return Err(format!(
            "it allows none of the supported versions `3.{}`–`3.{}`",
            SUPPORTED_MINORS.start(),
            SUPPORTED_MINORS.end()
        ));
    };
    let mut versions = vec![format!("3.{oldest}")];
    if newest != oldest {
        versions.push(format!("3.{newest}"));
    }
    Ok(versions)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_minor_strings() {
        assert_eq!(parse_minor("3.12"), Some(12));
        assert_eq!(parse_minor("3.9"), Some(9));
        for bad in ["3.12.1", "3.012", "3.", "3", "2.7", " 3.12", "3.1x", "3.-1"] {
            assert_eq!(parse_minor(bad), None, "{bad}");
        }
    }

    #[test]
    fn python_version_lines() {
        use PinnedLine::*;
        assert_eq!(parse_pinned_line("3.12"), Version(12));
        assert_eq!(parse_pinned_line("3.12.4"), Version(12));
        assert_eq!(parse_pinned_line("  3.11\r"), Version(11));
        assert_eq!(parse_pinned_line("cpython-3.12"), Version(12));
        assert_eq!(parse_pinned_line("cpython@3.13"), Version(13));
        assert_eq!(
            parse_pinned_line("cpython-3.12.4-linux-x86_64-gnu"),
            Version(12)
        );
        assert_eq!(parse_pinned_line("3.13t"), Version(13));
        assert_eq!(parse_pinned_line("3.14.0rc1"), Version(14));
        assert_eq!(parse_pinned_line("# comment"), Empty);
        assert_eq!(parse_pinned_line(""), Empty);
        for unusable in ["pypy3.10", "system", "3.8", "3.15", "2.7.18", "3.1x"] {
            assert_eq!(
                parse_pinned_line(unusable),
                Unusable(unusable.into()),
                "{unusable}"
            );
        }
    }

    #[test]
    fn requires_python_ranges() {
        let minors = |spec: &str| allowed_minors(spec).expect(spec);
        assert_eq!(minors(">=3.10"), vec![10, 11, 12, 13, 14]);
        assert_eq!(minors(">=3.8"), vec![9, 10, 11, 12, 13, 14]);
        assert_eq!(minors(">=3.9, <3.12"), vec![9, 10, 11]);
        assert_eq!(minors(">3.10"), vec![10, 11, 12, 13, 14]);
        assert_eq!(minors("<3.10.0"), vec![9]);
        assert_eq!(minors("<=3.11"), vec![9, 10, 11]);
        assert_eq!(minors("<3.11"), vec![9, 10]);
        assert_eq!(minors("~=3.11"), vec![11, 12, 13, 14]);
        assert_eq!(minors("~=3.11.2"), vec![11]);
        assert_eq!(minors("==3.12.*"), vec![12]);
        assert_eq!(minors("==3.12"), vec![12]);
        assert_eq!(minors(">=3.10,!=3.12.*"), vec![10, 11, 13, 14]);
        assert_eq!(minors(">=3.10.2,<3.10.5"), vec![10]);
        assert_eq!(minors(">=3.9,<4"), vec![9, 10, 11, 12, 13, 14]);
        assert_eq!(minors(">=3.13.0a1"), vec![13, 14]);
        assert_eq!(minors(">=4"), Vec::<u32>::new());
        for bad in ["", "3.10", "=>3.10", ">=", "~=3", ">=1!3.10"] {
            assert!(allowed_minors(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn oldest_and_newest_allowed() {
        assert_eq!(
            versions_for_requirement(">=3.10").expect("valid"),
            vec!["3.10", "3.14"]
        );
        assert_eq!(
            versions_for_requirement(">=3.10,<3.12").expect("valid"),
            vec!["3.10", "3.11"]
        );
        assert_eq!(
            versions_for_requirement("==3.12.*").expect("valid"),
            vec!["3.12"]
        );
        assert!(versions_for_requirement("<3.9").is_err());
    }
}
