#!/bin/sh
sudo apt-get install -y python3-smbus i2c-tools
sudo pip3 install adafruit-blinka
pip3 install RPi.GPIO
