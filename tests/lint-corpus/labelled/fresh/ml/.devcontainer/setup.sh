#!/bin/bash
set -e
sudo apt-get update
sudo apt-get install -y python3-pip graphviz
pip3 install --user -r requirements-notebooks.txt
