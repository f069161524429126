"""Figures (medians, ratios, targets) and the Markdown sections that show them."""

import statistics

PROXIES = ["gateway", "nginx", "haproxy"]
NAMES = {"gateway": "mtls-gateway", "nginx": "nginx", "haproxy": "HAProxy"}

METHOD = """\
- One shared upstream: nginx (1 worker, pinned) answering `200 ok`; each proxy keeps a pool of
  up to 64 keep-alive connections to it.
- Each proxy verifies the client certificate (required; leaf → issuing CA → root, the client sends
  the leaf only, so the configured issuing CA is used for path building; depth limit leaf + 2),
  forwards the verified subject DN and certificate (gateway: RFC 9440 + derived headers; nginx:
  `$ssl_client_s_dn`, `$ssl_client_escaped_cert`; HAProxy: `ssl_c_s_dn`, `ssl_c_der,base64`),
  and writes one access-log line per request to a file (gateway JSON, nginx JSON `log_format`,
  HAProxy `log stdout` redirected to a file).
- Thread count N is matched: nginx `worker_processes N`, HAProxy `nbthread N`, the gateway
  `NIO_SINGLETON_GROUP_LOOP_COUNT=N` (its `MultiThreadedEventLoopGroup.singleton` otherwise sizes
  itself from the machine's core count, which `taskset` does not change; its blocking pool for
  access-log writes keeps the default size). Every proxy is pinned with `taskset` to the same N CPUs.
- Before measuring, each proxy must pass: the upstream's echo of a request shows the verified DN
  and the client's leaf certificate (inbound spoofed copies replaced), requests without a
  certificate, with an untrusted-CA certificate or an expired one are refused; HTTP/2 is checked
  with `nghttp`. The identity check is repeated after the load. Any failure aborts the run.
- Load: `ab -E leaf+key` at the same concurrency for all; (a) keep-alive (`-k`, every request must
  be kept alive), (b) a new TLS handshake per request (ab does not resume sessions). Figures are
  medians over the rounds.
- Server CPU: utime + stime from `/proc/PID/stat` of all the proxy's processes (nginx master +
  workers) before and after each ab run, per 1,000 completed requests. CPU per full handshake =
  CPU per request with a handshake − CPU per keep-alive request.
- Peak RSS: `VmHWM` summed over the proxy's processes, reset before each run
  (`/proc/PID/clear_refs`); the maximum over rounds. nginx's sum counts the pages its master and
  workers share twice.
- RSS per idle MTLS connection: a Python `ssl` client opens the connections (full verified
  handshake, one request each, then idle); (VmRSS after − before) / connections.
- Streams: `curl` downloads / uploads (PUT, stored and size-checked by the upstream) the payload
  through each proxy, once per round, interleaved; throughput = size / total time (median), and
  the proxy's peak RSS during it (maximum).
- ab runs may contain at most 0.1% failed or non-2xx requests (counted in *Raw rounds*); more
  aborts the run."""


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def proxy_figures(runs):
    """Medians of one proxy's rounds at one thread count, plus its single-shot figures."""
    ka, hs = runs.get("keepalive", []), runs.get("handshake", [])
    result = {}
    for prefix, rounds in (("ka", ka), ("hs", hs)):
        for key in ("rps", "p50_ms", "p99_ms", "cpu_ms_per_1000"):
            result[f"{prefix}_{key}"] = median([r[key] for r in rounds])
        result[f"{prefix}_peak_rss_mib"] = max((r["peak_rss_kib"] for r in rounds), default=0) / 1024
        result[f"{prefix}_tls"] = rounds[0]["tls"] if rounds else None
    if result["hs_cpu_ms_per_1000"] is not None and result["ka_cpu_ms_per_1000"] is not None:
        result["cpu_ms_per_handshake"] = (result["hs_cpu_ms_per_1000"] - result["ka_cpu_ms_per_1000"]) / 1000
    idle, streams = runs.get("idle", {}), runs.get("stream", [])
    result["idle_kib_per_conn"] = idle.get("kib_per_connection")
    result["start_rss_mib"] = runs.get("start_rss_kib", 0) / 1024
    result["rest_rss_mib"] = runs.get("rest_rss_kib", 0) / 1024
    for key in ("download_mib_s", "upload_mib_s"):
        result[key] = median([s[key] for s in streams])
    for key in ("download_peak_rss_kib", "upload_peak_rss_kib"):
        result[key.replace("kib", "mib")] = max((s[key] for s in streams), default=0) / 1024
    return result


# (label, key, format, lower is better?) — rows of the per-N table.
ROWS = [
    ("keep-alive: requests/s", "ka_rps", "{:.0f}", False),
    ("keep-alive: latency p50 (ms)", "ka_p50_ms", "{:.3f}", True),
    ("keep-alive: latency p99 (ms)", "ka_p99_ms", "{:.3f}", True),
    ("keep-alive: server CPU-s per 1,000 requests", "ka_cpu_ms_per_1000", "ms", True),
    ("keep-alive: peak RSS (MiB)", "ka_peak_rss_mib", "{:.1f}", True),
    ("handshake/request: requests/s", "hs_rps", "{:.0f}", False),
    ("handshake/request: latency p50 (ms)", "hs_p50_ms", "{:.3f}", True),
    ("handshake/request: latency p99 (ms)", "hs_p99_ms", "{:.3f}", True),
    ("handshake/request: server CPU-s per 1,000 requests", "hs_cpu_ms_per_1000", "ms", True),
    ("CPU per full MTLS handshake (ms)", "cpu_ms_per_handshake", "{:.3f}", True),
    ("handshake/request: peak RSS (MiB)", "hs_peak_rss_mib", "{:.1f}", True),
    ("RSS after start-up and checks (MiB)", "start_rss_mib", "{:.1f}", True),
    ("RSS at rest after the ab runs (MiB)", "rest_rss_mib", "{:.1f}", True),
    ("RSS per idle MTLS connection (KiB)", "idle_kib_per_conn", "{:.1f}", True),
    ("download: MiB/s", "download_mib_s", "{:.0f}", False),
    ("download: peak RSS (MiB)", "download_peak_rss_mib", "{:.1f}", True),
    ("upload: MiB/s", "upload_mib_s", "{:.0f}", False),
    ("upload: peak RSS (MiB)", "upload_peak_rss_mib", "{:.1f}", True),
]


def _format(value, style):
    if value is None:
        return "n/a"
    if style == "ms":  # CPU-ms per 1,000 requests shown as CPU-seconds
        return f"{value / 1000:.3f}"
    return style.format(value)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def _ratio_text(value):
    return "n/a" if value is None else f"{value:.2f}×"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def verification_section(results):
    out = ["## Verification", ""]
    rows = []
    for name in PROXIES:
        for threads, check in sorted(results["checks"].get(name, {}).items()):
            log = results["access_log"].get(name, {}).get(threads, {})
            lines = f"{log.get('lines', 0)} / {log.get('requests', 0)}" if log else "n/a"
            rows.append([NAMES[name], str(threads), "pass" if check["identity"] else "FAIL",
                         check["http2"], lines])
    out.append(table(["proxy", "N", "identity forwarded, negatives refused", "HTTP/2 (nghttp)",
                       "access-log lines / requests completed"], rows))
    out += ["", "Access-log lines can exceed completed requests: ab stops at its time limit with "
            "requests in flight, and refused handshakes are logged too. Fewer lines than requests "
            "would mean dropped log lines.", ""]
    return out


def threads_section(results, threads):
    runs = results["runs"][threads]
    per = {name: proxy_figures(runs[name]) for name in PROXIES if name in runs}
    layout = results["layout"][threads]
    out = [f"## N = {threads} (proxy CPUs {layout['proxy']}, upstream {layout['upstream']}, "
           f"load generator {layout['load']})", ""]
    rows = []
    for label, key, style, _ in ROWS:
        values = [per.get(name, {}).get(key) for name in PROXIES]
        rows.append([label] + [_format(v, style) for v in values]
                    + [_ratio_text(ratio(values[0], values[1])), _ratio_text(ratio(values[0], values[2]))])
    out.append(table(["figure (median)", "mtls-gateway", "nginx", "HAProxy",
                       "gateway / nginx", "gateway / HAProxy"], rows))
    tls = ", ".join(f"{NAMES[n]}: {per[n].get('hs_tls')}" for n in PROXIES if n in per)
    out += ["", f"Negotiated with ab (protocol, cipher, key bits): {tls}.", ""]
    return out


TARGETS = [
    ("CPU per keep-alive proxied request", "ka_cpu_ms_per_1000", 1.0),
    ("CPU per full MTLS handshake", "cpu_ms_per_handshake", 1.0),
    ("p99 latency, keep-alive, same concurrency", "ka_p99_ms", 1.0),
    ("p99 latency, handshake per request, same concurrency", "hs_p99_ms", 1.0),
    ("RSS per idle MTLS connection", "idle_kib_per_conn", 2.0),
]


def targets_section(results):
    out = ["## Targets (issue 5): gateway / nginx", ""]
    rows = []
    for label, key, limit in TARGETS:
        for threads in sorted(results["runs"]):
            runs = results["runs"][threads]
            gateway = proxy_figures(runs["gateway"]).get(key)
            nginx = proxy_figures(runs["nginx"]).get(key)
            value = ratio(gateway, nginx)
            verdict = "n/a" if value is None else ("met" if value <= limit else "not met")
            rows.append([label, str(threads), f"≤ {limit:.1f}×", _ratio_text(value), verdict])
    out.append(table(["target", "N", "limit", "measured", "verdict"], rows))
    out.append("")
    return out


def raw_section(results):
    out = ["## Raw rounds", "",
           "requests/s · p99 ms · CPU-s per 1,000 requests · errors, per round in run order.", ""]
    rows = []
    for threads in sorted(results["runs"]):
        for mode in ("keepalive", "handshake"):
            for name in PROXIES:
                rounds = results["runs"][threads].get(name, {}).get(mode, [])
                cells = [f"{r['rps']:.0f} · {r['p99_ms']:.2f} · {r['cpu_ms_per_1000'] / 1000:.3f} · {r['errors']}"
                         for r in rounds]
                rows.append([str(threads), mode, NAMES[name], "; ".join(cells)])
    out.append(table(["N", "mode", "proxy", "rounds"], rows))
    out.append("")
    return out
