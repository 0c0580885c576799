FROM alpine:3.20
RUN apk add --no-cache python3 py3-pip
RUN pip install --break-system-packages httpie
RUN pip3 install yq
RUN python3 -m venv /venv && /venv/bin/pip install httpie
