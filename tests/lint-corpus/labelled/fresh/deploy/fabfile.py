from fabric import task


@task
def provision(c):
    c.sudo("apt-get install -y python3-pip python3-venv")
    c.sudo("pip3 install gunicorn")
    c.run("pip3 install --break-system-packages supervisor")
    c.run("python3 -m venv /srv/app/venv")
    c.run("/srv/app/venv/bin/pip install -r /srv/app/requirements.txt")
