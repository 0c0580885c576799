#!/bin/sh
docker run --rm debian:12 sh -c "apt-get update && apt-get install -y python3-pip && pip install --break-system-packages ansible"
bash -c 'pip3 install --break-system-package yamllint'
pip install --break-sys pyyaml
pip install --no-build-isolation -e .
echo "pip install --break-system-packages is what pip suggests; we do not"
grep -rn -- "--break-system-packages" .
sh -c ". .venv/bin/activate && pip install -r requirements.txt"
