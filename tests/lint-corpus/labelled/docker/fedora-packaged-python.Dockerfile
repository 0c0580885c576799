FROM fedora:39
RUN dnf install -y python3-pip gcc && dnf clean all
RUN pip install ansible-core
RUN python3 -m venv /opt/tools && /opt/tools/bin/pip install yamllint
