FROM ubuntu:22.04
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && \
    # build tools for the C extensions
    apt-get install -y --no-install-recommends build-essential python3-dev python3-pip && \
    # numerical stack
    pip3 install --no-cache-dir numpy scipy && \
    rm -rf /var/lib/apt/lists/*
RUN python3 -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
RUN pip install --no-cache-dir -r /app/requirements.txt
