#!/usr/bin/env bash
# Workstation bootstrap: snaps, Python tools, Node.
sudo snap refresh
sudo snap install go --classic
curl -s https://bootstrap.pypa.io/get-pip.py | sudo python3
cat "$HOME/dotfiles/pip.list" | xargs sudo pip3 install -U
sudo ln -s /usr/bin/python3 /usr/bin/python
python3 -m pip install --user pearlcli
~/.local/bin/pearl init
