//! The `pybootstrap` binary: everything lives in the library, so tests can reach it.

fn main() -> std::process::ExitCode {
    pybootstrap::run(std::env::args_os())
}
