#!/usr/bin/env bash
# The PDF tests read the PDFs back with poppler's pdftotext/pdffonts (tests/pdf_check.py): install
# poppler-utils with apt-get where it is missing and we may (root). Never fails: without it those
# checks skip with the reason, and .ci/run requires it (TRACKER_REQUIRE_POPPLER=1).
set -u
if command -v pdftotext >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure_poppler: installing poppler-utils"
  (apt-get install -y -q poppler-utils >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q poppler-utils >/dev/null 2>&1; }) \
    || echo "ensure_poppler: could not install poppler-utils; the PDF text checks will skip" >&2
else
  echo "ensure_poppler: pdftotext missing and apt-get not usable here (not root?); the PDF text checks will skip" >&2
fi
exit 0
