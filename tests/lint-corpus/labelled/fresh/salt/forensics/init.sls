{% set py = salt['pillar.get']('forensics:python', '/usr/bin/python3') %}
include:
  - forensics.packages.python3-pip

volatility3:
  pip.installed:
    - bin_env: /usr/bin/python3
    - upgrade: True
    - require:
      - sls: forensics.packages.python3-pip

yara-python:
  pip.installed:
    - name: yara-python==4.5.1
    - bin_env: /usr/bin/pip3

oletools-venv:
  virtualenv.managed:
    - name: /opt/oletools
    - venv_bin: /usr/bin/virtualenv
    - pip_pkgs:
      - pip>=23.1

oletools:
  pip.installed:
    - bin_env: /opt/oletools
    - require:
      - virtualenv: oletools-venv

unlock-system-pip:
  cmd.run:
    - name: rm -f /usr/lib/python3*/EXTERNALLY-MANAGED

capstone:
  cmd.run:
    - name: pip3 install --break-system-packages capstone
    - unless: python3 -c 'import capstone'
