def build_cloud_init(name):
    """Cloud-init user data that bootstraps an agent VM."""
    return f"""#cloud-config
packages:
  - python3-pip
runcmd:
  - pip3 install skcapstone
  - echo "agent {name} ready"
"""
