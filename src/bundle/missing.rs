//! The distribution a failed pip or uv run could not find, read from its output: `bundle`
//! names it when the index has no wheel for a chosen Python and platform. The generated
//! bootstrap reads the same lines with `sed` when a kit lacks one (`explain_missing` in
//! `templates/scripts/bootstrap.sh`); the tests hold both to the same outputs.

/// The requirement pip or uv names as not found (`six==1.17.0`), from the first line that
/// says so.
pub(crate) fn missing_distribution(output: &str) -> Option<String> {
    // pip: "ERROR: No matching distribution found for six==1.17.0"
    // uv:  "  ╰─▶ Because six was not found in the provided package locations and ..."
    //      "  ╰─▶ Because there are no versions of six==1.17.0 and ..."
    const PATTERNS: [(&str, &str); 4] = [
        ("No matching distribution found for ", ""),
        ("Because there are no versions of ", " "),
        (
            "Because ",
            " was not found in the provided package locations",
        ),
        ("Because ", " was not found in the package registry"),
    ];
    for line in output.lines() {
        for (before, after) in PATTERNS {
            let Some(start) = line.find(before) else {
                continue;
            };
            let rest = &line[start + before.len()..];
            let name = if after.is_empty() {
                rest.trim()
            } else if let Some(end) = rest.find(after) {
                rest[..end].trim()
            } else {
                continue;
            };
            if !name.is_empty() && !name.contains(' ') {
                return Some(name.to_string());
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pips_and_uvs_words_for_a_missing_distribution() {
        let pip = "Looking in links: /kit/wheels\n\
                   ERROR: Could not find a version that satisfies the requirement six==1.17.0 (from versions: none)\n\
                   ERROR: No matching distribution found for six==1.17.0\n";
        assert_eq!(missing_distribution(pip).as_deref(), Some("six==1.17.0"));
        let uv = "  × No solution found when resolving dependencies:\n  \
                  ╰─▶ Because six was not found in the provided package locations and you require six==1.17.0, we can conclude that your requirements are unsatisfiable.\n";
        assert_eq!(missing_distribution(uv).as_deref(), Some("six"));
        let uv_versions = "  ╰─▶ Because there are no versions of iniconfig==2.3.1 and you require iniconfig==2.3.1, we can conclude that your requirements are unsatisfiable.\n";
        assert_eq!(
            missing_distribution(uv_versions).as_deref(),
            Some("iniconfig==2.3.1")
        );
        assert_eq!(
            missing_distribution("ERROR: Could not install packages due to an OSError"),
            None
        );
    }
}
