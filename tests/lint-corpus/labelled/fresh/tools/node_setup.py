import subprocess
import sys

subprocess.run("sudo pip3 install -r requirements.txt", shell=True, check=True)
subprocess.run([sys.executable, "-m", "pip", "install", "-r", "requirements.txt"], check=True)
print("run sudo pip install if this fails")
