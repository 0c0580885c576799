FROM debian:bookworm-slim
COPY --from=ghcr.io/astral-sh/uv:latest /uv /usr/local/bin/uv
ENV UV_SYSTEM_PYTHON=1
RUN uv pip install --system flask
RUN uv venv /opt/venv && uv pip install --python /opt/venv/bin/python flask
