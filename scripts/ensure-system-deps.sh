#!/usr/bin/env bash
# The Debian tools the tests need: Chromium (Playwright drives Debian's build; its own browser
# download cannot work here), ffmpeg (turns a QR image into a fake webcam video) and a Chinese
# font (without one the screenshots the tests take show boxes instead of the staff's language),
# a C compiler (the ID-card reader tests build a stand-in termb library with gcc) and
# PostgreSQL (the site hub tests start a throwaway cluster).
# Installs what is missing when run as root; otherwise prints the one command to run.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -d /usr/lib/postgresql ] || missing+=(postgresql)
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
{ command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null)" ]; } || missing+=(fonts-wqy-microhei)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing missing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]}. Install them with:"
  echo "  sudo apt-get install -y ${missing[*]}"
  exit 1
fi
