import os
import pathlib
import subprocess

STDLIB = pathlib.Path("/usr/lib/python3.11")


def system_install():
    subprocess.check_call(["sudo", "pip3", "install", "-r", "requirements.txt"])


def unmanage():
    os.remove("/usr/lib/python3.11/EXTERNALLY-MANAGED")
    print("removed EXTERNALLY-MANAGED")
    subprocess.run(["pseudo-tool", "--version"])
