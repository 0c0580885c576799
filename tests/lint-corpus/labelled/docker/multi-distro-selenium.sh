#!/bin/sh
if [ -f /etc/alpine-release ]; then
    apk update && apk add py3-pip py3-numpy
    python3 -m pip config set global.break-system-packages true
    pip3 install selenium
fi
