FROM ubuntu:24.04
ENV VIRTUAL_ENV=/srv/app-env
RUN apt-get update && apt-get install -y python3-venv && python3 -m venv $VIRTUAL_ENV
ENV PATH="$VIRTUAL_ENV/bin:$PATH"
RUN pip install -r requirements.txt
