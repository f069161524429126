"""Benchmark orchestration: mtls-gateway vs nginx vs HAProxy, one run, same upstream and load.

Started by Benchmarks/run.sh (which installs the tools and builds the binaries). Exits non-zero if
any proxy fails to verify clients or to forward the verified identity, so a fast-but-wrong run
never produces figures.
"""

import argparse
import os
import shutil
import signal
import sys
import time
import types

import checks
import configs
import load
import report
from figures import PROXIES  # measured in this order, round after round
from procs import ProcessRegistry, StartError, free_port, rss_kib, wait_for_port
from workdir import prepare_workdir, raise_descriptor_limit

# The repository root (Benchmarks/harness/main.py → ../..).
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class HarnessFailure(Exception):
    """A proxy did not do the job correctly: the run must not count."""


def parse_arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gateway", required=True, help="release mtls-gateway binary")
    parser.add_argument("--ob-sandbox", required=True, help="release ob-sandbox binary")
    parser.add_argument("--results", required=True, help="RESULTS.md to (re)write")
    # Defaults: full run / --quick; explicit options win over both.
    parser.add_argument("--rounds", type=int, help="rounds per figure (3 / quick 1)")
    parser.add_argument("--duration", type=int, help="seconds per ab run (10 / quick 2)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--threads", default="1,2", help="comma-separated worker/thread counts")
    parser.add_argument("--idle", type=int, help="idle MTLS connections to open (2000 / quick 200)")
    parser.add_argument("--stream-mib", type=int, default=100)
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 round of 2 s, 200 idle connections")
    parser.add_argument("--keep-workdir", action="store_true", help="keep configs and logs")
    args = parser.parse_args(argv)
    defaults = {"rounds": 1, "duration": 2, "idle": 200} if args.quick else {"rounds": 3, "duration": 10, "idle": 2000}
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.threads = [int(t) for t in args.threads.split(",") if t.strip()]
    return args


def cpu_layout(threads):
    """Which CPUs the upstream, the load generator and the proxy get for N = `threads`.

    With enough cores everything is separate; on a 2-core machine the proxy gets the last N
    cores and the upstream and load generator share core 0 (CPU per request is read per process,
    so it stays comparable; requests/s is then a shared-machine figure)."""
    available = sorted(os.sched_getaffinity(0))
    if threads > len(available):
        return None
    if len(available) >= threads + 2:
        return {"upstream": [available[0]], "load": [available[1]], "proxy": available[2:2 + threads]}
    return {"upstream": [available[0]], "load": [available[0]], "proxy": available[-threads:]}


def start_proxies(registry, w, args, threads, layout, upstream_port):
    started = {}
    for name in PROXIES:
        port = free_port()
        log = os.path.join(w.work, f"{name}-{threads}.out")
        env = None
        if name == "gateway":
            conf = configs.proxy_gateway(w, port, upstream_port, threads)
            # MultiThreadedEventLoopGroup.singleton sizes itself from System.coreCount, which
            # ignores taskset; this SwiftNIO variable sets the event-loop count explicitly.
            env = dict(os.environ, NIO_SINGLETON_GROUP_LOOP_COUNT=str(threads))
            argv = [args.gateway, "run", "--config", conf, "--log-level", "warning"]
        elif name == "nginx":
            conf = configs.proxy_nginx(w, port, upstream_port, threads)
            argv = ["nginx", "-e", os.path.join(w.work, f"nginx-{threads}-error.log"), "-c", conf]
        else:
            conf = configs.proxy_haproxy(w, port, upstream_port, threads)
            argv = ["haproxy", "-db", "-f", conf]  # stdout (the access log) goes to `log`
        process = registry.start(name, argv, layout["proxy"], log, env)
        wait_for_port(port, process)
        started[name] = types.SimpleNamespace(process=process, port=port, log=log, conf=conf)
    return started


def verify(proxies, w, results, threads):
    """Functional checks; raises HarnessFailure listing every problem."""
    problems = []
    for name, proxy in proxies.items():
        found = checks.check_identity(name, proxy.port, w, w.expected_dn, w.leaf_der)
        found += checks.check_refusals(proxy.port, w)
        h2, h2_problems = checks.check_http2(proxy.port, w, name, w.expected_dn, w.leaf_der)
        found += h2_problems
        results["checks"].setdefault(name, {})[threads] = {"identity": not found, "http2": h2}
        problems += [f"{name} (N={threads}): {p}" for p in found]
    if problems:
        raise HarnessFailure("\n".join(problems))


def access_log_lines(name, proxy, w, threads):
    path = {"gateway": f"gateway-{threads}-access.log", "nginx": f"nginx-{threads}-access.log"}.get(name)
    path = os.path.join(w.work, path) if path else proxy.log  # HAProxy logs to its stdout file
    with open(path, "rb") as handle:
        return sum(1 for line in handle if line.strip() and (name != "haproxy" or b"mtls" in line))


def measure(proxies, w, args, layout, threads, results):
    settings = types.SimpleNamespace(duration=args.duration, concurrency=args.concurrency,
                                     idle=args.idle, load_cpus=",".join(map(str, layout["load"])))
    served = {name: 0 for name in proxies}
    runs = results["runs"].setdefault(threads, {})
    for mode in ("keepalive", "handshake"):
        for round_index in range(args.rounds):
            for name, proxy in proxies.items():
                tag = f"{name}-{threads}-{mode}-{round_index}"
                url = f"https://127.0.0.1:{proxy.port}/"
                outcome = load.run_ab(proxy.process, url, w, settings, mode == "keepalive", tag)
                runs.setdefault(name, {}).setdefault(mode, []).append(outcome)
                served[name] += outcome["requests"]
                log(f"  N={threads} {mode:9} round {round_index + 1} {name:8} "
                    f"{outcome['rps']:9.0f} req/s  p99 {outcome['p99_ms']:7.2f} ms  "
                    f"{outcome['cpu_ms_per_1000']:7.1f} CPU-ms/1000")
    for name, proxy in proxies.items():
        runs[name]["rest_rss_kib"] = rss_kib(proxy.process.pids())
        runs[name]["idle"] = load.run_idle(proxy.process, proxy.port, w, settings)
        served[name] += args.idle
        log(f"  N={threads} idle      {name:8} {runs[name]['idle']['kib_per_connection']:6.1f} KiB/connection")
    for round_index in range(args.rounds):
        for name, proxy in proxies.items():
            stream = load.run_streams(proxy.process, proxy.port, w, settings, f"{name}-{threads}")
            runs[name].setdefault("stream", []).append(stream)
            log(f"  N={threads} stream    round {round_index + 1} {name:8} "
                f"down {stream['download_mib_s']:4.0f} MiB/s, up {stream['upload_mib_s']:4.0f} MiB/s")
    # Still correct after the load (e.g. no identity mix-up between pooled connections).
    for name, proxy in proxies.items():
        problems = checks.check_identity(name, proxy.port, w, w.expected_dn, w.leaf_der)
        if problems:
            raise HarnessFailure(f"{name} (N={threads}) after load: " + "; ".join(problems))
    return served


def estimated_minutes(args, thread_counts):
    """Rough wall time, printed up front so a long run is never a surprise."""
    ab_runs = len(thread_counts) * 2 * args.rounds * len(PROXIES)
    per_proxy = args.idle * 0.005 + args.rounds * args.stream_mib / 100 + 3
    seconds = ab_runs * (args.duration + 1) + len(thread_counts) * len(PROXIES) * per_proxy
    return seconds / 60


def log(message):
    print(message, flush=True)


def run(args):
    results = {"settings": vars(args).copy(), "checks": {}, "runs": {}, "layout": {},
               "access_log": {}, "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
               "loadavg_before": report.loadavg(),
               # Read now, right after run.sh built the binaries: the tree may change during the run.
               "versions": report.versions(REPO)}
    registry = ProcessRegistry()
    started = time.monotonic()

    def on_signal(signum, _frame):
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    problem = raise_descriptor_limit()
    if problem:
        log(f"FAILED: {problem}")
        return 1
    w = prepare_workdir(args)
    log(f"work directory {w.work}")
    try:
        thread_counts = [n for n in args.threads if cpu_layout(n) is not None]
        skipped = sorted(set(args.threads) - set(thread_counts))
        if skipped:
            log(f"skipping N={skipped}: more than the {len(os.sched_getaffinity(0))} CPUs available")
        if not thread_counts:
            raise HarnessFailure(f"no thread count in {args.threads} fits the available CPUs")
        log(f"estimated wall time: {estimated_minutes(args, thread_counts):.0f} min")
        upstream_port = free_port()
        upstream = registry.start("upstream", ["nginx", "-e", os.path.join(w.work, "upstream-error.log"),
                                               "-c", configs.upstream_nginx(w, upstream_port)],
                                  cpu_layout(thread_counts[0])["upstream"],
                                  os.path.join(w.work, "upstream.out"))
        wait_for_port(upstream_port, upstream)
        for threads in thread_counts:
            layout = cpu_layout(threads)
            results["layout"][threads] = layout
            log(f"N={threads}: proxies on CPUs {layout['proxy']}, upstream {layout['upstream']}, "
                f"load generator {layout['load']}")
            proxies = start_proxies(registry, w, args, threads, layout, upstream_port)
            verify(proxies, w, results, threads)
            for name, proxy in proxies.items():
                results["runs"].setdefault(threads, {}).setdefault(name, {})["start_rss_kib"] = \
                    rss_kib(proxy.process.pids())
            log(f"N={threads}: all proxies verified clients and forwarded the verified identity")
            served = measure(proxies, w, args, layout, threads, results)
            for name, proxy in proxies.items():
                registry.stop(proxy.process)  # SIGTERM: the gateway drains and flushes its log
                results["access_log"].setdefault(name, {})[threads] = {
                    "lines": access_log_lines(name, proxy, w, threads), "requests": served[name]}
        results["loadavg_after"] = report.loadavg()
        results["elapsed_s"] = time.monotonic() - started
        report.write_results(args.results, results, w)
        log(f"wrote {args.results}")
        return 0
    except (HarnessFailure, StartError, load.LoadError) as failure:
        log(f"FAILED: {failure}\n(logs and configs kept in {w.work})")
        args.keep_workdir = True
        return 1
    except KeyboardInterrupt:
        log("interrupted: stopping every process the harness started")
        return 130
    finally:
        registry.stop_all()
        if not args.keep_workdir:
            shutil.rmtree(w.work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(run(parse_arguments(sys.argv[1:])))
