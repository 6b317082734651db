"""HTTPS for ``tracker serve --https`` on a venue's LAN: a self-signed certificate made on first use.

Service workers (the offline roster) and the camera (the QR scanner) need a secure origin; a laptop
serving the hall's Wi-Fi at ``https://192.168.1.10:5000`` is one only if the phones trust its
certificate. The certificate is made once into ``instance/venue-cert.pem`` (key: ``venue-key.pem``,
readable by the owner only) for this machine's names and addresses; it is its own authority
(``CA:TRUE``), so that it can be installed on the phones (README: "HTTPS at a venue"). Delete both
files to make a new one (e.g. after the laptop's address changed).

Made with the ``openssl`` command (on every Linux and macOS): the ``cryptography`` package (which
werkzeug's ad-hoc certificates need) is not one of the app's dependencies.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import subprocess
from pathlib import Path

CERT_NAME, KEY_NAME = "venue-cert.pem", "venue-key.pem"
DAYS = 825  # the longest life phones accept for a certificate


class CertificateError(RuntimeError):
    pass


def lan_addresses() -> list[str]:
    """This machine's address on the network it would use to go out (no packet is sent), if any."""
    found = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            found.append(probe.getsockname()[0])
        except OSError:
            pass
    return found


def subject_names(host: str) -> list[str]:
    """The names the certificate is good for: localhost, this machine's name and addresses, and ``host``."""
    names = ["localhost", socket.gethostname(), "127.0.0.1", *lan_addresses()]
    if host not in ("", "0.0.0.0", "::"):
        names.append(host)
    entries = []
    for name in dict.fromkeys(names):
        try:
            ipaddress.ip_address(name)
            entries.append(f"IP:{name}")
        except ValueError:
            entries.append(f"DNS:{name}")
    return entries


def ensure_certificate(instance_path: str | os.PathLike, host: str = "") -> tuple[Path, Path]:
    """The certificate and key in ``instance_path``, made on first use; returns (certificate, key)."""
    folder = Path(instance_path)
    cert, key = folder / CERT_NAME, folder / KEY_NAME
    if cert.exists() and key.exists():
        return cert, key
    openssl = shutil.which("openssl")
    if openssl is None:
        raise CertificateError("openssl")
    folder.mkdir(parents=True, exist_ok=True)
    key.unlink(missing_ok=True)
    fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never readable by others, even briefly
    os.close(fd)
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-sha256", "-nodes", "-days", str(DAYS),
         "-keyout", str(key), "-out", str(cert), "-subj", "/O=Tracker/CN=Tracker venue server",
         "-addext", "subjectAltName=" + ",".join(subject_names(host)),
         "-addext", "basicConstraints=critical,CA:TRUE",
         "-addext", "keyUsage=critical,digitalSignature,keyCertSign",
         "-addext", "extendedKeyUsage=serverAuth"],
        check=True, capture_output=True)
    os.chmod(key, 0o600)
    return cert, key
