#!/usr/bin/env bash
# Set up the sensor logger on a Raspberry Pi.
set -e

sudo apt-get update -y
sudo apt-get install -y python3-pip i2c-tools

cd "$(dirname "$0")/.."
sudo -H pip3 install --break-system-packages -r requirements.txt

sudo cp systemd/sensor-logger.service /etc/systemd/system/
sudo systemctl enable --now sensor-logger
