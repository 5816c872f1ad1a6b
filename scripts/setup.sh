#!/usr/bin/env bash
# Set up everything the coach needs in .venv/ (idempotent; fast when nothing changed).
#   scripts/setup.sh          the app and its tests' Python packages
#   scripts/setup.sh --test   also the system browser used by the end-to-end test
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv

# llama-cpp-python builds from source; a native build crashes on some CPUs here, so build
# it portable. pip caches the built wheel (pip cache remove llama_cpp_python to rebuild).
export CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON}"

stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "Installing the coach into .venv (the first time builds llama-cpp-python: ~12 min)..."
  .venv/bin/python -m pip install --disable-pip-version-check -q -e ".[dev]"
  rm -f .venv/.installed-*
  touch "$stamp"
fi

if [ "${1:-}" = "--test" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser test..."
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
