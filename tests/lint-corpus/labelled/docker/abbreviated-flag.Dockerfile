FROM python:3.12
RUN pip install --break-system-package ruff
RUN pip install --break mypy
RUN pip install --no-binary :all: ruff
RUN pip install --no-build-isolation -e .
