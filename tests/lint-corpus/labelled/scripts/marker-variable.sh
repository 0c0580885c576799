#!/bin/bash
STDLIB=$(python3 -c 'import sysconfig; print(sysconfig.get_paths()["stdlib"])')
MARKER="$STDLIB/EXTERNALLY-MANAGED"
if [ -f "$MARKER" ]; then
  sudo rm -f "$MARKER"
fi
managed=/usr/lib/python3.11/EXTERNALLY-MANAGED
sudo mv "${managed}" "${managed}.bak"
ls -l "$MARKER"
cp "$MARKER" /tmp/marker.txt
