py -m pip install --user pipx
py -m pipx ensurepath
python -m pip install --upgrade pip
