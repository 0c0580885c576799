FROM debian:12
RUN apt-get update && apt-get install -y python3-venv
RUN cat > /etc/pip.conf <<EOF
[global]
break-system-packages = true
EOF
RUN mkdir -p /root/.config/pip && printf '[global]\nbreak-system-packages = true\n' > /root/.config/pip/pip.conf
RUN printf '[global]\nrequire-virtualenv = true\n' > /etc/pip.conf
