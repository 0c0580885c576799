FROM --platform=linux/amd64 ubuntu:22.04 AS builder
RUN apt-get update && apt-get install -y build-essential python3-pip
RUN pip3 install conan

FROM builder AS test
RUN pip3 install pytest

FROM python:3.11-slim AS runtime
RUN pip install --no-cache-dir /wheels/*.whl
