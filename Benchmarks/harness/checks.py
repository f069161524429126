"""Functional verification of each proxy before (and after) it is measured.

A proxy's figures count only if, through it, the upstream saw the verified subject DN and the
client certificate (not a spoofed copy sent by the client), and if it refused clients without a
certificate or with one that must not verify. Anything else fails the whole run.
"""

import base64
import re
import ssl
import subprocess
import urllib.parse

SPOOFED_DN = "CN=spoofed,O=Attacker,C=GB"

# For each proxy: the upstream-echo keys carrying the DN and the certificate, and how the
# certificate is encoded (see configs.py).
IDENTITY_FIELDS = {
    "gateway": ("x-client-cert-subject-dn", "client-cert", "rfc9440"),
    "nginx": ("x-ssl-client-s-dn", "x-ssl-client-cert", "escaped-pem"),
    "haproxy": ("x-ssl-client-s-dn", "x-ssl-client-cert", "base64-der"),
}

# Negative client certificates from `ob-sandbox pki init` that every proxy must refuse.
NEGATIVE_CLIENTS = [
    ("no certificate", None),
    ("untrusted CA", "other-ca-transport"),
    ("expired", "expired-transport"),
    ("not yet valid", "not-yet-valid-transport"),
    ("serverAuth-only EKU", "wrong-eku-transport"),
]


def parse_dn(text):
    """A DN string (RFC 4514/2253 or OpenSSL's `/C=../CN=..`) as a sorted list of (TYPE, value).

    Good enough for the sandbox subjects, which contain no escaped separators: order-insensitive
    so that each proxy's own rendering order is accepted."""
    text = text.strip()
    if text.startswith("/"):
        parts = text[1:].split("/")
    else:
        parts = re.split(r"(?<!\\)[,+]", text)
    pairs = []
    for part in parts:
        if "=" not in part:
            return None
        key, value = part.split("=", 1)
        pairs.append((key.strip().upper(), value.strip()))
    return sorted(pairs)


def decode_certificate(value, encoding):
    """The DER bytes a proxy forwarded, or None if they do not decode."""
    try:
        if encoding == "rfc9440":
            # RFC 9440 §2.2: a structured-field byte sequence, `:base64:`.
            if not (value.startswith(":") and value.endswith(":")):
                return None
            return base64.b64decode(value[1:-1], validate=True)
        if encoding == "escaped-pem":
            return ssl.PEM_cert_to_DER_cert(urllib.parse.unquote(value))
        if encoding == "base64-der":
            return base64.b64decode(value, validate=True)
    except (ValueError, TypeError):
        return None
    return None


def _curl(url, w, cert=None, key=None, extra=(), timeout=15):
    # --http1.1: the path ab measures (h2 has its own check below).
    argv = ["curl", "-sS", "--http1.1", "--max-time", str(timeout), "--cacert", w.root_ca, "-o", "-",
            "-w", "\n%{http_code}"]
    if cert:
        argv += ["--cert", cert, "--key", key]
    argv += list(extra) + [url]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout + 5)
    body, _, status = done.stdout.rpartition("\n")
    return done.returncode, status.strip(), body, done.stderr.strip()


def _echo_fields(body):
    fields = {}
    for line in body.splitlines()[1:]:
        key, _, value = line.partition("=")
        fields[key] = value
    return fields


def check_identity(proxy, port, w, expected_dn, leaf_der, http2=False):
    """Request /echo with the client certificate and spoofed identity headers; returns a list of
    problems (empty = the upstream saw exactly the verified identity)."""
    dn_key, cert_key, encoding = IDENTITY_FIELDS[proxy]
    spoof = []
    for header in ("X-Client-Cert-Subject-DN", "X-SSL-Client-S-DN"):
        spoof += ["-H", f"{header}: {SPOOFED_DN}"]
    spoof += ["-H", "Client-Cert: :c3Bvb2Zl:", "-H", "X-SSL-Client-Cert: spoofed"]
    url = f"https://127.0.0.1:{port}/echo"
    code, status, body, err = _curl(url, w, w.leaf, w.leaf_key, spoof)
    if code != 0 or status != "200" or not body.startswith("echo"):
        return [f"/echo with a valid certificate: curl exit {code}, status {status}, {err[:200]}"]
    fields = _echo_fields(body)
    problems = []
    seen_dn = fields.get(dn_key, "")
    if parse_dn(seen_dn) != parse_dn(expected_dn):
        problems.append(f"upstream saw {dn_key}={seen_dn!r}, expected {expected_dn!r}")
    if decode_certificate(fields.get(cert_key, ""), encoding) != leaf_der:
        problems.append(f"upstream's {cert_key} is not the client's leaf certificate")
    return problems


def check_refusals(port, w):
    """Each negative client must be refused: no response from the upstream reaches it."""
    problems = []
    for label, name in NEGATIVE_CLIENTS:
        cert = key = None
        if name:
            cert, key = f"{w.pki}/{name}.pem", f"{w.pki}/{name}.key"
        code, status, body, _ = _curl(f"https://127.0.0.1:{port}/echo", w, cert, key)
        if code == 0 and (status.startswith("2") or body.startswith("echo")):
            problems.append(f"{label}: accepted (status {status})")
    return problems


def check_http2(port, w, proxy, expected_dn, leaf_der):
    """HTTP/2 through the proxy with nghttp: 'ok', 'not supported' (no h2 in ALPN) or a failure."""
    argv = ["nghttp", "--cert", w.leaf, "--key", w.leaf_key, "-t", "15",
            f"https://127.0.0.1:{port}/echo"]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=30)
    output = done.stdout + done.stderr
    if "HTTP/2 protocol was not selected" in output or "h2 is not negotiated" in output:
        return "not supported", []
    if done.returncode != 0 or not done.stdout.startswith("echo"):
        return "failed", [f"nghttp exit {done.returncode}: {output.strip()[:200]}"]
    dn_key, cert_key, encoding = IDENTITY_FIELDS[proxy]
    fields = _echo_fields(done.stdout)
    if parse_dn(fields.get(dn_key, "")) != parse_dn(expected_dn):
        return "failed", [f"h2: upstream saw {dn_key}={fields.get(dn_key)!r}"]
    if decode_certificate(fields.get(cert_key, ""), encoding) != leaf_der:
        return "failed", ["h2: upstream's certificate header is wrong"]
    return "ok", []
