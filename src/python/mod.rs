//! Pythons on this machine: finding them, asking them about themselves, and pip's PEP 668
//! verdict on each.
pub mod locale;
pub mod marker;
pub mod pip_config;
