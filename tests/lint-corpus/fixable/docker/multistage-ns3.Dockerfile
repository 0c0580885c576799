FROM ubuntu:24.04 AS build

RUN apt-get update && apt-get install -y --no-install-recommends \
    g++ cmake ninja-build python3 python3-pip \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /opt
COPY sim /opt/sim
RUN cmake -S /opt/sim -B /opt/build -G Ninja && cmake --build /opt/build

COPY requirements.txt /opt/requirements.txt
RUN pip3 install --break-system-packages -r /opt/requirements.txt

WORKDIR /opt/sim/web
ENV PORT=10000
EXPOSE 10000
CMD ["sh", "-c", "python3 app.py --host 0.0.0.0 --port ${PORT}"]
