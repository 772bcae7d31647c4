#!/usr/bin/env bash
# Makes sure "$1 -m venv" can work. Debian splits venv/ensurepip into python3-venv, which a
# fresh machine may lack; as root with apt we install it, elsewhere we explain.
set -euo pipefail
python=${1:-python3}

"$python" -c 'import sys; assert sys.version_info >= (3, 11), sys.version' 2>/dev/null || {
  echo "Python 3.11 or newer is required ($python is $("$python" --version 2>&1))." >&2
  exit 1
}
"$python" -c 'import ensurepip, venv' 2>/dev/null && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing python3-venv (needed to create .venv)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
else
  echo "$python cannot create virtualenvs. Install venv support (Debian: apt-get install python3-venv)." >&2
  exit 1
fi
