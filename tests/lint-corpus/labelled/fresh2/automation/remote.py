import paramiko


def bootstrap(host):
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(host, username="ubuntu")
    client.exec_command("sudo apt-get install -y python3-pip")
    client.exec_command("sudo pip3 install psutil")
    client.exec_command("pip3 install --break-system-packages requests")
    client.close()
