FROM python:3.12-slim
COPY --from=ghcr.io/astral-sh/uv:0.4 /uv /bin/uv
ENV UV_SYSTEM_PYTHON=1
RUN uv pip install --system -r requirements.txt
RUN pip install --user poetry
RUN pip install --no-cache-dir gunicorn
RUN python -m pip install -e .
