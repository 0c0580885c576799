FROM ubuntu:22.04
RUN apt-get update && apt-get install -y python3-pip && pip3 install ansible

FROM debian:bullseye-slim
RUN apt-get update && apt-get install -y python3-pip && pip3 install ansible

FROM alpine:3.18
RUN apk add py3-pip && pip install httpie

FROM node:20
RUN pip install something-unknown-base
