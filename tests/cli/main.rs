//! The one integration test binary: every test runs the real `pybootstrap` executable
//! (the marker tests also compare the library with pip itself).

#![expect(
    clippy::disallowed_methods,
    reason = "tests may panic on I/O errors; only the product must name paths"
)]

mod app_tests;
mod detect;
mod distros;
mod existing;
mod fallback;
mod generated;
mod init;
mod installs;
mod lifecycle;
mod lint;
mod lint_fix;
mod marker;
mod monorepo;
mod network;
mod offline;
mod pack_git;
mod packs;
mod pipelines;
mod prompts;
mod readme;
mod regen;
mod release;
mod services;
mod shapes;
mod ship;
mod support;
mod tasks;

/// Under CI the slow tier runs: without it, CI would pass having ignored every test that
/// builds a venv or runs a pipeline.
#[test]
fn ci_runs_the_slow_tier() {
    assert!(
        std::env::var_os("CI").is_none() || cfg!(feature = "slow-tests"),
        "CI runs the whole suite: cargo test --features slow-tests"
    );
}
