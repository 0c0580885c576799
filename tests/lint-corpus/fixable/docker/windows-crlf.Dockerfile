FROM ubuntu:24.04
RUN apt-get update && apt-get install -y python3-pip python3-dev gcc \
    && rm -rf /var/lib/apt/lists/*
COPY requirements.txt /tmp/requirements.txt
RUN pip3 install --break-system-packages -r /tmp/requirements.txt
COPY bot /opt/bot
CMD ["python3", "-m", "bot"]
