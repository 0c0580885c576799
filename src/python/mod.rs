//! Pythons on this machine: finding them, asking them about themselves, and pip's PEP 668
//! verdict on each.
pub mod probe;
pub mod discover;
pub mod shim;
pub mod cache;
pub mod verdict;
pub mod next_steps;
pub mod inspect;
