# Ubuntu 20.04 has no EXTERNALLY-MANAGED marker, but its pip still writes into /usr.
FROM ubuntu:20.04
ENV DEBIAN_FRONTEND=noninteractive
RUN apt-get update && apt-get install -y --no-install-recommends python3 python3-pip
RUN pip3 install --no-cache-dir -r requirements.txt
RUN python3 -m pip install gunicorn==21.2.0
RUN pip3 download -d /wheels numpy
RUN pip3 install --target /opt/vendor six
