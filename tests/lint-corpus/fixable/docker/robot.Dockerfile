FROM debian:12
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip \
  && pip3 install --break-system-packages robotframework==7.0.1 robotframework-requests==0.9.7 \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /tests
ENTRYPOINT ["robot"]
