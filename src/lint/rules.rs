//! The rule catalogue: each rule's stable id, its one-line message and the fix to suggest.

use std::fmt;

use super::kinds::Kind;

/// A lint rule. The ids are stable: PB1xx switch PEP 668 off, PB2xx install into a system
/// Python.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Rule {
    BreakSystemPackagesFlag,
    BreakSystemPackagesEnv,
    BreakSystemPackagesConfig,
    MarkerRemoved,
    SudoPip,
    UserInstall,
    UvSystem,
    DockerSystemInstall,
    CiSystemInstall,
    HostSystemInstall,
    GetPipSystem,
}

impl Rule {
    /// Every rule, in id order.
    pub(crate) const ALL: [Rule; 11] = [
        Rule::BreakSystemPackagesFlag,
        Rule::BreakSystemPackagesEnv,
        Rule::BreakSystemPackagesConfig,
        Rule::MarkerRemoved,
        Rule::SudoPip,
        Rule::UserInstall,
        Rule::UvSystem,
        Rule::DockerSystemInstall,
        Rule::CiSystemInstall,
        Rule::HostSystemInstall,
        Rule::GetPipSystem,
    ];

    /// The stable id, `PB` and three digits.
    pub(crate) fn id(self) -> &'static str {
        match self {
            Rule::BreakSystemPackagesFlag => "PB101",
            Rule::BreakSystemPackagesEnv => "PB102",
            Rule::BreakSystemPackagesConfig => "PB103",
            Rule::MarkerRemoved => "PB104",
            Rule::SudoPip => "PB201",
            Rule::UserInstall => "PB202",
            Rule::UvSystem => "PB203",
            Rule::DockerSystemInstall => "PB204",
            Rule::CiSystemInstall => "PB205",
            Rule::HostSystemInstall => "PB206",
            Rule::GetPipSystem => "PB207",
        }
    }

    /// What is wrong, in one line.
    pub(crate) fn message(self) -> &'static str {
        match self {
            Rule::BreakSystemPackagesFlag => {
                "`--break-system-packages` overrides PEP 668 and can break the OS's own Python tools"
            }
            Rule::BreakSystemPackagesEnv => {
                "`PIP_BREAK_SYSTEM_PACKAGES` (or uv's `UV_BREAK_SYSTEM_PACKAGES`) switches PEP 668 off for every install"
            }
            Rule::BreakSystemPackagesConfig => {
                "`break-system-packages` in pip config switches PEP 668 off for every install"
            }
            Rule::MarkerRemoved => {
                "removing the `EXTERNALLY-MANAGED` marker disables PEP 668, and the next OS package upgrade restores it"
            }
            Rule::SudoPip => {
                "`sudo pip` installs into the system Python as root; pip refuses it on managed Pythons"
            }
            Rule::UserInstall => {
                "`pip install --user` (or `PIP_USER`) is refused on externally managed Pythons and fails inside a venv"
            }
            Rule::UvSystem => {
                "`uv pip --system` (or `UV_SYSTEM_PYTHON`) installs into the system Python, which refuses it when externally managed"
            }
            Rule::DockerSystemInstall => {
                "`pip install` into the base image's distro Python (externally managed or not), with no venv on `PATH`"
            }
            Rule::CiSystemInstall => {
                "`pip install` into the CI runner's or image's distro Python, with no venv or setup-python"
            }
            Rule::HostSystemInstall => {
                "`pip install` into the system Python of a machine this script provisions (it uses `sudo` or installs the distro's Python), with no venv"
            }
            Rule::GetPipSystem => {
                "`get-pip.py` run by a system Python installs pip system-wide, over the distro's own"
            }
        }
    }

    /// What to write instead.
    pub(crate) fn fix(self) -> &'static str {
        match self {
            Rule::BreakSystemPackagesFlag => {
                "install into a venv: `python3 -m venv .venv && .venv/bin/python -m pip install ...`; for CLI tools use `pipx install`"
            }
            Rule::BreakSystemPackagesEnv => {
                "remove the variable and install into a venv (`.venv/bin/python -m pip install ...`)"
            }
            Rule::BreakSystemPackagesConfig => {
                "remove the setting; set `require-virtualenv = true` instead and install into a venv"
            }
            Rule::MarkerRemoved => {
                "leave the marker in place; create a venv (`python3 -m venv .venv`) and install there"
            }
            Rule::SudoPip => {
                "drop `sudo`: install into a venv you own (`.venv/bin/python -m pip install ...`), or use the OS package (`apt install python3-<name>`)"
            }
            Rule::UserInstall => {
                "drop `--user`: install into a venv, or use `pipx install` for command-line tools"
            }
            Rule::UvSystem => {
                "create a venv and install into it: `uv venv && uv pip install ...` (or `--python .venv/bin/python`)"
            }
            Rule::DockerSystemInstall => {
                "use a `python:*` base image, or `RUN python3 -m venv /opt/venv` then `ENV PATH=\"/opt/venv/bin:$PATH\"` before installing"
            }
            Rule::CiSystemInstall => {
                "create a venv and install with `.venv/bin/python -m pip install ...`, or use a Python the OS does not own"
            }
            Rule::HostSystemInstall => {
                "create a venv first (`python3 -m venv /opt/app/venv`) and install with `/opt/app/venv/bin/python -m pip install ...`; for CLI tools use `pipx install`"
            }
            Rule::GetPipSystem => {
                "install pip from the OS (`apt-get install python3-pip python3-venv`) and create a venv; a venv already has pip"
            }
        }
    }

    /// What to write instead, in the terms of the file the finding is in.
    pub(crate) fn fix_for(self, kind: Kind) -> &'static str {
        match (self, kind) {
            (Rule::CiSystemInstall, Kind::GithubWorkflow) => {
                "add `actions/setup-python` before this step, or create a venv and install with `.venv/bin/python -m pip install ...`"
            }
            (Rule::CiSystemInstall, Kind::GitlabCi) => {
                "use a `python:*` image (`image: python:3.12`), or create a venv in `before_script` (`python3 -m venv .venv && . .venv/bin/activate`)"
            }
            (Rule::UvSystem, Kind::GithubWorkflow) => {
                "add `actions/setup-python` before this step (uv's `--system` then reaches its Python), or `uv venv && uv pip install ...`"
            }
            (Rule::UvSystem, Kind::GitlabCi) => {
                "use a `python:*` image (`image: python:3.12`) for `--system`, or `uv venv && uv pip install ...`"
            }
            (Rule::UvSystem | Rule::UserInstall | Rule::GetPipSystem, Kind::Dockerfile) => {
                "use a `python:*` base image, or `RUN python3 -m venv /opt/venv` then `ENV PATH=\"/opt/venv/bin:$PATH\"` before installing"
            }
            (Rule::SudoPip, Kind::Dockerfile) => {
                "drop `sudo`: `RUN python3 -m venv /opt/venv` then `ENV PATH=\"/opt/venv/bin:$PATH\"` and install there, or use a `python:*` base image"
            }
            (Rule::UserInstall, Kind::GithubWorkflow) => {
                "drop `--user`: add `actions/setup-python` before this step, or install into a venv"
            }
            (Rule::UserInstall, Kind::GitlabCi) => {
                "drop `--user`: use a `python:*` image, or install into a venv"
            }
            _ => self.fix(),
        }
    }

    /// The rules whose ids `pattern` names: an id in any case (`pb101`), or a glob over ids
    /// where `*` stands for any run of characters and `?` for one (`PB2*`, `PB10?`).
    pub(crate) fn matching(pattern: &str) -> Vec<Rule> {
        let pattern = pattern.to_ascii_uppercase();
        Rule::ALL
            .into_iter()
            .filter(|rule| wildcard_match(pattern.as_bytes(), rule.id().as_bytes()))
            .collect()
    }

    /// The valid ids, comma separated, for error messages.
    pub(crate) fn id_list() -> String {
        Rule::ALL
            .iter()
            .map(|rule| rule.id())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// Whether `text` matches `pattern` (`*` any run, `?` one byte), in time proportional to
/// their lengths' product however many `*` the pattern holds.
fn wildcard_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut at_pattern, mut at_text) = (0, 0);
    // The last `*` seen, and where in `text` its run would end if it took one byte more.
    let mut star: Option<(usize, usize)> = None;
    while at_text < text.len() {
        match pattern.get(at_pattern) {
            Some(b'*') => {
                star = Some((at_pattern, at_text));
                at_pattern += 1;
            }
            Some(&byte) if byte == b'?' || byte == text[at_text] => {
                at_pattern += 1;
                at_text += 1;
            }
            _ => match star {
                Some((star_at, run_end)) => {
                    star = Some((star_at, run_end + 1));
                    at_pattern = star_at + 1;
                    at_text = run_end + 1;
                }
                None => return false,
            },
        }
    }
    pattern[at_pattern..].iter().all(|&byte| byte == b'*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut ids: Vec<_> = Rule::ALL.iter().map(|rule| rule.id()).collect();
        for id in &ids {
            assert!(id.len() == 5 && id.starts_with("PB"), "{id}");
            assert!(id[2..].chars().all(|c| c.is_ascii_digit()), "{id}");
        }
        ids.dedup();
        assert_eq!(ids.len(), Rule::ALL.len());
    }

    #[test]
    fn ids_match_in_any_case_and_by_glob() {
        assert_eq!(Rule::matching("PB205"), vec![Rule::CiSystemInstall]);
        assert_eq!(Rule::matching("pb205"), vec![Rule::CiSystemInstall]);
        assert_eq!(Rule::matching("PB999"), vec![]);
        assert_eq!(Rule::matching("PB2"), vec![]);
        assert_eq!(Rule::matching("PB1O1"), vec![]);
        assert_eq!(Rule::matching("PB1*").len(), 4);
        assert_eq!(Rule::matching("pb2*").len(), 7);
        assert_eq!(Rule::matching("PB*"), Rule::ALL.to_vec());
        assert_eq!(
            Rule::matching("PB**0*1"),
            vec![Rule::BreakSystemPackagesFlag, Rule::SudoPip]
        );
        assert_eq!(Rule::matching("PB20?"), Rule::matching("PB2*"));
        assert_eq!(Rule::matching("PB9*"), vec![]);
        assert_eq!(Rule::matching(&"*".repeat(10_000)), Rule::ALL.to_vec());
    }
}
