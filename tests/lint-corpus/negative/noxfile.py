import nox


@nox.session(python=["3.11", "3.12"])
def tests(session):
    # Never pass "--user" or "--break-system-packages" here.
    session.install("-e", ".[test]")
    session.run("pytest", *session.posargs)
