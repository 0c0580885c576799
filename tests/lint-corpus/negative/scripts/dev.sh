#!/bin/sh
# Never `sudo pip install` or `pip install --user` here: PEP 668.
set -eu
python3 -m venv .venv
. .venv/bin/activate
pip install -r requirements.txt
echo "do not use --break-system-packages" >&2
PIP_BREAK_SYSTEM_PACKAGES=0 pip --version
grep -rn -- '--break-system-packages' docs/ || true
pip download -d wheels requests
printf '%s\n' "pip install --user is refused"
cat <<'EOF2'
Run `sudo pip install x`? No: use a venv.
EOF2
if [ -f /usr/lib/python3.11/EXTERNALLY-MANAGED ]; then echo managed; fi
