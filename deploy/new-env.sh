#!/usr/bin/env bash
# Prints deploy/env.example with every secret filled with a fresh random value, for a new .env:
#   deploy/new-env.sh > .env && chmod 600 .env     # then fill in the identity settings left empty
# Passwords: 32 random bytes as hex (no character needs quoting in a JAAS line or a URL);
# JIT_ISSUER_MASTER_KEY: 32 random bytes, base64 (AES-256).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v openssl >/dev/null || { echo "new-env: openssl is required" >&2; exit 1; }
while IFS= read -r line; do
  case "$line" in
    JIT_ISSUER_MASTER_KEY=) echo "JIT_ISSUER_MASTER_KEY=$(openssl rand -base64 32)" ;;
    *_PASSWORD=) echo "$line$(openssl rand -hex 32)" ;;
    *) echo "$line" ;;
  esac
done <"$HERE/env.example"
