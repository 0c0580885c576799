#!/bin/bash
for v in 3.11 3.12 3.13; do
   brew install python@$v
done
python3 -m pip config set global.break-system-packages true
python3 -m pip install -U twine delocate
