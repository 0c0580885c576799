FROM node:20
RUN pip install something-unknown-base

FROM ghcr.io/acme/build-tools:3
RUN pip install --user tox
