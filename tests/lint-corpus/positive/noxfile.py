import nox


@nox.session
def tests(session):
    session.install("--user", "-e", ".")
    session.run(
        "pip", "install", "--break-system-packages", "x"
    )
    session.env["PIP_BREAK_SYSTEM_PACKAGES"] = "1"
