#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image (Ubuntu): install the grader.
set -euo pipefail
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-venv python3-pip
cd /autograder/source
python3 -m venv .venv && .venv/bin/pip install -q -r requirements.txt
# Download and verify the datasets now, so no submission waits for them.
.venv/bin/python -m tfexam fetch-data
