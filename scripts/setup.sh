#!/usr/bin/env bash
# One-command install for a fresh machine: system packages (when root), npm packages, and the
# cached test VS Code. Idempotent; `npm run setup` calls it too.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
