#!/bin/bash
set -euo pipefail
apt-get update
apt-get install -y python3 python3-pip git
pip3 install ansible==9.1.0
pip3 install -r /vagrant/requirements.txt
