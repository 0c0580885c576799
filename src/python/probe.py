# Asked of each interpreter with `python -I -c <this>`: facts only, printed as one JSON line.
# Must run on every Python 3; Python 2 never gets here (it rejects -I).
import json
import sys
import sysconfig

try:
    from importlib.util import find_spec
except ImportError:
    find_spec = None


def has(module):
    try:
        return find_spec(module) is not None
    except Exception:
        return False


def pip_version():
    if not has("pip"):
        return None
    try:
        import pip

        return pip.__version__
    except Exception:
        return None


print(json.dumps({
    "pybootstrap_probe": 1,
    "version": "%d.%d.%d" % sys.version_info[:3],
    "implementation": sys.implementation.name,
    "executable": sys.executable,
    "prefix": sys.prefix,
    "base_prefix": getattr(sys, "base_prefix", sys.prefix),
    "real_prefix": getattr(sys, "real_prefix", None),
    "stdlib": sysconfig.get_path("stdlib"),
    "venv": has("venv"),
    "ensurepip": has("ensurepip"),
    "pip": pip_version(),
    "platform": sys.platform,
}))
