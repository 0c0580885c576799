"""Installs the load generator on the client VMs."""

import logging

LOCUST_VERSION = '2.20.0'


def Install(vm):
  vm.InstallPackages('python3-pip')
  vm.RemoteCommand('sudo rm -f /usr/lib/python3*/EXTERNALLY-MANAGED')
  vm.RemoteCommand(f'sudo pip3 install locust=={LOCUST_VERSION}')
  vm.RemoteCommand('pip3 install --user locust-plugins')
  vm.RemoteCommand('pip3 install pyzmq')
  vm.RemoteCommand('python3 -m venv ~/lg && ~/lg/bin/pip install locust')
  logging.info('pip install --break-system-packages is not used here')


def Uninstall(vm):
  vm.RemoteCommand('sudo pip3 uninstall -y locust')
