FROM quay.io/centos/centos:stream9
RUN yum install -y python3 \
 && pip3 install awscli
