FROM nvidia/cuda:12.8.0-runtime-ubuntu24.04
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt install -y tzdata \
    && apt install -y git python3 python3-pip \
    && apt clean && rm -rf /var/lib/apt/lists/*
RUN git clone https://github.com/example/app.git /root/app
RUN python3 -m pip config set global.break-system-packages true
RUN python3 -m pip install torch torchvision --extra-index-url https://download.pytorch.org/whl/cu128
RUN pip install -r /root/app/requirements.txt
