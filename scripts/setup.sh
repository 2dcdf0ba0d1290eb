#!/usr/bin/env bash
# One-command install for a fresh machine: system packages (when root), npm packages, and the
# cached test VS Code (code-server, see test/vscode/installCodeServer.mjs). Idempotent and quick
# when everything is already there; `npm run setup` and .ci/run call it.
#   SETUP_SKIP_NPM_CI=1   keep node_modules as is (e.g. while others share the checkout)
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the real-VS-Code tests need: chromium for the workbench, ripgrep for
# code-server's search, and headers/toolchain for code-server's native modules (node-pty,
# kerberos, spdlog, @vscode/native-watchdog...); prometheus (with promtool) for the fleet-export
# tests, which scrape a real recorder and check docs/fleet's alert rules.
apt_packages=(chromium fonts-liberation ripgrep libkrb5-dev libsecret-1-dev libx11-dev
  libxkbfile-dev python3 make g++ pkg-config prometheus)

missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Wait for another apt/dpkg run instead of failing on its lock.
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "setup: missing Debian packages (install them as root): ${missing[*]}" >&2
  fi
fi

if [[ "${SETUP_SKIP_NPM_CI:-}" != 1 ]]; then
  npm ci --no-audit --no-fund
fi

# code-server 4.100.3 (= VS Code 1.100.3) into .cache/code-server, only when missing.
node test/vscode/installCodeServer.mjs
