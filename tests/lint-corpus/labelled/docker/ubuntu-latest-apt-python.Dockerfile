FROM ubuntu:latest
WORKDIR /src
RUN apt-get update
RUN apt-get install -y python3 python3-pip clang
COPY test-requirements.txt .
RUN pip3 install -r test-requirements.txt
