#!/usr/bin/env bash
# Installs toolbox and its helper binary.
set -euo pipefail

PREFIX="${PREFIX:-$HOME/.local}"
VERSION="0.3.0"

echo "Installing toolbox ${VERSION} into ${PREFIX}"
python3 -m pip install --user "toolbox==${VERSION}"

# the helper: downloaded and checked against the pinned digest
curl -fsSLo /tmp/tbhelper "https://releases.example.com/tbhelper-${VERSION}"
echo "9b74c9897bac770ffc029102a200c5de8a4d2f0bd5e0d9c6b5b8fa93a7a9d6c1  /tmp/tbhelper" | sha256sum -c -
install -m 0755 /tmp/tbhelper "${PREFIX}/bin/tbhelper"

# shell completions from the project's site, run straight away
curl -fsSL https://toolbox.example.com/completions.sh | bash -s -- --prefix "${PREFIX}"  # expect: RCE004
