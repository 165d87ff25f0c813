#!/usr/bin/env bash
# Installs what the browser tests need: Debian's Chromium and a CJK font
# (without one every Chinese character renders as a box), and poppler-utils
# for the PDF bulletin's page renders. Idempotent.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi 'wqy' || need+=(fonts-wqy-zenhei)
# pdftoppm, pdffonts, pdftotext: the bulletin's PDF is rendered to PNG and read back in the tests.
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "installing ${need[*]} (Debian packages) for the browser tests"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null
