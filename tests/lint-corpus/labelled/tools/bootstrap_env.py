import os
import subprocess
import sys


def install(package):
    subprocess.check_call([sys.executable, "-m", "pip", "install", "--break-system-packages", package])


def install_all():
    os.system("sudo pip3 install -r requirements.txt")
    os.environ["PIP_BREAK_SYSTEM_PACKAGES"] = "1"


def hint():
    print("pip may suggest --break-system-packages; use a venv instead")
    subprocess.run([sys.executable, "-m", "venv", ".venv"], check=True)
    subprocess.run([".venv/bin/python", "-m", "pip", "install", "-r", "requirements.txt"], check=True)
