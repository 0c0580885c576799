//! The fixes, one test per fix: the text before and after, idempotence, and that the fixed
//! text re-lints clean for what was fixed.
