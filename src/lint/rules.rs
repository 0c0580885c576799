//! The rule catalogue: every rule defined once, in the `rules!` table below — its stable id,
//! the one-line message each finding prints, the fix (worded for a kind of file where that
//! differs) and what the readers ask of a rule. A new rule is an entry here plus the code
//! that finds it; tests hold docs/lint.md's rule tables to this one.

use std::fmt;

use super::kinds::Kind;
use super::reach::Action;

/// Everything about a rule except the code that finds it.
#[derive(Debug)]
pub(super) struct Definition {
    /// `PB` and three digits, stable and never reused: PB1xx switch PEP 668 off, PB2xx
    /// install into a system Python, PB3xx put a credential in a committed file.
    pub id: &'static str,
    /// What is wrong, in one line: the message of every finding.
    pub message: &'static str,
    /// What to write instead.
    pub fix: &'static str,
    /// The fix in the terms of a kind of file, where they differ from `fix`.
    pub fix_in: &'static [(Kind, &'static str)],
    /// Whether a whole command in a Markdown inline code span is read for the rule
    /// (docs/lint.md, "What is read").
    pub inline_code: bool,
    /// The action whose verdict (`reach.rs`) says whether a finding holds where its command
    /// runs; `None` for a rule that is a finding wherever it runs.
    pub reach: Option<Action>,
}

/// The `Rule` enum and its `Definition`s, from one table.
macro_rules! rules {
    ($($rule:ident => $definition:expr,)+) => {
        /// A lint rule; everything about it is its [`Definition`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub(crate) enum Rule {
            $($rule,)+
        }

        impl Rule {
            /// Every rule, in id order.
            pub(crate) const ALL: &'static [Rule] = &[$(Rule::$rule),+];

            /// Everything about the rule.
            pub(super) fn definition(self) -> &'static Definition {
                match self {
                    $(Rule::$rule => &$definition,)+
                }
            }
        }
    };
}

/// The fix for an install into a Dockerfile stage's distro Python, whatever the rule.
const DOCKERFILE_VENV: &str = "use a `python:*` base image, or `RUN python3 -m venv /opt/venv` then `ENV PATH=\"/opt/venv/bin:$PATH\"` before installing";

rules! {
    BreakSystemPackagesFlag => Definition {
        id: "PB101",
        message: "`--break-system-packages` overrides PEP 668 and can break the OS's own Python tools",
        fix: "install into a venv: `python3 -m venv .venv && .venv/bin/python -m pip install ...`; for CLI tools use `pipx install`",
        fix_in: &[],
        inline_code: true,
        reach: None,
    },
    BreakSystemPackagesEnv => Definition {
        id: "PB102",
        message: "`PIP_BREAK_SYSTEM_PACKAGES` (or uv's `UV_BREAK_SYSTEM_PACKAGES`) switches PEP 668 off for every install",
        fix: "remove the variable and install into a venv (`.venv/bin/python -m pip install ...`)",
        fix_in: &[],
        inline_code: true,
        reach: None,
    },
    BreakSystemPackagesConfig => Definition {
        id: "PB103",
        message: "`break-system-packages` in pip config switches PEP 668 off for every install",
        fix: "remove the setting; set `require-virtualenv = true` instead and install into a venv",
        fix_in: &[],
        inline_code: true,
        reach: None,
    },
    MarkerRemoved => Definition {
        id: "PB104",
        message: "removing the `EXTERNALLY-MANAGED` marker disables PEP 668, and the next OS package upgrade restores it",
        fix: "leave the marker in place; create a venv (`python3 -m venv .venv`) and install there",
        fix_in: &[],
        inline_code: true,
        reach: None,
    },
    SudoPip => Definition {
        id: "PB201",
        message: "`sudo pip` installs into the system Python as root; pip refuses it on managed Pythons",
        fix: "drop `sudo`: install into a venv you own (`.venv/bin/python -m pip install ...`), or use the OS package (`apt install python3-<name>`)",
        fix_in: &[
            (Kind::Dockerfile, "drop `sudo`: `RUN python3 -m venv /opt/venv` then `ENV PATH=\"/opt/venv/bin:$PATH\"` and install there, or use a `python:*` base image"),
        ],
        inline_code: true,
        reach: None,
    },
    UserInstall => Definition {
        id: "PB202",
        message: "`pip install --user` (or `PIP_USER`) is refused on externally managed Pythons and fails inside a venv",
        fix: "drop `--user`: install into a venv, or use `pipx install` for command-line tools",
        fix_in: &[
            (Kind::GithubWorkflow, "drop `--user`: add `actions/setup-python` before this step, or install into a venv"),
            (Kind::GitlabCi, "drop `--user`: use a `python:*` image, or install into a venv"),
            (Kind::Dockerfile, DOCKERFILE_VENV),
        ],
        inline_code: false,
        reach: Some(Action::UserInstall),
    },
    UvSystem => Definition {
        id: "PB203",
        message: "`uv pip --system` (or `UV_SYSTEM_PYTHON`) installs into the system Python, which refuses it when externally managed",
        fix: "create a venv and install into it: `uv venv && uv pip install ...` (or `--python .venv/bin/python`)",
        fix_in: &[
            (Kind::GithubWorkflow, "add `actions/setup-python` before this step (uv's `--system` then reaches its Python), or `uv venv && uv pip install ...`"),
            (Kind::GitlabCi, "use a `python:*` image (`image: python:3.12`) for `--system`, or `uv venv && uv pip install ...`"),
            (Kind::Dockerfile, DOCKERFILE_VENV),
        ],
        inline_code: false,
        reach: Some(Action::UvSystem),
    },
    DockerSystemInstall => Definition {
        id: "PB204",
        message: "`pip install` into the base image's distro Python (externally managed or not), with no venv on `PATH`",
        fix: DOCKERFILE_VENV,
        fix_in: &[],
        inline_code: false,
        reach: Some(Action::BareInstall),
    },
    CiSystemInstall => Definition {
        id: "PB205",
        message: "`pip install` into the CI runner's or image's distro Python, with no venv or setup-python",
        fix: "create a venv and install with `.venv/bin/python -m pip install ...`, or use a Python the OS does not own",
        fix_in: &[
            (Kind::GithubWorkflow, "add `actions/setup-python` before this step, or create a venv and install with `.venv/bin/python -m pip install ...`"),
            (Kind::GitlabCi, "use a `python:*` image (`image: python:3.12`), or create a venv in `before_script` (`python3 -m venv .venv && . .venv/bin/activate`)"),
        ],
        inline_code: false,
        reach: Some(Action::BareInstall),
    },
    HostSystemInstall => Definition {
        id: "PB206",
        message: "`pip install` into the system Python of a machine this script provisions (it uses `sudo` or installs the distro's Python), with no venv",
        fix: "create a venv first (`python3 -m venv /opt/app/venv`) and install with `/opt/app/venv/bin/python -m pip install ...`; for CLI tools use `pipx install`",
        fix_in: &[],
        inline_code: false,
        reach: Some(Action::BareInstall),
    },
    GetPipSystem => Definition {
        id: "PB207",
        message: "`get-pip.py` run by a system Python installs pip system-wide, over the distro's own",
        fix: "install pip from the OS (`apt-get install python3-pip python3-venv`) and create a venv; a venv already has pip",
        fix_in: &[
            (Kind::Dockerfile, DOCKERFILE_VENV),
        ],
        inline_code: true,
        reach: Some(Action::GetPip),
    },
    IndexCredential => Definition {
        id: "PB301",
        message: "a package index URL with a password or token in it: everyone who can read the repository can use it",
        fix: "keep the URL without the credential (`network.index` in pybootstrap.toml) and give the credential at run time: `PYBOOTSTRAP_INDEX_USERNAME`/`PYBOOTSTRAP_INDEX_PASSWORD`, a tool's own variable, `.netrc` or keyring; then revoke the leaked one",
        fix_in: &[
            (Kind::GithubWorkflow, "store the credential as a secret and pass it as `${{ secrets.NAME }}` in `env:` (e.g. `PYBOOTSTRAP_INDEX_PASSWORD`); then revoke the leaked one"),
            (Kind::GitlabCi, "store the credential as a masked CI/CD variable and reference it (`$INDEX_TOKEN`); then revoke the leaked one"),
            (Kind::Dockerfile, "pass the credential as a build secret (`RUN --mount=type=secret,id=netrc,target=/root/.netrc pip install ...`), never in the image; then revoke the leaked one"),
        ],
        inline_code: false,
        reach: None,
    },
}

impl Rule {
    /// The stable id, `PB` and three digits.
    pub(crate) fn id(self) -> &'static str {
        self.definition().id
    }

    /// What is wrong, in one line.
    pub(crate) fn message(self) -> &'static str {
        self.definition().message
    }

    /// What to write instead, in the terms of the file the finding is in.
    pub(crate) fn fix_for(self, kind: Kind) -> &'static str {
        let definition = self.definition();
        definition
            .fix_in
            .iter()
            .find(|(worded_for, _)| *worded_for == kind)
            .map_or(definition.fix, |(_, fix)| fix)
    }

    /// The rules whose ids `pattern` names: an id in any case (`pb101`), or a glob over ids
    /// where `*` stands for any run of characters and `?` for one (`PB2*`, `PB10?`).
    pub(crate) fn matching(pattern: &str) -> Vec<Rule> {
        let pattern = pattern.to_ascii_uppercase();
        Rule::ALL
            .iter()
            .copied()
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
    fn ids_are_well_formed_and_in_order() {
        for rule in Rule::ALL {
            let id = rule.id();
            assert!(id.len() == 5 && id.starts_with("PB"), "{id}");
            assert!(id[2..].chars().all(|c| c.is_ascii_digit()), "{id}");
        }
        for pair in Rule::ALL.windows(2) {
            assert!(
                pair[0].id() < pair[1].id(),
                "{pair:?}: one id each, in id order"
            );
        }
    }

    #[test]
    fn fixes_are_worded_once_per_kind() {
        for rule in Rule::ALL {
            let fix_in = rule.definition().fix_in;
            for (index, (kind, fix)) in fix_in.iter().enumerate() {
                assert!(
                    fix_in[..index].iter().all(|(other, _)| other != kind),
                    "{rule}: {kind:?} twice"
                );
                assert_eq!(rule.fix_for(*kind), *fix);
            }
            assert_eq!(rule.fix_for(Kind::Shell), rule.definition().fix);
        }
    }

    fn docs() -> String {
        fs_err::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/lint.md"))
            .expect("docs/lint.md")
    }

    /// A Markdown table cell holding `text`.
    fn cell(text: &str) -> String {
        text.replace('|', "\\|")
    }

    /// The rows of the first table after `heading` in docs/lint.md that start with `| PB`.
    fn rows<'a>(docs: &'a str, heading: &str) -> Vec<&'a str> {
        let (_, section) = docs
            .split_once(&format!("\n{heading}\n"))
            .unwrap_or_else(|| panic!("docs/lint.md has a `{heading}` section"));
        section
            .lines()
            .skip_while(|line| !line.starts_with('|'))
            .take_while(|line| line.starts_with('|'))
            .filter(|line| line.starts_with("| PB"))
            .collect()
    }

    #[test]
    fn docs_list_every_rule_as_defined() {
        // What each rule finds is documentation, written there; id and message are the
        // definition's.
        let docs = docs();
        let rows = rows(&docs, "## Rules");
        for rule in Rule::ALL {
            let row = rows
                .iter()
                .find(|row| row.starts_with(&format!("| {} | ", rule.id())))
                .unwrap_or_else(|| {
                    panic!(
                        "docs/lint.md's `## Rules` table has no row for {rule}; add, in id order:\n\
                         | {rule} | <what it finds> | {} |",
                        cell(rule.message())
                    )
                });
            assert!(
                row.ends_with(&format!(" | {} |", cell(rule.message()))),
                "docs/lint.md's `## Rules` row for {rule} must end with its message:\n{row}\n{}",
                rule.message()
            );
        }
        let listed: Vec<&str> = rows
            .iter()
            .filter_map(|row| row.split(' ').nth(1))
            .collect();
        let ids: Vec<&str> = Rule::ALL.iter().map(|rule| rule.id()).collect();
        assert_eq!(
            listed, ids,
            "docs/lint.md's `## Rules` table: every rule once, in id order"
        );
    }

    #[test]
    fn docs_show_where_a_fix_is_worded_for_the_file() {
        // The columns of docs/lint.md's "Fixes fit the file" table, after the id.
        let columns = [Kind::GithubWorkflow, Kind::GitlabCi, Kind::Dockerfile];
        let docs = docs();
        let rows = rows(&docs, "### Fixes fit the file");
        for rule in Rule::ALL {
            let fix_in = rule.definition().fix_in;
            let row = rows
                .iter()
                .find(|row| row.starts_with(&format!("| {} |", rule.id())));
            let Some(row) = row else {
                assert!(
                    fix_in.is_empty(),
                    "{rule} has fixes for {fix_in:?}: add its row"
                );
                continue;
            };
            let cells: Vec<&str> = row.split(" | ").collect();
            for (kind, _) in fix_in {
                assert!(columns.contains(kind), "{rule}: no column for {kind:?}");
            }
            for (index, kind) in columns.iter().enumerate() {
                let in_docs = cells[index + 1] != "–";
                let defined = fix_in.iter().any(|(worded_for, _)| worded_for == kind);
                assert_eq!(in_docs, defined, "{rule}, {kind:?}: {row}");
            }
        }
    }

    #[test]
    fn ids_match_in_any_case_and_by_glob() {
        assert_eq!(Rule::matching("PB205"), vec![Rule::CiSystemInstall]);
        assert_eq!(Rule::matching("pb205"), vec![Rule::CiSystemInstall]);
        assert_eq!(Rule::matching("PB999"), vec![]);
        assert_eq!(Rule::matching("PB2"), vec![]);
        assert_eq!(Rule::matching("PB1O1"), vec![]);
        let with_prefix = |prefix: &str| -> Vec<Rule> {
            Rule::ALL
                .iter()
                .copied()
                .filter(|rule| rule.id().starts_with(prefix))
                .collect()
        };
        assert_eq!(Rule::matching("PB1*"), with_prefix("PB1"));
        assert_eq!(Rule::matching("pb2*"), with_prefix("PB2"));
        assert_eq!(Rule::matching("PB*"), Rule::ALL.to_vec());
        assert_eq!(
            Rule::matching("PB**0*1"),
            vec![
                Rule::BreakSystemPackagesFlag,
                Rule::SudoPip,
                Rule::IndexCredential
            ]
        );
        assert_eq!(Rule::matching("PB20?"), with_prefix("PB20"));
        assert_eq!(Rule::matching("PB9*"), vec![]);
        assert_eq!(Rule::matching(&"*".repeat(10_000)), Rule::ALL.to_vec());
    }
}
