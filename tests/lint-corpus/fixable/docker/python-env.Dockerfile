FROM python:3.11-bookworm AS base
ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_BREAK_SYSTEM_PACKAGES=1 \
    PIP_NO_CACHE_DIR=1
WORKDIR /srv
COPY pyproject.toml .
RUN pip install .
CMD ["python", "-m", "srv"]
