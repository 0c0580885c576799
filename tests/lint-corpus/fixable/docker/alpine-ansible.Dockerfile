FROM alpine:3.20

RUN apk add --no-cache python3 py3-pip openssh-client

RUN pip3 install --no-cache-dir --break-system-packages \
    ansible-core==2.17.4 \
    jmespath==1.0.1

WORKDIR /ansible
ENTRYPOINT ["ansible-playbook"]
