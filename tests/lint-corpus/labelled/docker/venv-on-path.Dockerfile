FROM ubuntu:22.04
RUN apt-get update && apt-get install -y python3-venv
ENV VIRTUAL_ENV=/opt/venv
RUN python3 -m venv $VIRTUAL_ENV
ENV PATH="$VIRTUAL_ENV/bin:$PATH"
RUN pip install -r requirements.txt
RUN pip install --no-cache-dir gunicorn
