#!/usr/bin/env bash
# Installs the VS Code that the code-server npm package carries into .vscode-test/code-server,
# so the integration suite can run inside a real VS Code on a machine that cannot download one.
# Needs Debian's ripgrep and libkrb5-dev (see .ci/run). Idempotent: does nothing when installed.
set -euo pipefail
VERSION=4.100.3   # VS Code 1.100.3; later releases need Node 22+
root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$root/.vscode-test/code-server"
marker="$dest/.installed-$VERSION"
[ -f "$marker" ] && exit 0
# The post-install downloads ripgrep from GitHub, which is out of reach; @vscode/ripgrep looks in
# this cache first, so hand it Debian's rg.
rg_bin="$(command -v rg)"
cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
mkdir -p "$cache"
tar czf "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$rg_bin")" rg
mkdir -p "$dest"
cd "$dest"
echo '{"name":"vscode-test-code-server","private":true,"allowScripts":{"code-server":true,"argon2":true}}' > package.json
npm_config_yes=true npm_config_unsafe_perm=true npm install --no-save --no-audit --no-fund "code-server@$VERSION"
touch "$marker"
