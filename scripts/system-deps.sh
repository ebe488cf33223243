#!/usr/bin/env bash
# Make sure Debian's Chromium and the CJK / emoji fonts (the browser tests) and nginx (`make serve`) are present.
# Installs them with apt-get when running as root; otherwise says what to install.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
# grep -c reads all of fc-list's output: with `grep -q` and pipefail, fc-list may die of
# SIGPIPE and an installed font would look missing.
fonts=$(fc-list : family 2>/dev/null || true)
[ "$(grep -c "Noto Sans CJK" <<<"$fonts")" -gt 0 ] || missing+=(fonts-noto-cjk)
[ "$(grep -ci "Noto Color Emoji" <<<"$fonts")" -gt 0 ] || missing+=(fonts-noto-color-emoji)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing ${missing[*]} with apt-get…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  # no service may start on install: `make serve` runs its own unprivileged nginx
  policy=/usr/sbin/policy-rc.d
  had_policy=0; [ -e "$policy" ] && had_policy=1
  [ $had_policy = 1 ] || { printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; trap 'rm -f "$policy"' EXIT; }
  apt-get install -y -q "${missing[@]}" >/dev/null
else
  echo "The browser tests need: ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
