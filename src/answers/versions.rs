//! CPython versions: the supported range, `3.N` strings, `.python-version` lines and
//! `requires-python` specifiers (the subset of PEP 440 that names CPython releases).

use std::ops::RangeInclusive;

/// The CPython minor versions (`3.N`) pybootstrap supports: 3.9 to 3.15. 3.9 is past its
/// end of life but still shipped by LTS distributions (RHEL 9) and installed by
/// `actions/setup-python`; 3.15 is the newest final release (`RELEASES`).
pub const SUPPORTED_MINORS: RangeInclusive<u32> = 9..=15;

/// Every supported version as `3.N`, oldest first.
pub fn supported_versions() -> Vec<String> {
    SUPPORTED_MINORS.map(|minor| format!("3.{minor}")).collect()
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
    minor_of_any(text).filter(|minor| SUPPORTED_MINORS.contains(minor))
}

/// The minor of a `3.N` version text, supported or not: an application may state a Python
/// older than the ones pybootstrap supports (`python_version = "3.8"` in a `Pipfile`).
pub(crate) fn minor_of_any(text: &str) -> Option<u32> {
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
    digits.parse().ok()
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
        let (release, wildcard) = parse_version(rest.trim(), operator)
            .ok_or_else(|| format!("`{clause}` is not a version comparison"))?;
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

/// The release numbers of the version in one clause, and whether it ends in `.*`; `None`
/// unless the whole text is a PEP 440 version the operator takes (the grammar of
/// `packaging.specifiers.Specifier`). The text goes into generated scripts, so nothing
/// after the version may be skipped over: `>=3.x` and `>=3.9;rm` are errors, not `>=3`.
fn parse_version(text: &str, operator: Operator) -> Option<(Vec<u64>, bool)> {
    let lower = text.to_ascii_lowercase();
    let mut rest = lower.strip_prefix('v').unwrap_or(&lower);
    // An epoch of 0 is the default; any other puts every version after all of CPython's.
    rest = rest.strip_prefix("0!").unwrap_or(rest);
    let mut release = Vec::new();
    loop {
        let (number, after) = split_digits(rest);
        release.push(number?.parse().ok()?);
        match after.strip_prefix('.') {
            Some(next) if next.starts_with(|c: char| c.is_ascii_digit()) => rest = next,
            _ => {
                rest = after;
                break;
            }
        }
    }
    let prefix_match = matches!(operator, Operator::Equal | Operator::NotEqual);
    if prefix_match && rest == ".*" {
        return Some((release, true));
    }
    // Pre, post, dev and local parts do not move a release across a minor boundary, so
    // they are checked, then only the release numbers kept.
    rest = strip_suffix_part(
        rest,
        &["alpha", "beta", "preview", "pre", "rc", "a", "b", "c"],
    );
    rest = match rest.strip_prefix('-') {
        Some(after) if after.starts_with(|c: char| c.is_ascii_digit()) => split_digits(after).1,
        _ => strip_suffix_part(rest, &["post", "rev", "r"]),
    };
    rest = strip_suffix_part(rest, &["dev"]);
    if let Some(local) = rest.strip_prefix('+') {
        let valid = prefix_match
            && local
                .split(['-', '_', '.'])
                .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()));
        return valid.then_some((release, false));
    }
    rest.is_empty().then_some((release, false))
}

/// The leading ASCII digits of `text` (`None` when there are none), and the text after them.
fn split_digits(text: &str) -> (Option<&str>, &str) {
    let end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    ((end > 0).then(|| &text[..end]), &text[end..])
}

/// `text` after an optional `[-_.]? name [-_.]? digits*` part, `name` one of `names`.
fn strip_suffix_part<'a>(text: &'a str, names: &[&str]) -> &'a str {
    let after_separator = text.strip_prefix(['-', '_', '.']).unwrap_or(text);
    let Some(after_name) = names
        .iter()
        .find_map(|name| after_separator.strip_prefix(name))
    else {
        return text;
    };
    let after_name = after_name
        .strip_prefix(['-', '_', '.'])
        .unwrap_or(after_name);
    split_digits(after_name).1
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

/// CPython minor releases: `(N of 3.N, first final release, end of life)`, from python.org's
/// release status page (devguide "Status of Python versions"). The default CI matrix tests
/// the minors still supported on `RELEASES_AS_OF`: a fixed date, not today's, so that the
/// same answers render the same files on any day (`regen --check` stays clean); updating
/// the table is a release of pybootstrap.
pub(crate) const RELEASES: &[(u32, &str, &str)] = &[
    (9, "2020-10-05", "2025-10-31"),
    (10, "2021-10-04", "2026-10-31"),
    (11, "2022-10-24", "2027-10-31"),
    (12, "2023-10-02", "2028-10-31"),
    (13, "2024-10-07", "2029-10-31"),
    (14, "2025-10-07", "2030-10-31"),
    (15, "2026-10-09", "2031-10-31"),
];

/// The date `RELEASES` describes.
pub(crate) const RELEASES_AS_OF: &str = "2026-12-07";

/// The oldest minor `actions/setup-python` installs on `ubuntu-latest` on `RELEASES_AS_OF`
/// (actions/python-versions keeps the builds of an end-of-life minor for the runner images
/// it was built for); an older floor of a range is left out of the default matrix, since CI
/// could not install it.
const SETUP_PYTHON_OLDEST: u32 = 9;

/// Whether 3.`minor` is released and before its end of life on `RELEASES_AS_OF`.
fn maintained(minor: u32) -> bool {
    RELEASES.iter().any(|(release, first, end)| {
        *release == minor && *first <= RELEASES_AS_OF && RELEASES_AS_OF < *end
    })
}

/// The default CI matrix for a range: its floor, the oldest minor the project claims to
/// run on (when CI can still install it), and every maintained minor inside it; when the
/// range holds no maintained minor (a project pinned to end-of-life versions), every
/// supported minor inside it, so that CI still tests what the project declares.
pub(crate) fn matrix_for(allowed: &[u32]) -> Vec<u32> {
    let floor = allowed.first().copied();
    let matrix: Vec<u32> = allowed
        .iter()
        .copied()
        .filter(|&minor| {
            maintained(minor) || (Some(minor) == floor && minor >= SETUP_PYTHON_OLDEST)
        })
        .collect();
    if allowed.iter().any(|&minor| maintained(minor)) {
        matrix
    } else {
        allowed.to_vec()
    }
}

/// `specifier` as a Python expression over `v`, the interpreter's
/// `tuple(sys.version_info[:3])`: the bootstrap asks each candidate interpreter itself,
/// so a patch bound (`>=3.10.2`) and a release newer than pybootstrap (`3.15`) are judged
/// exactly. Only digits, tuples, slices and comparisons: safe in any shell quoting, and
/// valid from Python 2.7 on.
pub(crate) fn python_check(specifier: &str) -> Result<String, String> {
    let clauses = parse_specifier(specifier)?;
    let tuple = |numbers: &[u64], length: usize| {
        let mut numbers = numbers.to_vec();
        numbers.resize(length.max(numbers.len()), 0);
        let parts: Vec<String> = numbers.iter().map(u64::to_string).collect();
        format!("({},)", parts.join(","))
    };
    let parts: Vec<String> = clauses
        .iter()
        .map(|clause| {
            let release = &clause.release;
            let prefix = |numbers: &[u64]| {
                format!("v[:{}] == {}", numbers.len(), tuple(numbers, numbers.len()))
            };
            match clause.operator {
                Operator::Equal if clause.wildcard => prefix(release),
                Operator::NotEqual if clause.wildcard => format!("not {}", prefix(release)),
                Operator::Equal => format!("v == {}", tuple(release, 3)),
                Operator::NotEqual => format!("v != {}", tuple(release, 3)),
                Operator::LessEqual => format!("v <= {}", tuple(release, 3)),
                Operator::GreaterEqual => format!("v >= {}", tuple(release, 3)),
                Operator::Less => format!("v < {}", tuple(release, 3)),
                Operator::Greater => format!("v > {}", tuple(release, 3)),
                Operator::Compatible => format!(
                    "v >= {} and {}",
                    tuple(release, 3),
                    prefix(&release[..release.len() - 1])
                ),
            }
        })
        .map(|part| format!("({part})"))
        .collect();
    Ok(parts.join(" and "))
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
        assert_eq!(parse_pinned_line("3.15.0"), Version(15));
        for unusable in ["pypy3.10", "system", "3.8", "3.16", "2.7.18", "3.1x"] {
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
        assert_eq!(minors(">=3.10"), vec![10, 11, 12, 13, 14, 15]);
        assert_eq!(minors(">=3.8"), vec![9, 10, 11, 12, 13, 14, 15]);
        assert_eq!(minors(">=3.9, <3.12"), vec![9, 10, 11]);
        assert_eq!(minors(">3.10"), vec![10, 11, 12, 13, 14, 15]);
        assert_eq!(minors("<3.10.0"), vec![9]);
        assert_eq!(minors("<=3.11"), vec![9, 10, 11]);
        assert_eq!(minors("<3.11"), vec![9, 10]);
        assert_eq!(minors("~=3.11"), vec![11, 12, 13, 14, 15]);
        assert_eq!(minors("~=3.11.2"), vec![11]);
        assert_eq!(minors("==3.12.*"), vec![12]);
        assert_eq!(minors("==3.12"), vec![12]);
        assert_eq!(minors(">=3.10,!=3.12.*"), vec![10, 11, 13, 14, 15]);
        assert_eq!(minors(">=3.10.2,<3.10.5"), vec![10]);
        assert_eq!(minors(">=3.9,<4"), vec![9, 10, 11, 12, 13, 14, 15]);
        assert_eq!(minors(">=3.13.0a1"), vec![13, 14, 15]);
        assert_eq!(minors(">=4"), Vec::<u32>::new());
        assert_eq!(minors(">=3.10.post1"), vec![10, 11, 12, 13, 14, 15]);
        assert_eq!(minors("~=3.12.0-dev1"), vec![12]);
        assert_eq!(minors("== v3.11.*"), vec![11]);
        assert_eq!(minors("!=3.11.2+ubuntu1"), vec![9, 10, 11, 12, 13, 14, 15]);
        for bad in [
            "",
            "3.10",
            "=>3.10",
            ">=",
            "~=3",
            ">=1!3.10",
            ">=3.x",
            ">=3.9;rm",
            ">=3.9 ;",
            ">=3.9.",
            ">=3..9",
            ">=3.9.*",
            "~=3.9.*",
            ">=3.9+local",
            "==3.9.*.1",
            ">=3.9a1b2",
        ] {
            assert!(allowed_minors(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn default_matrix_is_the_floor_and_the_maintained_minors_in_range() {
        // `>=3.9`: 3.9 and 3.10 are past their end of life; the floor stays.
        assert_eq!(
            matrix_for(&[9, 10, 11, 12, 13, 14, 15]),
            vec![9, 11, 12, 13, 14, 15]
        );
        assert_eq!(
            matrix_for(&[10, 11, 12, 13, 14, 15]),
            vec![10, 11, 12, 13, 14, 15]
        );
        assert_eq!(matrix_for(&[12, 13, 14, 15]), vec![12, 13, 14, 15]);
        assert_eq!(matrix_for(&[10, 11]), vec![10, 11]);
        assert_eq!(matrix_for(&[9, 10]), vec![9, 10]);
        assert_eq!(matrix_for(&[]), Vec::<u32>::new());
    }

    /// Days since 1970-01-01 as a `YYYY-MM-DD` date (proleptic Gregorian).
    fn civil_date(days: i64) -> String {
        // Howard Hinnant's `civil_from_days`.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_index = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * month_index + 2) / 5 + 1;
        let month = if month_index < 10 {
            month_index + 3
        } else {
            month_index - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        format!("{year:04}-{month:02}-{day:02}")
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_429), "2025-12-07");
        assert_eq!(civil_date(20_794), "2026-12-07");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }

    /// The newest minor PEP 602's yearly cadence has released by `date`: 3.N.0 comes out in
    /// October of 2011 + N (3.11 came as late as the 24th), so from November on it is out.
    fn newest_due(date: &str) -> u32 {
        let year: u32 = date[..4].parse().expect("year");
        let month: u32 = date[5..7].parse().expect("month");
        if month >= 11 {
            year - 2011
        } else {
            year - 2012
        }
    }

    #[test]
    fn the_release_table_is_dated_and_in_order() {
        let newest = RELEASES.last().expect("releases");
        assert!(
            newest.1 <= RELEASES_AS_OF,
            "RELEASES_AS_OF ({RELEASES_AS_OF}) is older than the newest release it lists (3.{}: {})",
            newest.0,
            newest.1
        );
        assert_eq!(
            *SUPPORTED_MINORS.end(),
            newest.0,
            "SUPPORTED_MINORS must end at the newest release of the table"
        );
        for pair in RELEASES.windows(2) {
            assert_eq!(pair[1].0, pair[0].0 + 1, "one row per minor, in order");
            assert!(pair[0].1 < pair[1].1 && pair[0].2 < pair[1].2);
        }
        assert!(newest_due(RELEASES_AS_OF) <= newest.0);
        assert_eq!(newest_due("2026-10-31"), 14);
        assert_eq!(newest_due("2026-11-01"), 15);
        assert_eq!(newest_due("2027-06-01"), 15);
    }

    /// Fails once a CPython minor is due by today's date and the table does not list it, or
    /// still carries a date older than that release: the table then needs its yearly update.
    #[test]
    fn the_release_table_knows_every_release_due_by_today() {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("a clock after 1970");
        let today = civil_date(i64::try_from(now.as_secs() / 86_400).expect("days"));
        let due = newest_due(&today);
        let Some(row) = RELEASES.iter().find(|row| row.0 == due) else {
            panic!(
                "today ({today}) CPython 3.{due} is out, but RELEASES (as of {RELEASES_AS_OF}) does not list it: add its row, move RELEASES_AS_OF and SUPPORTED_MINORS"
            );
        };
        assert!(
            RELEASES_AS_OF >= row.1,
            "RELEASES_AS_OF ({RELEASES_AS_OF}) is older than the release of 3.{due} ({}): move it to the day the table was checked",
            row.1
        );
    }

    #[test]
    fn ranges_become_python_checks() {
        let check = |spec: &str| python_check(spec).expect(spec);
        assert_eq!(check(">=3.10"), "(v >= (3,10,0,))");
        assert_eq!(check(">=3.9,<4"), "(v >= (3,9,0,)) and (v < (4,0,0,))");
        assert_eq!(check("==3.12.*"), "(v[:2] == (3,12,))");
        assert_eq!(check("!=3.12.*"), "(not v[:2] == (3,12,))");
        assert_eq!(check("~=3.11"), "(v >= (3,11,0,) and v[:1] == (3,))");
        assert_eq!(check(">3.10.2"), "(v > (3,10,2,))");
        assert!(python_check("3.10").is_err());
    }
}
