#!/usr/bin/env bash
# SpamAssassin for the email score test (tests/integration/test_spam_score.py): Debian's.
set -euo pipefail
if command -v spamassassin >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's spamassassin for the email score test..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends spamassassin >/dev/null
  exit 0
fi
echo "No spamassassin and not root: the email score test will say it is skipped and why."
