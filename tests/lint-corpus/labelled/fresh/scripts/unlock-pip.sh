#!/bin/sh
# Lets pip install next to apt's packages on the test image.
set -e
find /usr/lib/python3* -maxdepth 1 -name EXTERNALLY-MANAGED | xargs rm -f
find /usr/lib -name 'EXTERNALLY-MANAGED' -exec rm -f {} +
find /usr/lib/python3* -name EXTERNALLY-MANAGED -print
pip3 install --target /usr/lib/python3/dist-packages yq
pip3 install --target ./vendor yq
