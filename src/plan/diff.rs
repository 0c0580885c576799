//! Unified diffs of a plan, for `--dry-run` and `--check`.

use similar::TextDiff;

use crate::plan::FilePlan;
use crate::plan::lock::normalize;

/// The unified diff of one file's change, `a/` and `b/` prefixed like git's; empty when the
/// file does not change.
pub(crate) fn unified(plan: &FilePlan) -> String {
    let before = normalize(plan.before.as_deref().unwrap_or(""));
    let after = normalize(plan.after.as_deref().unwrap_or(""));
    if before == after {
        return String::new();
    }
    let old_name = if plan.before.is_some() {
        format!("a/{}", plan.path)
    } else {
        "/dev/null".into()
    };
    let new_name = if plan.after.is_some() {
        format!("b/{}", plan.path)
    } else {
        "/dev/null".into()
    };
    TextDiff::from_lines(before.as_ref(), after.as_ref())
        .unified_diff()
        .context_radius(3)
        .header(&old_name, &new_name)
        .to_string()
}
