FROM fedora:40

RUN dnf -y install python3 python3-pip git && dnf clean all

RUN pip3 install --no-cache-dir semgrep==1.85.0 \
    && semgrep --version

WORKDIR /src
ENTRYPOINT ["semgrep"]
