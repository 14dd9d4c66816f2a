#!/bin/sh
# Installer with the cradle shapes people copy from READMEs.
set -eu

curl -fsSL https://get.example.com/install.sh | sh  # expect: RCE004
wget -qO- https://example.com/setup | sudo bash -s -- --yes  # expect: RCE004
bash <(curl -s https://example.com/bootstrap)  # expect: RCE004
sh -c "$(curl -fsSL https://raw.example.com/tool/install.sh)"  # expect: RCE004
python3 - < <(curl -s https://example.com/get-tool.py)  # expect: RCE004
curl -sSL https://example.com/get-tool.py | python3 -  # expect: RCE004
curl -fsSL https://deb.example.com/setup_20.x \
  | sudo -E bash -  # expect: RCE004
eval "$(wget -qO- https://example.com/env.sh)"  # expect: RCE004
source <(curl -s https://example.com/functions.sh)  # expect: RCE004
sudo sh -c 'curl -s https://example.com/x | bash'  # expect: RCE004
if [ -n "${FORCE:-}" ]; then
    curl -s https://example.com/a.sh | tee /tmp/install.log | bash  # expect: RCE004
fi

fetch_and_run() {
    curl -fsSL -o /tmp/tool.sh "https://example.com/tool.sh"
    chmod +x /tmp/tool.sh
    /tmp/tool.sh --install  # expect: RCE004
}

bash <<SCRIPT
curl -s https://example.com/inner.sh | sh  # expect: RCE004
SCRIPT
