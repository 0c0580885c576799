//! The `pybootstrap` binary: everything lives in the library, so tests can reach it.

fn main() -> std::process::ExitCode {
    // `pybootstrap detect | head` must end quietly, as other Unix tools do, not panic.
    sigpipe::reset();
    pybootstrap::run(std::env::args_os())
}
