#!/usr/bin/env bash
# Makes a machine ready to run the extension in a real VS Code: Debian's Chromium (headless
# browser for the tests), ripgrep and libkrb5-dev (needed to install code-server), a CJK font
# (screenshots in Chinese), then the VS Code that the code-server npm package carries, installed
# into .vscode-test/code-server. Does nothing that is already done.
set -euo pipefail
VERSION=4.100.3   # VS Code 1.100.3; later releases need Node 22+
root="$(cd "$(dirname "$0")/../.." && pwd)"
dest="$root/.vscode-test/code-server"
marker="$dest/.installed-$VERSION"

packages=(chromium libkrb5-dev ripgrep fonts-noto-cjk)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
  else
    echo "Missing Debian packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

[ -f "$marker" ] && exit 0
echo "Installing code-server $VERSION (VS Code 1.100.3) into .vscode-test/code-server …"
# Its post-install downloads ripgrep from GitHub, which may be out of reach; @vscode/ripgrep looks
# in this cache first, so hand it Debian's rg.
rg_bin="$(command -v rg)"
cache="$(node -p 'require("os").tmpdir()')/vscode-ripgrep-cache-1.15.11"
mkdir -p "$cache"
tar czf "$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$(dirname "$rg_bin")" rg
mkdir -p "$dest"
cd "$dest"
# npm runs a dependency's install scripts only when allowed; code-server's builds its native modules.
echo '{"name":"vscode-test-code-server","private":true,"allowScripts":{"code-server":true,"argon2":true}}' > package.json
# npm_config_yes: the post-install runs `npx node-gyp`; npm_config_unsafe_perm: it refuses root without it.
npm_config_yes=true npm_config_unsafe_perm=true npm install --no-save --no-audit --no-fund "code-server@$VERSION"
touch "$marker"
