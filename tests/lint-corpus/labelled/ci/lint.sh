#!/bin/sh
pip install ruff
ruff check .
