#!/usr/bin/env sh
# System libraries the Python packages need but cannot install themselves:
# - Pango (WeasyPrint renders the enforcement documents as PDF)
# - a CJK font embedded in those PDFs (Noto Sans/Serif CJK SC, Debian package fonts-noto-cjk)
# - HarfBuzz's subsetter (WeasyPrint embeds only the glyphs a document uses; without it, it warns and
#   falls back to a slower path)
# - poppler-utils (pdftotext: the test suite reads the text back out of the generated PDFs; without it
#   that test is skipped)
# - chromium (the browser tests drive it with Playwright: the phone form's offline queue; without it they
#   are skipped)
# Installs them with apt-get when running as root on Debian/Ubuntu; otherwise says what is missing.
missing=""
ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing="$missing libpango-1.0-0"
fc-list :lang=zh 2>/dev/null | grep -qi "noto" || missing="$missing fonts-noto-cjk"
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || missing="$missing libharfbuzz-subset0"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages:$missing"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null || {
    echo "apt-get install failed; PDF documents and the PDF and browser tests need:$missing"; exit 0; }
else
  echo "WARNING: PDF documents and the PDF and browser tests need these system packages:$missing (e.g. sudo apt-get install$missing)"
fi
