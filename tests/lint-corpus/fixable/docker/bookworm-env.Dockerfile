FROM debian:bookworm-slim

ENV PIP_BREAK_SYSTEM_PACKAGES=1

RUN apt-get update \
 && apt-get install -y --no-install-recommends python3-pip ca-certificates \
 && pip3 install --no-cache-dir requests==2.32.3 pyyaml==6.0.2 \
 && rm -rf /var/lib/apt/lists/*

COPY sync.py /usr/local/bin/sync.py
ENTRYPOINT ["python3", "/usr/local/bin/sync.py"]
