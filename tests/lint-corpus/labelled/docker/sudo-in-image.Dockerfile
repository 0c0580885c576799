FROM ubuntu:24.04
RUN apt-get update && apt-get install -y sudo python3-venv
USER ubuntu
RUN sudo pip install --break-system-packages supervisor
RUN sudo python3 -m pip install httpie
RUN python3 -m venv /home/ubuntu/venv && /home/ubuntu/venv/bin/pip install httpie
