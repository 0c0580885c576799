//! PowerShell's execution policy on Windows, for `doctor`: whether `bootstrap.ps1` run
//! directly is refused, and what runs it anyway.

use std::process::{Command, Stdio};

/// The effective policy `Get-ExecutionPolicy` prints on this machine; `None` off Windows,
/// or when PowerShell does not answer.
pub(crate) fn query() -> Option<String> {
    if !cfg!(windows) {
        return None;
    }
    let output = Command::new("powershell")
        .args([
            "-NoProfile",
            "-NonInteractive",
            "-Command",
            "Get-ExecutionPolicy",
        ])
        .stdin(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
        .filter(|policy| !policy.is_empty())
}

/// What `policy` means for a contributor who runs `bootstrap.ps1` by hand; `None` when
/// PowerShell runs a cloned script as it is.
pub(crate) fn note(policy: &str, scripts_dir: &str) -> Option<String> {
    // `Undefined` in every scope is `Restricted` on Windows clients.
    let refused = ["Restricted", "AllSigned", "Undefined"]
        .iter()
        .any(|refusing| policy.eq_ignore_ascii_case(refusing));
    let scripts_dir = scripts_dir.replace('/', "\\");
    refused.then(|| {
        format!(
            "PowerShell's execution policy is `{policy}`: `{scripts_dir}\\bootstrap.ps1` run directly is refused; run `{scripts_dir}\\bootstrap.cmd`, which bypasses the policy for that run only and changes no setting"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_that_refuses_scripts_points_to_bootstrap_cmd() {
        for policy in ["Restricted", "AllSigned", "Undefined", "restricted"] {
            let said = note(policy, "scripts").expect(policy);
            assert!(
                said.contains(&format!("is `{policy}`"))
                    && said.contains("`scripts\\bootstrap.cmd`"),
                "{said}"
            );
        }
        for policy in ["RemoteSigned", "Unrestricted", "Bypass"] {
            assert_eq!(note(policy, "scripts"), None, "{policy}");
        }
        let nested = note("Restricted", "tools/dev").expect("refused");
        assert!(nested.contains("`tools\\dev\\bootstrap.cmd`"), "{nested}");
    }

    #[test]
    fn no_policy_is_asked_off_windows() {
        if !cfg!(windows) {
            assert_eq!(query(), None);
        }
    }
}
