#!/bin/bash
sudo apt install -y software-properties-common
sudo add-apt-repository -y ppa:deadsnakes/ppa
sudo apt install -y python3.13 python3.13-venv
curl -sS https://bootstrap.pypa.io/get-pip.py | sudo python3.13
python3.13 --version
pip3.13 --version
python3.13 -m pip install nltk flask
