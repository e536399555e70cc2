#!/usr/bin/env bash
# Create (or reuse) the virtual environment and install gorilla_router into it.
#   scripts/setup.sh [EXTRAS]      e.g. scripts/setup.sh dev,llamacpp   (default: no extras)
# torch: a torch already in the environment is kept (a user's CUDA build stays). Otherwise a machine with an
# NVIDIA GPU gets the regular build; a machine without one gets the CPU build of torch 2.13.0: from a local
# wheel if pip's configured find-links has one, else from $TORCH_INDEX_URL (default: PyTorch's CPU index).
# The installed torch is then pinned by a constraint so nothing else can swap it for a CUDA build.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
venv="${GORILLA_ROUTER_VENV:-.venv}"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  echo "==> creating $venv"
  "$python" -m venv "$venv"
fi
py="$venv/bin/python"
pip=("$py" -m pip install --disable-pip-version-check -q)

has_torch() { "$py" -c "import importlib.metadata as m; m.version('torch')" >/dev/null 2>&1; }
if ! has_torch; then
  if command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1; then
    echo "==> installing torch (GPU found)"
    "${pip[@]}" "torch>=2.4"
  elif "${pip[@]}" --no-index --no-deps "torch==2.13.0" >/dev/null 2>&1; then
    echo "==> installed torch 2.13.0 (CPU build, local wheel)"
  else
    echo "==> installing torch 2.13.0 (CPU build)"
    "${pip[@]}" --no-deps "torch==2.13.0" --index-url "${TORCH_INDEX_URL:-https://download.pytorch.org/whl/cpu}"
  fi
fi
torch_version=$("$py" -c "import importlib.metadata as m; print(m.version('torch').split('+')[0])")
constraint="$venv/torch-constraint.txt"
echo "torch==$torch_version" > "$constraint"

# llama-cpp-python (extra "llamacpp") compiles llama.cpp. A native build (-march=native, AMX) crashed on its
# first generation on our CI machines, so it is built portable unless the caller sets CMAKE_ARGS.
case ",$extras," in
  *,llamacpp,*)
    export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DGGML_AVX512=OFF -DLLAVA_BUILD=OFF}"
    export CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc 2>/dev/null || echo 2)}"
    ;;
esac

target="."
[ -n "$extras" ] && target=".[$extras]"
stamp="$venv/.gorilla-router-installed"
want="$(cat pyproject.toml | sha256sum | cut -c1-16) $extras"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> installing gorilla-router${extras:+[$extras]} (torch pinned at $torch_version)"
  "${pip[@]}" -c "$constraint" -e "$target"
  echo "$want" > "$stamp"
fi
