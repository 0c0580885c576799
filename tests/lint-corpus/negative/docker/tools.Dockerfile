FROM ubuntu:24.04
RUN apt-get update && apt-get install -y pipx python3-venv \
 && pipx install poetry
COPY --from=ghcr.io/astral-sh/uv:latest /uv /usr/local/bin/uv
RUN uv venv /opt/app && uv pip install --python /opt/app/bin/python -r requirements.txt
RUN python3 -m venv /opt/tools && /opt/tools/bin/python -m pip install ruff
RUN . /opt/tools/bin/activate && pip install black
RUN pip download --dest /wheels requests
RUN pip install --target /opt/vendor requests
# RUN pip install --user never-run
