FROM debian:12-slim
ENV PIP_BREAK_SYSTEM_PACKAGES=1
ENV PATH=/root/.local/bin:$PATH
RUN apt-get update && apt-get install -y python3-pip && pip3 install --upgrade pip && pip3 install -r requirements.txt
RUN pip install --user httpie
