FLAG = "--break-system-packages"
MARKER = "EXTERNALLY-MANAGED"


def overrides(argv):
    return FLAG in argv or "PIP_BREAK_SYSTEM_PACKAGES" in os.environ
