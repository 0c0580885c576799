#!/bin/bash
set -e
APP_DIR=/srv/app
cd "$APP_DIR"
git pull --ff-only
if [ -f requirements.txt ]; then
    sudo pip3 install -r requirements.txt
fi
sudo systemctl restart app
