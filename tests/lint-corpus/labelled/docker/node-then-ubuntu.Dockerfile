FROM node:20 AS frontend
WORKDIR /app
RUN npm ci && npm run build

FROM ubuntu:20.04
RUN apt-get update -y && apt-get install -y python3 python3-pip curl
COPY backend/requirements.txt /backend/requirements.txt
RUN pip3 install -r /backend/requirements.txt
COPY --from=frontend /app/dist /srv
