#!/bin/sh
set -e
. /etc/os-release
case "$ID" in
    alpine)
        apk add py3-pip py3-pillow
        pip3 install selenium==4.24.0
    ;;
    ubuntu|debian)
        apt install -y python3-pil python3-pip
        python3 -m pip install selenium==4.24.0
    ;;
esac
