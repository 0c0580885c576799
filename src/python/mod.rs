//! Pythons on this machine: finding them, asking them about themselves, and pip's PEP 668
//! verdict on each.

pub mod cache;
pub mod discover;
pub mod inherited;
pub(crate) mod ini;
pub mod inspect;
pub mod locale;
pub(crate) mod machine;
pub mod marker;
pub mod next_steps;
pub mod pip_config;
pub mod probe;
pub mod shim;
pub mod verdict;
