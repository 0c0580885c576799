resource "aws_instance" "worker" {
  ami           = data.aws_ami.ubuntu.id
  instance_type = "t3.small"

  user_data = <<-EOF
    #cloud-config
    package_update: true
    packages:
      - python3-pip
    runcmd:
      - pip3 install --break-system-packages awscli-local
      - pip3 install "celery[redis]"
      - [ python3, -m, venv, /opt/worker ]
      - /opt/worker/bin/pip install -r /srv/app/requirements.txt
  EOF
}

resource "aws_instance" "bastion" {
  ami           = data.aws_ami.debian.id
  instance_type = "t3.micro"
  user_data     = <<EOF
#!/bin/bash
apt-get update
apt-get install -y python3-pip
pip3 install ansible-core
EOF

  provisioner "remote-exec" {
    inline = [
      "sudo pip3 install docker-compose",
      "echo 'pip3 install --user is not used here'",
    ]
  }
}
