FROM ubuntu:24.04
RUN apt-get update && apt-get install -y python3-pip sudo
RUN sudo -H pip3 install awscli
RUN pip install --user poetry
WORKDIR /app
RUN ["pip3", "install", "-r", "requirements.txt"]
RUN --mount=type=cache,target=/root/.cache/pip \
    set -eux; \
    python3 -m pip install \
        -r requirements.txt
RUN /bin/sh -c 'pip3 install requests'
