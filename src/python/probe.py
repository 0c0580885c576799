# Asked of each interpreter with `python -I -c <this>`: facts only, printed as one JSON line.
# Must run on every Python 3, and fast: no json, re or pip imports (each costs milliseconds).
import os
import sys
import sysconfig
from importlib.machinery import PathFinder


def has(module):
    try:
        return PathFinder.find_spec(module) is not None
    except Exception:
        return False


def find_pip():
    """pip's `__version__` (read from its source instead of importing pip) and the
    directory it is installed in."""
    try:
        spec = PathFinder.find_spec("pip")
        with open(spec.origin, encoding="utf-8") as source:
            for line in source:
                if line.startswith("__version__"):
                    version = line.split("=", 1)[1].strip().strip("\"'")
                    return version, os.path.dirname(os.path.dirname(spec.origin))
    except Exception:
        pass
    return None, None


pip_version, pip_location = find_pip()


def text(value):
    if value is None:
        return "null"
    out = []
    for char in str(value):
        code = ord(char)
        if char in "\"\\":
            out.append("\\" + char)
        elif code >= 0x10000:
            code -= 0x10000
            out.append("\\u%04x\\u%04x" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)))
        elif code < 0x20 or code > 0x7E:
            out.append("\\u%04x" % code)
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def flag(value):
    return "true" if value else "false"


facts = [
    ("pybootstrap_probe", "1"),
    ("version", text("%d.%d.%d" % sys.version_info[:3])),
    ("implementation", text(sys.implementation.name)),
    ("executable", text(sys.executable)),
    ("prefix", text(sys.prefix)),
    ("base_prefix", text(getattr(sys, "base_prefix", sys.prefix))),
    ("real_prefix", text(getattr(sys, "real_prefix", None))),
    ("stdlib", text(sysconfig.get_path("stdlib"))),
    ("venv", flag(has("venv"))),
    ("ensurepip", flag(has("ensurepip"))),
    ("pip", text(pip_version)),
    ("pip_location", text(pip_location)),
    ("platform", text(sys.platform)),
]
print("{" + ", ".join('"%s": %s' % pair for pair in facts) + "}")
