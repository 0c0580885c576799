#!/bin/sh
set -ex
sudo add-apt-repository -y ppa:deadsnakes/ppa
sudo apt-get install -y python3.12 python3.12-dev
curl -sS https://bootstrap.pypa.io/get-pip.py | sudo python3.12
wget -qO- https://bootstrap.pypa.io/get-pip.py | python3
curl -o get-pip.py https://bootstrap.pypa.io/get-pip.py
sudo python3 get-pip.py
python3.12 -m venv .venv
.venv/bin/python get-pip.py
