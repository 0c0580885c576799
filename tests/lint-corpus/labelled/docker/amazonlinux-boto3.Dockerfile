FROM amazonlinux:2023
RUN yum -y install python3-pip shadow-utils
RUN pip3 install boto3
RUN pip3 --version
