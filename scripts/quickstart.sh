#!/usr/bin/env bash
# Command 1: create the environment from nothing, install, and run the main job on the embedded default.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1
.venv/bin/gorilla-router zoo validate
.venv/bin/gorilla-router run "what is the square root of 3342398"
