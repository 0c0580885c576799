//! The real dialoguer prompts of `init`, driven through a pseudo-terminal.

use rexpect::process::WaitStatus;
use rexpect::session::spawn_command;

use crate::support::Test;

const TIMEOUT_MS: Option<u64> = Some(20_000);

/// The questions `init` asks, in order (a fragment of each prompt).
const QUESTIONS: [&str; 8] = [
    "Project name",
    "Python versions",
    "Environment backend",
    "Dependencies",
    "CI providers",
    "runner OS",
    "PEP 668",
    "Makefile",
];

/// dialoguer's `✔`, as rexpect reads it: one char per byte of its UTF-8.
const ACCEPTED: &str = "\u{e2}\u{9c}\u{94}";

/// Answers each of `questions` with its default.
fn take_defaults(session: &mut rexpect::session::PtySession, questions: &[&str]) {
    for question in questions {
        session.exp_string(question).expect(question);
        session.send_line("").expect("default");
    }
}

fn interactive_init(test: &Test) -> rexpect::session::PtySession {
    let mut command = test.command(&["init"]);
    command.env("TERM", "xterm");
    spawn_command(command, TIMEOUT_MS).expect("spawn init in a pty")
}

#[test]
fn questions_show_defaults_and_help_then_confirm_the_files() {
    let test = Test::new();
    let mut session = interactive_init(&test);
    session.exp_string("Project name").expect("first question");
    session.send_line("demo-app").expect("answer name");
    session
        .exp_string("Python versions")
        .expect("versions question");
    session.send_line("3.x").expect("bad version");
    session
        .exp_string("not a PEP 440 version specifier")
        .expect("validation error shown on the spot");
    session.send_line(">=3.12").expect("a good range");
    take_defaults(&mut session, &QUESTIONS[2..]);
    session
        .exp_string("scripts/bootstrap.sh")
        .expect("file list");
    session
        .exp_string("Write these files?")
        .expect("confirmation");
    session.send_line("y").expect("confirm");
    session.exp_string("next:").expect("the next command");
    session.exp_eof().expect("exit");
    let answers = test.read("pybootstrap.toml");
    assert!(answers.contains("name = \"demo-app\""), "{answers}");
    assert!(answers.contains("requires = \">=3.12\""), "{answers}");
    assert!(
        answers.contains("versions = [\"3.12\", \"3.13\", \"3.14\", \"3.15\"]"),
        "the matrix follows the range: {answers}"
    );
    assert!(test.path().join("scripts/bootstrap.sh").is_file());
}

#[test]
fn ctrl_c_at_a_question_writes_nothing() {
    let test = Test::new();
    let mut session = interactive_init(&test);
    session.exp_string("Project name").expect("first question");
    session.send_control('c').expect("ctrl-c");
    session.exp_eof().expect("exit");
    // 128 + SIGINT, as a shell reports a command stopped by Ctrl-C.
    let status = session.process().wait().expect("exit status");
    assert!(matches!(status, WaitStatus::Exited(_, 130)), "{status:?}");
    assert!(!test.path().join("pybootstrap.toml").exists());
    assert!(!test.path().join("scripts").exists());
}

#[test]
fn a_refused_answer_shows_its_error_and_no_accepted_mark() {
    let test = Test::new();
    let mut command = test.command(&["--color", "always", "init"]);
    command.env("TERM", "xterm");
    let mut session = spawn_command(command, TIMEOUT_MS).expect("spawn init in a pty");
    session.exp_string("Project name").expect("first question");
    session.send_line("").expect("default");
    session
        .exp_string("Python versions")
        .expect("versions question");
    session.send_line("3.x").expect("bad version");
    let shown = session
        .exp_string("not a PEP 440 version specifier")
        .expect("the error");
    assert!(
        !shown.contains(ACCEPTED),
        "a refused reply was marked accepted: {shown:?}"
    );
    session.send_line(">=3.12").expect("a good range");
    let shown = session
        .exp_string("Environment backend")
        .expect("next question");
    assert!(
        shown.contains(ACCEPTED),
        "the accepted reply has its mark: {shown:?}"
    );
    session.send_control('c').expect("ctrl-c");
    session.exp_eof().expect("exit");
    let status = session.process().wait().expect("exit status");
    assert!(matches!(status, WaitStatus::Exited(_, 130)), "{status:?}");
}

#[test]
fn declining_the_confirmation_writes_nothing() {
    let test = Test::new();
    let mut session = interactive_init(&test);
    take_defaults(&mut session, &QUESTIONS);
    session
        .exp_string("Write these files?")
        .expect("confirmation");
    session.send_line("n").expect("decline");
    session.exp_eof().expect("exit");
    assert!(!test.path().join("pybootstrap.toml").exists());
}

#[test]
fn several_projects_below_the_root_ask_which_one() {
    let test = Test::new();
    test.write(".git/HEAD", "ref: refs/heads/main\n");
    test.write(
        "backend/pyproject.toml",
        "[project]\nname = \"api\"\nversion = \"1\"\n",
    );
    test.write("services/worker/requirements.txt", "pytest\n");
    let mut session = interactive_init(&test);
    session
        .exp_string("Which Python project should pybootstrap set up?")
        .expect("the question");
    // dialoguer's select: the arrow down moves to the second project.
    session.send("\x1b[B").expect("arrow down");
    session.send_line("").expect("choose");
    // The worker's requirement file brings one more question, after the source.
    take_defaults(&mut session, &QUESTIONS[..4]);
    take_defaults(&mut session, &["Requirement files"]);
    take_defaults(&mut session, &QUESTIONS[4..]);
    session
        .exp_string("Write these files?")
        .expect("confirmation");
    session.send_line("y").expect("confirm");
    session
        .exp_string("next: cd services/worker")
        .expect("the next command");
    session.exp_eof().expect("exit");
    assert!(
        test.path()
            .join("services/worker/pybootstrap.toml")
            .is_file()
    );
    assert!(!test.path().join("backend/pybootstrap.toml").exists());
    assert!(
        test.path()
            .join(".github/workflows/pybootstrap-services-worker.yml")
            .is_file()
    );
}
