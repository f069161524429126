"""The run's work directory: sandbox PKI, client bundle, CA bundle, stream payload."""

import os
import resource
import ssl
import subprocess
import tempfile
import types

import configs


def raise_descriptor_limit():
    """Idle-connection runs need thousands of descriptors in the proxies (HAProxy wants about
    two per connection) and in the client; children inherit the limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 2 * configs.MAX_CONNECTIONS + 1000
    if soft < wanted and (hard == resource.RLIM_INFINITY or hard >= wanted):
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    elif soft < wanted:
        return f"the open-file limit is {hard}; the harness needs {wanted} (ulimit -n)"
    return None


def prepare_workdir(args):
    """A fresh temporary directory with everything the proxies and clients read, as a namespace
    of paths (plus the client leaf's DER and subject DN, which the checks expect upstream)."""
    work = tempfile.mkdtemp(prefix="mtls-bench-")
    os.chmod(work, 0o755)  # nginx workers (nobody) read the payload below it
    pki = os.path.join(work, "pki")
    # RSA 2048 leaves (the default, never --fast): the handshake cost is the point.
    subprocess.run([args.ob_sandbox, "pki", "init", "--out", pki], check=True, stdout=subprocess.DEVNULL)
    w = types.SimpleNamespace(work=work, pki=pki)
    w.root_ca = os.path.join(pki, "root-ca.pem")
    w.leaf = os.path.join(pki, "tpp-transport.pem")
    w.leaf_key = os.path.join(pki, "tpp-transport.key")
    # ab -E: leaf + key only, so every proxy must build the path with its configured issuing CA.
    w.bundle = _concat(os.path.join(work, "client-bundle.pem"), [w.leaf, w.leaf_key])
    w.haproxy_pem = _concat(os.path.join(work, "haproxy-server.pem"),
                            [os.path.join(pki, "server-chain.pem"), os.path.join(pki, "server.key")])
    w.ca_bundle = _concat(os.path.join(work, "client-ca-bundle.pem"),
                          [w.root_ca, os.path.join(pki, "issuing-ca.pem")], mode=0o644)
    w.payload = os.path.join(work, "payload.bin")
    with open(w.payload, "wb") as handle:
        handle.truncate(args.stream_mib * 1024 * 1024)  # sparse zeros: no disk cost to read
    os.chmod(w.payload, 0o644)
    w.uploads = os.path.join(work, "uploads")
    os.makedirs(w.uploads)
    os.chmod(w.uploads, 0o777)
    with open(w.leaf) as handle:
        w.leaf_der = ssl.PEM_cert_to_DER_cert(handle.read())
    w.expected_dn = subprocess.run(
        ["openssl", "x509", "-in", w.leaf, "-noout", "-subject", "-nameopt", "RFC2253"],
        check=True, capture_output=True, text=True).stdout.strip().removeprefix("subject=")
    return w


def _concat(path, parts, mode=0o600):
    with open(path, "w") as out:
        for part in parts:
            with open(part) as handle:
                out.write(handle.read().rstrip("\n") + "\n")
    os.chmod(path, mode)
    return path
