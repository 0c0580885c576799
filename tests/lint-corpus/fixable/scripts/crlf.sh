#!/bin/bash
set -e
sudo apt install -y python3-pip
sudo pip install -r requirements.txt
