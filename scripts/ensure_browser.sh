#!/usr/bin/env bash
# Make sure headless Chromium and Devanagari fonts are present for the
# browser tests (Playwright drives Debian's /usr/bin/chromium; no browser
# downloads are possible on these machines).
#
# Idempotent; meant to run as root (CI and dev machines run as root).
# Exits 0 when Chromium is ready, non-zero otherwise.
set -euo pipefail

CHROMIUM=/usr/bin/chromium
APT_UPDATED=0

log() { printf 'ensure_browser: %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        log "need root to run: $*"
        return 1
    fi
}

apt_update_once() {
    if [ "$APT_UPDATED" -eq 0 ]; then
        log "running apt-get update"
        as_root apt-get update -qq >/dev/null
        APT_UPDATED=1
    fi
}

apt_install() {
    apt_update_once
    log "installing: $*"
    local out
    out=$(mktemp)
    if ! as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "$@" >"$out" 2>&1; then
        tail -n 30 "$out" >&2
        rm -f "$out"
        log "apt-get install failed: $*"
        return 1
    fi
    rm -f "$out"
}

have_devanagari_font() {
    # No `grep -q`: it exits at the first match, fc-list then dies of
    # SIGPIPE and pipefail turns that into a failure.
    command -v fc-list >/dev/null 2>&1 && fc-list 2>/dev/null | grep -i devanagari >/dev/null
}

if [ -x "$CHROMIUM" ]; then
    log "chromium already installed ($CHROMIUM)"
else
    apt_install chromium fonts-noto-core
fi

if have_devanagari_font; then
    log "devanagari fonts already installed"
else
    apt_install fonts-noto-core fontconfig
    as_root fc-cache -f >/dev/null 2>&1 || true
    if ! have_devanagari_font; then
        log "devanagari fonts still missing after install"
        exit 1
    fi
fi

if ! "$CHROMIUM" --version >/dev/null 2>&1; then
    log "chromium is installed but does not run"
    exit 1
fi

log "ready: $("$CHROMIUM" --version 2>/dev/null)"
exit 0
