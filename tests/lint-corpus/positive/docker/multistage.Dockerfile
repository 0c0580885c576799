ARG DEBIAN_RELEASE=bookworm
FROM python:3.12 AS build
RUN pip wheel --wheel-dir /wheels -r requirements.txt

FROM debian:${DEBIAN_RELEASE}-slim AS runtime
COPY --from=build /wheels /wheels
RUN apt-get update && apt-get install -y python3-pip \
 && pip install --no-index --find-links=/wheels app
