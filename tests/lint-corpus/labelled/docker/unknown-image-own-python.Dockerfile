FROM gitpod/workspace-full
RUN pip install --user pre-commit
RUN pip install -r requirements.txt

FROM continuumio/miniconda3
RUN conda install -y numpy
RUN pip install mlflow

FROM node:20-bookworm
RUN pip install awscli

FROM mambaorg/micromamba:1.5
RUN pip install --user jupyterlab
