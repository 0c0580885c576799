FROM python:3.12 AS build
RUN python -m venv /opt/venv && /opt/venv/bin/pip install -r requirements.txt

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y python3
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
RUN pip install gunicorn

FROM python:3.12-slim AS user-install
RUN pip install --user --no-cache-dir -r requirements.txt
FROM python:3.12-slim
COPY --from=user-install /root/.local /root/.local
