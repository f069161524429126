"""Process management and /proc accounting for the benchmark harness.

Every server the harness starts gets its own session (process group), so stopping it means
signalling exactly that group by its id: nginx's master and workers go together, nothing the
harness did not start is touched.
"""

import os
import signal
import socket
import subprocess
import time

# Clock ticks per second for utime/stime in /proc/PID/stat (100 on every Linux we target).
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    """A currently free loopback TCP port (the kernel picks it; no fixed ports)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StartError(Exception):
    """A server did not come up."""


def wait_for_port(port, process, timeout=20.0):
    """Polls until something accepts on 127.0.0.1:port; fails early if `process` died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.proc.poll() is not None:
            raise StartError(f"{process.name} exited with {process.proc.returncode} before listening "
                             f"(see {process.log_path})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise StartError(f"{process.name}: nothing listens on 127.0.0.1:{port} after {timeout}s")


class ManagedProcess:
    """One server started by the harness, pinned to `cpus`, in its own process group."""

    def __init__(self, name, argv, cpus, log_path, env=None):
        self.name = name
        self.log_path = log_path
        # taskset execs the server, so the pid we get is the server's own.
        full = ["taskset", "-c", ",".join(str(c) for c in cpus)] + list(argv)
        self.log_file = open(log_path, "ab")
        self.proc = subprocess.Popen(
            full,
            stdin=subprocess.DEVNULL,
            stdout=self.log_file,
            stderr=self.log_file,
            env=env,
            start_new_session=True,
        )

    @property
    def pid(self):
        return self.proc.pid

    def pids(self):
        """The leader and every process in its group (nginx master + workers)."""
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            stat = _read_stat(int(entry))
            if stat is not None and stat["pgrp"] == self.pid:
                found.append(int(entry))
        return found or [self.pid]

    def stop(self, timeout=15.0):
        """SIGTERM to the group (graceful drain flushes access logs), SIGKILL if it lingers."""
        if self.proc.poll() is None:
            try:
                os.killpg(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=5)
        # Workers may outlive a killed master for a moment; they are in the same group.
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.log_file.close()


class ProcessRegistry:
    """Everything started, so one `stop_all` (from a finally block or a signal) cleans up."""

    def __init__(self):
        self.processes = []

    def start(self, name, argv, cpus, log_path, env=None):
        process = ManagedProcess(name, argv, cpus, log_path, env)
        self.processes.append(process)
        return process

    def stop(self, process):
        process.stop()
        if process in self.processes:
            self.processes.remove(process)

    def stop_all(self):
        while self.processes:
            self.stop(self.processes[-1])


def _read_stat(pid):
    try:
        with open(f"/proc/{pid}/stat") as handle:
            raw = handle.read()
    except OSError:
        return None
    # The command name may contain spaces and parentheses: split after the last ')'.
    fields = raw[raw.rfind(")") + 2:].split()
    # fields[0] is field 3 (state); utime/stime are fields 14/15, pgrp is field 5.
    return {"pgrp": int(fields[2]), "utime": int(fields[11]), "stime": int(fields[12])}


def cpu_seconds(pids):
    """utime + stime of `pids` (all threads of each), in seconds."""
    total = 0
    for pid in pids:
        stat = _read_stat(pid)
        if stat is not None:
            total += stat["utime"] + stat["stime"]
    return total / CLOCK_TICKS


def _status_kib(pid, field):
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kib(pids):
    """Current resident set size summed over `pids` (VmRSS), KiB."""
    return sum(_status_kib(pid, "VmRSS") for pid in pids)


def peak_rss_kib(pids):
    """Peak resident set size summed over `pids` (VmHWM), KiB."""
    return sum(_status_kib(pid, "VmHWM") for pid in pids)


def reset_peak_rss(pids):
    """Resets VmHWM to the current RSS (Linux >= 4.0: write 5 to clear_refs), so the next
    peak belongs to the phase being measured and not to an earlier one."""
    for pid in pids:
        try:
            with open(f"/proc/{pid}/clear_refs", "w") as handle:
                handle.write("5")
        except OSError:
            pass
