#!/usr/bin/python3
"""Domain start and destroy latency: oxvirt's QEMU driver, libvirt's libvirtd 9.0
and a bare QEMU started by hand, in one run, reported as ratios.

Runs under Debian's /usr/bin/python3 with python3-libvirt, as root (libvirtd runs
in a private mount and network namespace, see bench.py's Libvirtd).  Installs
nothing; starts and stops every process itself.  See bench/README.md
("QEMU start and destroy").

    /usr/bin/python3 bench/qemu_bench.py [--rounds 10] [--oxvirt target/release/virtqemud]
"""

import argparse
import json
import os
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the daemon wrappers and the namespace set-up)
import libvirt  # noqa: E402

QEMU = "/usr/bin/qemu-system-x86_64"


def kvm_usable():
    try:
        fd = os.open("/dev/kvm", os.O_RDWR)
        os.close(fd)
        return True
    except OSError:
        return False


KVM = kvm_usable()

# The same guest everywhere: q35, qemu64 (host-passthrough fails under nested
# KVM), 64 MiB, one vCPU, no disk, no NIC.
DOMAIN_XML = (
    "<domain type='%s'><name>qbench</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
    "<os><type arch='x86_64' machine='q35'>hvm</type></os>"
    "<cpu mode='custom' match='exact' check='none'><model>qemu64</model></cpu></domain>"
    % ("kvm" if KVM else "qemu"))


class Timeout(Exception):
    pass


def _alarm(_sig, _frame):
    raise Timeout()


def with_deadline(secs, fn, *args):
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(secs)
    try:
        return fn(*args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# --------------------------------------------------------------------------
# A bare QEMU, started by hand
# --------------------------------------------------------------------------

class Qmp:
    def __init__(self, path, deadline):
        end = time.monotonic() + deadline
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX)
                self.s.connect(path)
                break
            except OSError:
                self.s.close()
                if time.monotonic() > end:
                    raise
                time.sleep(0.0005)
        self.f = self.s.makefile("rwb", buffering=0)
        self.f.readline()  # greeting

    def cmd(self, name):
        self.s.sendall(json.dumps({"execute": name}).encode() + b"\r\n")
        while True:
            line = self.f.readline()
            if not line:
                return None
            msg = json.loads(line)
            if "return" in msg or "error" in msg:
                return msg

    def close(self):
        self.s.close()


def bare_round(workdir):
    """Spawn → running (QMP cont answered), then quit → exited (reaped)."""
    sock = os.path.join(workdir, "bare-qmp.sock")
    try:
        os.unlink(sock)
    except FileNotFoundError:
        pass
    argv = [QEMU, "-name", "guest=bare", "-S",
            "-machine", "q35,accel=%s" % ("kvm" if KVM else "tcg"),
            "-cpu", "qemu64", "-m", "64", "-smp", "1", "-display", "none",
            "-no-user-config", "-nodefaults", "-no-shutdown",
            "-qmp", "unix:%s,server=on,wait=off" % sock]
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        q = Qmp(sock, 30)
        q.cmd("qmp_capabilities")
        q.cmd("cont")
        start = time.perf_counter() - t0
        time.sleep(0.2)
        t1 = time.perf_counter()
        q.s.sendall(b'{"execute": "quit"}\r\n')
        p.wait(30)
        destroy = time.perf_counter() - t1
        q.close()
        return start, destroy
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def same_argv_from_log(log_path, workdir):
    """The environment and argv oxvirt last started QEMU with, read back from
    the domain log, with the monitor on a path instead of an inherited fd
    and the master key in a scratch file: the same guest, by hand."""
    with open(log_path) as f:
        text = f.read()
    block = text[text.rfind("starting up"):].split("\n", 1)[1]
    lines = []
    for line in block.split("\n"):
        lines.append(line)
        if not line.endswith("\\"):
            break
    words = shlex.split(" ".join(l[:-1] if l.endswith("\\") else l for l in lines))
    env, argv = {}, []
    for w in words:
        if not argv and re.match(r"^[A-Z_]+=", w):
            k, v = w.split("=", 1)
            env[k] = v
        else:
            argv.append(w)
    key = os.path.join(workdir, "bare-master-key.aes")
    with open(key, "wb") as f:
        f.write(os.urandom(32))
    home = os.path.join(workdir, "bare-home")
    os.makedirs(home, exist_ok=True)
    for k in list(env):
        if k in ("HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
            env[k] = home
    out = []
    for a in argv:
        a = re.sub(r"socket,id=charmonitor,fd=\d+", "socket,id=charmonitor,path=@SOCK@", a)
        a = re.sub(r'"file":"[^"]*master-key\.aes"', '"file":"%s"' % key, a)
        out.append(a)
    return env, out


def bare_same_round(workdir, env, argv):
    """oxvirt's own command line started by hand: spawn → `cont` answered,
    then SIGTERM (what destroy sends) → reaped."""
    sock = os.path.join(workdir, "same-qmp.sock")
    try:
        os.unlink(sock)
    except FileNotFoundError:
        pass
    argv = [a.replace("@SOCK@", sock) for a in argv]
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True, cwd="/")
    try:
        q = Qmp(sock, 30)
        q.cmd("qmp_capabilities")
        q.cmd("cont")
        start = time.perf_counter() - t0
        time.sleep(0.2)
        t1 = time.perf_counter()
        p.terminate()
        p.wait(30)
        destroy = time.perf_counter() - t1
        q.close()
        return start, destroy
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


# --------------------------------------------------------------------------
# A libvirt daemon: create (start a defined domain) and destroy
# --------------------------------------------------------------------------

class DomainBench:
    def __init__(self, uri):
        self.conn = with_deadline(30, libvirt.open, uri)
        try:
            old = self.conn.lookupByName("qbench")
            if old.isActive():
                old.destroy()
            old.undefine()
        except libvirt.libvirtError:
            pass
        self.dom = with_deadline(60, self.conn.defineXML, DOMAIN_XML)
        # Warm-up: capabilities probe, caches, first-use costs.
        with_deadline(120, self.dom.create)
        with_deadline(60, self.dom.destroy)

    def round(self):
        t0 = time.perf_counter()
        with_deadline(60, self.dom.create)
        start = time.perf_counter() - t0
        time.sleep(0.2)
        t1 = time.perf_counter()
        with_deadline(60, self.dom.destroy)
        destroy = time.perf_counter() - t1
        return start, destroy

    def close(self):
        try:
            if self.dom.isActive():
                self.dom.destroy()
            self.dom.undefine()
        except libvirt.libvirtError:
            pass
        self.conn.close()


def libvirtd_qemu_conf(d):
    """qemu.conf for the libvirtd peer: QEMU output to a file (no virtlogd),
    run as root, no labelling, no per-VM namespace or cgroups, as oxvirt runs."""
    etc = [src for src, dst in d.binds if src.endswith("etc-libvirt")]
    if not etc:
        return
    with open(os.path.join(etc[0], "qemu.conf"), "w") as f:
        f.write('stdio_handler = "file"\n')
        f.write('user = "root"\ngroup = "root"\n')
        f.write('dynamic_ownership = 0\n')
        f.write('remember_owner = 0\n')
        f.write('security_driver = "none"\n')
        f.write('namespaces = [ ]\n')
        f.write('cgroup_controllers = [ ]\n')


def median_ms(xs):
    return statistics.median(xs) * 1000.0 if xs else None


def fmt(v):
    return "n/a" if v is None else "%.1f" % v


def ratio(a, b):
    return "n/a" if a is None or b in (None, 0) else "%.2f" % (a / b)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--oxvirt", default="target/release/virtqemud")
    ap.add_argument("--libvirtd", default="/usr/sbin/libvirtd")
    ap.add_argument("--out", default="bench/results/qemu_latest.txt")
    ap.add_argument("--json", default="bench/results/qemu_latest.json")
    args = ap.parse_args()
    libvirt.registerErrorHandler(lambda _c, _e: None, None)
    if not os.path.exists(QEMU):
        sys.exit("qemu_bench.py: %s is not installed" % QEMU)

    work = tempfile.mkdtemp(prefix="oxvirt-qemu-bench-")
    results = {"bare": ([], []), "same": ([], []), "libvirtd": ([], []), "oxvirt": ([], [])}
    notes = ["guest: %s, q35, qemu64, 64 MiB, 1 vCPU, no devices; %d rounds, medians"
             % ("KVM" if KVM else "TCG", args.rounds)]
    daemons, benches = [], {}
    try:
        os.makedirs(os.path.join(work, "ox"))
        ox = bench.Oxvirt(os.path.abspath(args.oxvirt), os.path.join(work, "ox"))
        daemons.append(ox)
        if bench.namespaces_usable() and os.path.exists(args.libvirtd):
            os.makedirs(os.path.join(work, "lv"))
            lv = bench.Libvirtd(args.libvirtd, os.path.join(work, "lv"), "all", True)
            libvirtd_qemu_conf(lv)
            daemons.append(lv)
        else:
            lv = None
            notes.append("libvirtd skipped: needs root (private namespaces) and %s" % args.libvirtd)
        for d in daemons:
            d.start()
            end = time.monotonic() + 30
            while not os.path.exists(d.sock) and time.monotonic() < end:
                time.sleep(0.01)
            if not d.alive():
                raise RuntimeError("%s exited: %s" % (d.label, d.exit_info()))
        benches["oxvirt"] = DomainBench("qemu+unix:///system?socket=%s" % ox.sock)
        if lv is not None:
            try:
                benches["libvirtd"] = DomainBench("qemu+unix:///system?socket=%s" % lv.sock)
            except (libvirt.libvirtError, Timeout) as e:
                notes.append("libvirtd could not run the guest: %s" % e)
        same = same_argv_from_log(
            os.path.join(ox.workdir, "root", "var", "log", "libvirt", "qemu", "qbench.log"), work)
        bare_round(work)  # warm-up
        bare_same_round(work, *same)
        for r in range(args.rounds):
            s, d = bare_round(work)
            results["bare"][0].append(s)
            results["bare"][1].append(d)
            s, d = bare_same_round(work, *same)
            results["same"][0].append(s)
            results["same"][1].append(d)
            for name, b in benches.items():
                s, d = b.round()
                results[name][0].append(s)
                results[name][1].append(d)
            bench.log("round %d/%d done" % (r + 1, args.rounds))
        for b in benches.values():
            b.close()
    finally:
        for d in daemons:
            d.stop()

    med = {k: (median_ms(v[0]), median_ms(v[1])) for k, v in results.items()}
    bs, bd = med["bare"]
    ss, sd = med["same"]
    ls, ld = med["libvirtd"]
    os_, od = med["oxvirt"]
    row = "%-8s %9s %9s %9s %9s %8s %8s %8s   %s"
    lines = [
        "QEMU domain start and destroy latency (ms, median)",
        "",
        row % ("", "bare", "same", "libvirtd", "oxvirt", "ox/bare", "ox/same", "ox/lv", "target"),
        row % ("start", fmt(bs), fmt(ss), fmt(ls), fmt(os_), ratio(os_, bs), ratio(os_, ss),
               ratio(os_, ls), "ox/bare <= 1.5: %s" % (
                   "met" if os_ and bs and os_ / bs <= 1.5 else "NOT met")),
        row % ("destroy", fmt(bd), fmt(sd), fmt(ld), fmt(od), ratio(od, bd), ratio(od, sd),
               ratio(od, ld), "oxvirt <= 50 ms: %s" % (
                   "met" if od is not None and od <= 50 else "NOT met")),
        "",
        "bare: a minimal QEMU by hand (-S, q35, qemu64, 64 MiB, QMP on a path); start = spawn",
        "  to `cont` answered, destroy = `quit` to reaped.",
        "same: oxvirt's own command line and environment for the guest (from its domain log)",
        "  by hand; start = spawn to `cont` answered, destroy = SIGTERM to reaped.",
        "libvirtd, oxvirt: virDomainCreate returned (running) / virDomainDestroy returned.",
    ] + notes
    text = "\n".join(lines) + "\n"
    sys.stdout.write(text)
    if args.out:
        os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
        with open(args.out, "w") as f:
            f.write(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"raw_seconds": results, "median_ms": med, "notes": notes}, f, indent=1)


if __name__ == "__main__":
    main()
