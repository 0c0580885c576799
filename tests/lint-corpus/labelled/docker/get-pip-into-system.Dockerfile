FROM ubuntu:18.04
RUN apt-get update && apt-get install -y python3 python3-distutils curl
RUN curl -sS https://bootstrap.pypa.io/get-pip.py | python3
RUN python3 -m pip install requests
