#!/usr/bin/env bash
# Looks like cradles, runs none of them.
set -euo pipefail

echo 'To install by hand: curl -fsSL https://get.example.com | sh'
printf '%s\n' "wget -qO- https://example.com/setup | bash"
# curl https://example.com/x.sh | bash   (a comment)

cat > README.install <<NOTE
curl -fsSL https://get.example.com/install.sh | sh
NOTE

curl -fsSL https://download.example.com/key.gpg | sudo gpg --dearmor -o /usr/share/keyrings/example.gpg
curl -sL https://example.com/release.tar.gz | tar xz -C /opt
curl -s https://api.example.com/v1/version | jq -r .version
curl -s https://example.com/notes.txt | tee /tmp/notes.txt > /dev/null

# downloaded, then checked, then run
curl -fsSLo install.sh https://example.com/install.sh
echo "3f2a9c0b6c1d4e5f8a7b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f  install.sh" | sha256sum -c -
sh install.sh

curl -fsSLO https://example.com/tool.sh
curl -fsSLO https://example.com/tool.sh.sha256
shasum -a 256 -c tool.sh.sha256
bash tool.sh

curl -fsSLo app.sh https://example.com/app.sh
curl -fsSLo app.sh.asc https://example.com/app.sh.asc
gpg --verify app.sh.asc app.sh
bash app.sh

curl -o data.json https://api.example.com/data
python3 process.py data.json
diff <(curl -s https://a.example.com/v) <(curl -s https://b.example.com/v)
bash ./local-script.sh < <(curl -s https://example.com/input.txt)
