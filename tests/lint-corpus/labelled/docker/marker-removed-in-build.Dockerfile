FROM debian:trixie-slim
ARG STDLIB=/usr/lib/python3.13
RUN rm -f /usr/lib/python3*/EXTERNALLY-MANAGED
RUN find / -name EXTERNALLY-MANAGED -delete
RUN test -f /usr/lib/python3.13/EXTERNALLY-MANAGED && echo managed
