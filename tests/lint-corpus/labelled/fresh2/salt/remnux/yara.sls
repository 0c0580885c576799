include:
  - remnux.python3-packages.pip

remnux-python3-packages-yara:
  pip.installed:
    - name: "yara-python"
    - bin_env: /usr/bin/python3
    - upgrade: True
    - require:
      - sls: remnux.python3-packages.pip

remnux-python3-packages-remove-nth:
  pip.removed:
    - name: name-that-hash
    - bin_env: /usr/bin/python3

remnux-nth-virtualenv:
  virtualenv.managed:
    - name: /opt/nth
    - venv_bin: /usr/bin/virtualenv
    - pip_pkgs:
      - name-that-hash==1.11.0
