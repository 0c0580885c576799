//! Readers for what a repository declares, one file kind each; a malformed file is a
//! warning for the caller, never a failure.

pub(crate) mod poetry;
pub(crate) mod setup_cfg;
pub(crate) mod setup_py;
pub(crate) mod test_task;
