FROM continuumio/miniconda3:24.1.2-0
RUN conda create -n app python=3.11 && conda run -n app pip install flask

FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim
RUN uv pip install --system -r requirements.txt
RUN pip install --user gunicorn
