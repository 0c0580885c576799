//! Which fixes exist, by rule and kind of file, and whether each is safe: the table
//! docs/lint.md's "Fixing" section shows, held to what the fixers produce by the tests.

use super::Applicability::{self, Safe, Unsafe};
use crate::lint::kinds::Kind;
use crate::lint::rules::Rule;

/// One kind of fix.
#[derive(Debug)]
pub(crate) struct FixInfo {
    pub rule: Rule,
    pub kind: Kind,
    pub applicability: Applicability,
    /// The file kind as docs/lint.md names it.
    pub file: &'static str,
}

macro_rules! fixes {
    ($(($rule:ident, $kind:ident, $file:literal, $applicability:ident),)+) => {
        /// Every fix, by rule, kind of file and applicability.
        pub(crate) const FIXES: &[FixInfo] = &[
            $(FixInfo {
                rule: Rule::$rule,
                kind: Kind::$kind,
                applicability: $applicability,
                file: $file,
            },)+
        ];
    };
}

fixes! {
    (BreakSystemPackagesFlag, Dockerfile, "Dockerfile", Safe),
    (BreakSystemPackagesFlag, Dockerfile, "Dockerfile", Unsafe),
    (BreakSystemPackagesFlag, GithubWorkflow, "GitHub Actions", Safe),
    (BreakSystemPackagesFlag, GithubWorkflow, "GitHub Actions", Unsafe),
    (BreakSystemPackagesFlag, GitlabCi, "GitLab CI", Safe),
    (BreakSystemPackagesFlag, GitlabCi, "GitLab CI", Unsafe),
    (BreakSystemPackagesFlag, Shell, "shell script", Safe),
    (BreakSystemPackagesFlag, Shell, "shell script", Unsafe),
    (BreakSystemPackagesEnv, Dockerfile, "Dockerfile", Safe),
    (BreakSystemPackagesEnv, Dockerfile, "Dockerfile", Unsafe),
    (BreakSystemPackagesEnv, GithubWorkflow, "GitHub Actions", Safe),
    (BreakSystemPackagesEnv, GitlabCi, "GitLab CI", Safe),
    (BreakSystemPackagesConfig, PipConfig, "pip config", Unsafe),
    (SudoPip, GithubWorkflow, "GitHub Actions", Safe),
    (SudoPip, GithubWorkflow, "GitHub Actions", Unsafe),
    (SudoPip, Shell, "shell script", Unsafe),
    (UserInstall, GithubWorkflow, "GitHub Actions", Safe),
    (UserInstall, GithubWorkflow, "GitHub Actions", Unsafe),
    (DockerSystemInstall, Dockerfile, "Dockerfile", Safe),
    (DockerSystemInstall, Dockerfile, "Dockerfile", Unsafe),
    (CiSystemInstall, GithubWorkflow, "GitHub Actions", Safe),
    (CiSystemInstall, GithubWorkflow, "GitHub Actions", Unsafe),
    (CiSystemInstall, GitlabCi, "GitLab CI", Unsafe),
    (HostSystemInstall, Shell, "shell script", Unsafe),
}
