FROM ubuntu:24.04
RUN useradd -m app
USER app
WORKDIR /home/app/code
RUN /bin/bash -c "echo \"export PATH=\$PATH:/home/app/.local/bin/\" >> /home/app/.bashrc"
RUN python3 -m pip config set global.break-system-packages true
RUN pip install --user -r requirements_dev.txt
