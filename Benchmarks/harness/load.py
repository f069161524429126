"""Load generation: ab runs, 100 MiB streams and idle MTLS connections, each with the proxy's
server-side CPU and memory read from /proc around it."""

import os
import re
import subprocess
import sys

from procs import cpu_seconds, peak_rss_kib, reset_peak_rss, rss_kib

HERE = os.path.dirname(os.path.abspath(__file__))


class LoadError(Exception):
    """A load run that cannot count (ab failed, errors, or no keep-alive when asked for)."""


def _field(pattern, text, cast=float):
    match = re.search(pattern, text, re.MULTILINE)
    return cast(match.group(1)) if match else None


def _percentiles(csv_path):
    values = {}
    with open(csv_path) as handle:
        next(handle)  # header: "Percentage served,Time in ms"
        for line in handle:
            pct, _, ms = line.strip().partition(",")
            values[int(pct)] = float(ms)
    return values


def run_ab(process, url, w, settings, keepalive, tag):
    """One bounded ab run against `url`, returning the client and server figures.

    ab is closed-loop: all proxies get the same concurrency, so latency is comparable. The
    server CPU is utime+stime of the proxy's processes, read before and after: it does not
    depend on the load generator sharing the machine's cores."""
    csv_path = os.path.join(w.work, f"ab-{tag}.csv")
    # -n after -t: -t alone caps at 50,000 requests; ab allocates per request, so bound it.
    cap = max(50000, 60000 * settings.duration)
    # -r: a socket error is counted (and judged below) instead of aborting ab mid-run.
    argv = ["taskset", "-c", settings.load_cpus, "ab", "-q", "-S", "-r", "-s", "30",
            "-c", str(settings.concurrency), "-t", str(settings.duration), "-n", str(cap),
            "-E", w.bundle, "-e", csv_path]
    if keepalive:
        argv.append("-k")
    argv.append(url)
    pids = process.pids()
    reset_peak_rss(pids)
    cpu_before = cpu_seconds(pids)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=settings.duration + 120)
    cpu_after = cpu_seconds(pids)
    out = done.stdout
    with open(os.path.join(w.work, f"ab-{tag}.txt"), "w") as handle:
        handle.write(" ".join(argv) + "\n" + out + done.stderr)
    if done.returncode != 0:
        raise LoadError(f"ab exited {done.returncode}: {done.stderr.strip()[-300:]}")
    complete = _field(r"^Complete requests:\s+(\d+)", out, int) or 0
    failed = _field(r"^Failed requests:\s+(\d+)", out, int) or 0
    non2xx = _field(r"^Non-2xx responses:\s+(\d+)", out, int) or 0
    keepalive_requests = _field(r"^Keep-Alive requests:\s+(\d+)", out, int) or 0
    # A rare reset under load is reported, not fatal; more than 0.1% errors means the proxy is
    # not doing the job and the run must not count.
    errors = failed + non2xx
    if complete == 0 or errors > 0.001 * complete:
        raise LoadError(f"ab: {complete} complete, {failed} failed, {non2xx} non-2xx")
    if keepalive and keepalive_requests < 0.99 * complete:
        raise LoadError(f"only {keepalive_requests} of {complete} requests were kept alive")
    percentiles = _percentiles(csv_path)
    cpu = cpu_after - cpu_before
    return {
        "requests": complete,
        "errors": errors,
        "rps": _field(r"^Requests per second:\s+([\d.]+)", out),
        "p50_ms": percentiles.get(50),
        "p99_ms": percentiles.get(99),
        "cpu_s": cpu,
        "cpu_ms_per_1000": 1e6 * cpu / complete,
        "peak_rss_kib": peak_rss_kib(pids),
        "tls": _field(r"^SSL/TLS Protocol:\s+(.+)$", out, str),
        "temp_key": _field(r"^Server Temp Key:\s+(.+)$", out, str),
    }


def _curl_transfer(w, settings, argv_tail):
    argv = ["taskset", "-c", settings.load_cpus, "curl", "-sS", "--max-time", "300",
            "--cacert", w.root_ca, "--cert", w.leaf, "--key", w.leaf_key,
            # HTTP/1.1 for all (curl would pick h2 where ALPN offers it, as nginx and HAProxy
            # do), and no 100-continue round trip (curl would wait 1 s for it).
            "--http1.1", "-H", "Expect:",
            "-w", "%{http_code} %{size_download} %{size_upload} %{time_total}"] + argv_tail
    done = subprocess.run(argv, capture_output=True, text=True, timeout=330)
    if done.returncode != 0:
        raise LoadError(f"curl exited {done.returncode}: {done.stderr.strip()[:300]}")
    status, down, up, total = done.stdout.strip().split()[-4:]
    return status, int(down), int(up), float(total)


def run_streams(process, port, w, settings, tag):
    """A streamed download and upload of the payload through the proxy: MiB/s and peak RSS."""
    size = os.path.getsize(w.payload)
    mib = size / (1024 * 1024)
    pids = process.pids()
    result = {}

    reset_peak_rss(pids)
    status, down, _, total = _curl_transfer(
        w, settings, ["-o", "/dev/null", f"https://127.0.0.1:{port}/stream/download"])
    if status != "200" or down != size:
        raise LoadError(f"download: status {status}, {down} of {size} bytes")
    result["download_mib_s"] = mib / total
    result["download_peak_rss_kib"] = peak_rss_kib(pids)

    name = f"{tag}.bin"
    stored = os.path.join(w.uploads, "stream", "upload", name)
    reset_peak_rss(pids)
    status, _, up, total = _curl_transfer(
        w, settings, ["-o", "/dev/null", "-T", w.payload, f"https://127.0.0.1:{port}/stream/upload/{name}"])
    stored_size = os.path.getsize(stored) if os.path.exists(stored) else -1
    if status not in ("201", "204") or up != size or stored_size != size:
        raise LoadError(f"upload: status {status}, sent {up}, upstream stored {stored_size} of {size} bytes")
    os.remove(stored)
    result["upload_mib_s"] = mib / total
    result["upload_peak_rss_kib"] = peak_rss_kib(pids)
    return result


def run_idle(process, port, w, settings):
    """RSS per idle MTLS connection: open `settings.idle` verified connections (one request
    each, then idle, as a keep-alive client would leave them) and divide the RSS delta."""
    pids = process.pids()
    before = rss_kib(pids)
    argv = [sys.executable, os.path.join(HERE, "idle_clients.py"), "--port", str(port),
            "--count", str(settings.idle), "--cert", w.leaf, "--key", w.leaf_key, "--ca", w.root_ca]
    client = subprocess.Popen(["taskset", "-c", settings.load_cpus] + argv,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = client.stdout.readline().strip()
        after = rss_kib(process.pids())
    finally:
        client.stdin.close()  # tells the client to close its connections and exit
        try:
            client.wait(timeout=60)
        except subprocess.TimeoutExpired:
            client.kill()
            client.wait()
    match = re.match(r"READY (\d+) (\d+)", line)
    if not match or int(match.group(1)) != settings.idle:
        raise LoadError(f"idle connections: client reported {line!r}")
    return {
        "connections": settings.idle,
        "rss_before_kib": before,
        "rss_after_kib": after,
        "kib_per_connection": (after - before) / settings.idle,
    }
