#!/usr/bin/python3
"""oxvirt benchmark: one workload, run against libvirt's libvirtd and against oxvirt.

Runs under Debian's /usr/bin/python3 with python3-libvirt (stdlib + libvirt only).
Both daemons serve the in-memory test driver; the client reaches them with
test+unix:///default?socket=<socket>.  See bench/README.md for what is measured.

Every libvirt call made by the benchmark runs in a short-lived child process
(its own process group) with a deadline, so a daemon that hangs or crashes costs
a reported error, never a stuck benchmark.  Every daemon the script starts is a
direct child, stopped in a finally block (SIGTERM, then SIGKILL) and reaped.
"""

import argparse
import ctypes
import ctypes.util
import json
import multiprocessing
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import traceback

try:
    import libvirt
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("bench.py needs python3-libvirt; run it with /usr/bin/python3\n")
    sys.exit(2)

MP = multiprocessing.get_context("fork")

# The libvirt client prints every error to stderr by default; failed poll
# connects during start-up would flood the output.
libvirt.registerErrorHandler(lambda _ctx, _err: None, None)

DOMAIN_XML = ("<domain type='test'><name>bench-%d</name><memory>1024</memory>"
              "<os><type>hvm</type></os></domain>")

ALL_CASES = ("rpc", "rpc8", "connect", "define", "list", "server", "rss", "cold")


def log(msg):
    sys.stderr.write("[bench %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


class CaseError(Exception):
    pass


# --------------------------------------------------------------------------
# Running client work in a child process with a deadline
# --------------------------------------------------------------------------

def _case_child(conn, fn, args):
    try:
        os.setpgrp()
    except OSError:
        pass
    try:
        res = fn(*args)
        conn.send(("ok", res))
    except libvirt.libvirtError as e:
        conn.send(("err", "libvirt error: %s" % (e.get_error_message() or e)))
    except CaseError as e:
        conn.send(("err", str(e)))
    except BaseException as e:  # noqa: BLE001 - report anything
        conn.send(("err", "%s: %s" % (type(e).__name__, e)))
    conn.close()


def run_case(fn, args=(), timeout=60.0):
    """Run fn(*args) in a forked child; return its result or raise CaseError."""
    rd, wr = MP.Pipe(duplex=False)
    p = MP.Process(target=_case_child, args=(wr, fn, args))
    p.start()
    wr.close()
    try:
        if not rd.poll(timeout):
            raise CaseError("timed out after %.0f s" % timeout)
        try:
            status, value = rd.recv()
        except EOFError:
            p.join(5)
            raise CaseError("client process died (exit code %s)" % p.exitcode)
        if status != "ok":
            raise CaseError(value)
        return value
    finally:
        rd.close()
        p.join(2)
        if p.is_alive() or p.exitcode is None:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                p.kill()
            p.join(5)
        else:
            # the 8-connection case leaves nothing behind, but be sure
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                pass


# --------------------------------------------------------------------------
# Client workloads (run inside case children)
# --------------------------------------------------------------------------

def w_probe(uri, sock, deadline_s):
    """Poll-connect as fast as possible; return monotonic ns of the first answer."""
    end = time.monotonic() + deadline_s
    last = "socket %s never appeared" % sock
    while time.monotonic() < end:
        if not os.path.exists(sock):
            time.sleep(0.0001)
            continue
        try:
            c = libvirt.open(uri)
        except libvirt.libvirtError as e:
            last = e.get_error_message()
            time.sleep(0.0002)
            continue
        try:
            c.getHostname()
            t = time.monotonic_ns()
        finally:
            c.close()
        return t
    raise CaseError("no answer within %.0f s (%s)" % (deadline_s, last))


def w_rpc(uri, duration, method):
    c = libvirt.open(uri)
    try:
        f = getattr(c, method)
        for _ in range(200):  # warm-up
            f()
        lat = []
        app = lat.append
        clk = time.perf_counter_ns
        t0 = clk()
        end = t0 + int(duration * 1e9)
        b = t0
        while b < end:
            a = clk()
            f()
            b = clk()
            app(b - a)
        elapsed = (b - t0) / 1e9
    finally:
        c.close()
    lat.sort()
    n = len(lat)
    return {
        "calls": n,
        "rate": n / elapsed,
        "p50_us": lat[n // 2] / 1000.0,
        "p99_us": lat[min(n - 1, int(n * 0.99))] / 1000.0,
    }


def _rpc8_worker(uri, duration, method, barrier, q):
    try:
        c = libvirt.open(uri)
        f = getattr(c, method)
        for _ in range(100):
            f()
    except BaseException as e:  # noqa: BLE001
        barrier.abort()
        q.put(("err", str(e)))
        return
    try:
        barrier.wait(30)
        n = 0
        t0 = time.perf_counter()
        end = t0 + duration
        t = t0
        while t < end:
            f()
            n += 1
            t = time.perf_counter()
        q.put(("ok", (n, t - t0)))
    except BaseException as e:  # noqa: BLE001
        q.put(("err", str(e)))
    finally:
        c.close()


def w_rpc8(uri, duration, method, nconn):
    barrier = MP.Barrier(nconn)
    q = MP.Queue()
    procs = [MP.Process(target=_rpc8_worker, args=(uri, duration, method, barrier, q))
             for _ in range(nconn)]
    for p in procs:
        p.start()
    res = [q.get(timeout=60 + duration) for _ in procs]
    for p in procs:
        p.join(10)
    errs = [v for s, v in res if s != "ok"]
    if errs:
        raise CaseError("%d of %d connections failed: %s" % (len(errs), nconn, errs[0]))
    return {
        "calls": sum(n for n, _ in (v for _, v in res)),
        "rate": sum(n / el for n, el in (v for _, v in res)),
    }


def w_connect(uri, duration, max_iter):
    c = libvirt.open(uri)  # warm-up
    c.close()
    n = 0
    t0 = time.perf_counter()
    end = t0 + duration
    t = t0
    while t < end and n < max_iter:
        c = libvirt.open(uri)
        c.close()
        n += 1
        t = time.perf_counter()
    return {"n": n, "rate": n / (t - t0)}


def w_define_undefine(uri, count):
    c = libvirt.open(uri)
    try:
        xmls = [DOMAIN_XML % i for i in range(count)]
        doms = []
        t0 = time.perf_counter()
        for x in xmls:
            doms.append(c.defineXML(x))
        t1 = time.perf_counter()
        for d in doms:
            d.undefine()
        t2 = time.perf_counter()
    finally:
        c.close()
    return {"define_rate": count / (t1 - t0), "undefine_rate": count / (t2 - t1)}


def read_rss_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    raise CaseError("no VmRSS for pid %d" % pid)


def w_list(uri, count, calls, pid):
    """Define `count` domains, read the daemon's RSS, time listAllDomains, clean up.

    One connection holds everything, so the state cannot vanish in between.
    """
    c = libvirt.open(uri)
    try:
        for i in range(count):
            c.defineXML(DOMAIN_XML % i)
        time.sleep(0.2)
        rss = read_rss_mib(pid)
        for _ in range(5):
            doms = c.listAllDomains(0)
        n = len(doms)
        if n < count:
            raise CaseError("listAllDomains returned %d domains, expected >= %d" % (n, count))
        lat = []
        for _ in range(calls):
            a = time.perf_counter_ns()
            c.listAllDomains(0)
            lat.append(time.perf_counter_ns() - a)
        for d in doms:
            if d.name().startswith("bench-"):
                d.undefine()
    finally:
        c.close()
    return {"median_ms": statistics.median(lat) / 1e6, "domains": n, "rss": rss}


def _keeper(conn, uri):
    try:
        c = libvirt.open(uri)
    except BaseException as e:  # noqa: BLE001
        conn.send(("err", str(e)))
        return
    conn.send(("ok", None))
    try:
        conn.recv()  # the parent sends "stop" (the fork also holds the other end: no EOF)
    except (EOFError, OSError):
        pass
    c.close()


class Keeper:
    """One idle connection held open for the whole session.

    libvirt's test:///default keeps its state only while some connection is open:
    when the last one closes, the state is freed and the next open rebuilds the
    default objects.  Without a keeper, connect+close would measure that rebuild
    and domains defined by one case would vanish before the next.
    """

    def __init__(self, uri):
        self.rd, wr = MP.Pipe(duplex=True)
        self.ctl = wr
        self.p = MP.Process(target=_keeper, args=(wr, uri))
        self.p.start()
        if not self.rd.poll(30):
            self.close()
            raise CaseError("keeper connection: timeout")
        status, value = self.rd.recv()
        if status != "ok":
            self.close()
            raise CaseError("keeper connection: %s" % value)

    def close(self):
        try:
            self.rd.send("stop")
        except OSError:
            pass
        self.rd.close()
        self.ctl.close()
        self.p.join(5)
        if self.p.is_alive():
            self.p.kill()
            self.p.join(5)


# --------------------------------------------------------------------------
# Daemons
# --------------------------------------------------------------------------

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18

_libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)


def _enter_private_ns(binds, new_net):
    """In the forked child: private mount (and net) namespace plus bind mounts."""
    flags = CLONE_NEWNS | (CLONE_NEWNET if new_net else 0)
    if _libc.unshare(flags) != 0:
        raise OSError(ctypes.get_errno(), "unshare")
    if _libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        raise OSError(ctypes.get_errno(), "mount --make-rprivate /")
    for src, dst in binds:
        if _libc.mount(src.encode(), dst.encode(), None, MS_BIND, None) != 0:
            raise OSError(ctypes.get_errno(), "bind %s -> %s" % (src, dst))


def namespaces_usable():
    """Can we give libvirtd a private mount namespace?  Checked in a throw-away child."""
    if os.geteuid() != 0:
        return False
    pid = os.fork()
    if pid == 0:
        try:
            _enter_private_ns([], True)
            os._exit(0)
        except BaseException:  # noqa: BLE001
            os._exit(1)
    _, st = os.waitpid(pid, 0)
    return os.WIFEXITED(st) and os.WEXITSTATUS(st) == 0


def _existing_ancestor(path):
    while not os.path.isdir(path):
        path = os.path.dirname(path)
    return path


class Daemon:
    """One daemon under test: how to start it, where it listens, how to stop it."""

    def __init__(self, label, binary, workdir):
        self.label = label
        self.binary = binary
        self.workdir = workdir
        self.proc = None
        self.out = None
        self.notes = []

    # subclasses fill these in
    sock = None
    argv = None
    env = None
    binds = ()
    new_net = False

    @property
    def uri(self):
        return "test+unix:///default?socket=%s" % self.sock

    def prepare(self):
        pass

    def start(self):
        """Spawn; return the monotonic ns just before exec (taken in the child)."""
        if self.proc is not None:
            raise RuntimeError("already running")
        self.out = open(os.path.join(self.workdir, "daemon.out"), "ab")
        rfd, wfd = os.pipe()
        binds, new_net, use_ns = list(self.binds), self.new_net, self.use_ns

        def pre():
            if use_ns:
                _enter_private_ns(binds, new_net)
            os.write(wfd, b"%d" % time.monotonic_ns())

        before = time.monotonic_ns()
        try:
            try:
                self.proc = subprocess.Popen(self.argv, env=self.env, stdin=subprocess.DEVNULL,
                                             stdout=self.out, stderr=subprocess.STDOUT,
                                             preexec_fn=pre, close_fds=True,
                                             start_new_session=True, cwd=self.workdir)
            finally:
                os.close(wfd)
            data = os.read(rfd, 64)
        finally:
            os.close(rfd)
        return int(data) if data else before

    def pid(self):
        return self.proc.pid if self.proc else None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def rss_mib(self):
        return read_rss_mib(self.proc.pid)

    def stop(self):
        """SIGTERM the daemon's process group, SIGKILL after 15 s, reap.

        The daemon leads its own process group (start_new_session), so helpers it
        forked are stopped with it.  The leader is only reaped after the group got
        its final SIGKILL, so the group id cannot have been reused by then.
        """
        if self.proc is None:
            return
        p, self.proc = self.proc, None
        pgid = p.pid

        def exited():
            try:
                return os.waitid(os.P_PID, p.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
            except ChildProcessError:
                return True

        if not exited():
            try:
                os.killpg(pgid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            end = time.monotonic() + 15
            while not exited():
                if time.monotonic() > end:
                    self.notes.append("did not exit within 15 s of SIGTERM; killed")
                    try:
                        os.killpg(pgid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                    end = float("inf")
                time.sleep(0.005)
        try:
            os.killpg(pgid, signal.SIGKILL)  # anything the daemon left in its group
        except (ProcessLookupError, PermissionError):
            pass
        p.wait()
        if self.out:
            self.out.close()
            self.out = None

    def exit_info(self):
        """Describe an early exit: code plus the tail of its output/log."""
        rc = self.proc.poll() if self.proc else None
        tail = ""
        for name in ("daemon.out", "daemon.log"):
            path = os.path.join(self.workdir, name)
            try:
                with open(path, "rb") as f:
                    lines = f.read().decode("utf-8", "replace").strip().splitlines()
                if lines:
                    tail += " | ".join(lines[-3:])
            except OSError:
                pass
        return "exit code %s%s" % (rc, (": " + tail[:400]) if tail else "")


class Libvirtd(Daemon):
    """libvirt's own libvirtd as a peer that never meets the host's daemon.

    * libvirtd.conf in the work dir: unix_sock_dir (sockets under the work dir),
      auth none on both sockets (no polkit, which would need D-Bus), log to a file.
    * -p puts the pid file (libvirtd's single-instance lock) in the work dir, -f the conf.
    * Even with unix_sock_dir set, libvirtd 9.0 as root still creates /run/libvirt and
      writes /run/libvirt/common/system.token, and every stateful driver it loads
      (qemu, network, storage, secret, nodedev, nwfilter, interface) takes
      <rundir>/<driver>/driver.pid locks and creates state under /run/libvirt,
      /var/lib/libvirt, /var/cache/libvirt and reads/writes /etc/libvirt.  A host
      libvirtd (or virtqemud...) would collide on those locks.  So by default it runs
      in a private mount namespace (unshare(CLONE_NEWNS) in the forked child, before
      exec) where the work dir's own directories are bind-mounted over /run,
      /etc/libvirt (a copy of the host's), /var/lib/libvirt, /var/cache/libvirt and
      /var/log/libvirt, and in a private network namespace so the network / nwfilter
      drivers cannot touch host bridges or firewall rules.  With that, all drivers
      initialise normally (about 60 ms here) and nothing outside the work dir changes.
    * drivers="test" (or when namespaces are unavailable): LIBVIRT_DRIVER_DIR points
      at an empty directory.  libvirtd then loads no driver module (missing modules
      are skipped, not fatal) and serves only the built-in test driver, which is all
      the workload needs; only /run/libvirt/common/system.token is left on the host.
    * No systemd needed: without --daemon and without LISTEN_FDS it binds its own
      sockets; with log_outputs set it never asks for journald; no domain is ever
      started, so virtlogd/virtlockd are never contacted.
    """

    def __init__(self, binary, workdir, drivers, use_ns):
        super().__init__("libvirtd", binary, workdir)
        self.use_ns = use_ns
        self.drivers = drivers if use_ns else "test"
        sockdir = os.path.join(workdir, "sock")
        os.makedirs(sockdir, exist_ok=True)
        self.sock = os.path.join(sockdir, "libvirt-sock")
        self.conf = os.path.join(workdir, "libvirtd.conf")
        with open(self.conf, "w") as f:
            f.write('unix_sock_dir = "%s"\n' % sockdir)
            f.write('auth_unix_rw = "none"\n')
            f.write('auth_unix_ro = "none"\n')
            f.write('log_outputs = "3:file:%s"\n' % os.path.join(workdir, "daemon.log"))
        self.argv = [binary, "-f", self.conf, "-p", os.path.join(workdir, "libvirtd.pid")]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("LIBVIRT_", "LISTEN_", "NOTIFY_SOCKET"))}
        if self.drivers == "test":
            empty = os.path.join(workdir, "no-driver-modules")
            os.makedirs(empty, exist_ok=True)
            env["LIBVIRT_DRIVER_DIR"] = empty
        self.env = env
        if use_ns:
            self.new_net = True
            binds = []
            for host, name in (("/run", "run"), ("/etc/libvirt", "etc-libvirt"),
                               ("/var/lib/libvirt", "var-lib-libvirt"),
                               ("/var/cache/libvirt", "var-cache-libvirt"),
                               ("/var/log/libvirt", "var-log-libvirt")):
                src = os.path.join(workdir, "ns", name)
                dst = _existing_ancestor(host)
                if host == "/etc/libvirt" and os.path.isdir(host):
                    if not os.path.exists(src):
                        shutil.copytree(host, src, symlinks=True)
                else:
                    os.makedirs(src, exist_ok=True)
                    if dst != host:  # bind over the nearest existing parent
                        os.makedirs(os.path.join(src, os.path.relpath(host, dst)), exist_ok=True)
                binds.append((src, dst))
            self.binds = binds
        mode = ("all drivers, private mount+net namespace" if self.drivers == "all"
                else "test driver only (LIBVIRT_DRIVER_DIR empty)")
        if use_ns and self.drivers == "test":
            mode += ", private mount+net namespace"
        self.notes.append("libvirtd mode: " + mode)


class Oxvirt(Daemon):
    """oxvirt: `<bin> --root DIR -f DIR/etc/libvirt/<name>.conf`."""

    def __init__(self, binary, workdir, sock_name=None):
        super().__init__("oxvirt", binary, workdir)
        self.use_ns = False
        name = os.path.basename(binary)
        prefix = "libvirt" if name == "libvirtd" else name
        root = os.path.join(workdir, "root")
        confdir = os.path.join(root, "etc", "libvirt")
        os.makedirs(confdir, exist_ok=True)
        self.conf = os.path.join(confdir, "%s.conf" % name)
        with open(self.conf, "w") as f:
            f.write('auth_unix_rw = "none"\n')
            f.write('auth_unix_ro = "none"\n')
            f.write('log_outputs = "3:file:%s"\n' % os.path.join(workdir, "daemon.log"))
        self.sock = os.path.join(root, "run", "libvirt", sock_name or ("%s-sock" % prefix))
        self.argv = [binary, "--root", root, "-f", self.conf]
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("LIBVIRT_", "LISTEN_", "NOTIFY_SOCKET"))}


# --------------------------------------------------------------------------
# Orchestration: both daemons up, every case alternates between them
# --------------------------------------------------------------------------

class Side:
    """Results and state of one target (libvirtd or oxvirt) through the run."""

    def __init__(self, name, daemon=None, fatal=None):
        self.name = name
        self.d = daemon
        self.fatal = fatal          # set when the side cannot run at all
        self.keeper = None
        self.samples = {}           # metric -> list of per-round values
        self.errs = {}              # case -> first error message
        self.info = {}              # extra values for the notes / JSON

    @property
    def usable(self):
        return self.fatal is None and self.d is not None

    def add(self, key, value):
        self.samples.setdefault(key, []).append(value)

    def start_session(self, args, cases):
        d = self.d
        log("%s: starting %s" % (self.name, " ".join(d.argv)))
        try:
            t_exec = d.start()
        except OSError as e:
            self.fatal = "could not start %s: %s" % (d.binary, e)
            return
        try:
            t_ready = run_case(w_probe, (d.uri, d.sock, args.start_timeout), args.start_timeout + 10)
        except CaseError as e:
            self.fatal = ("daemon exited during start-up, " + d.exit_info()) if not d.alive() else str(e)
            d.stop()
            return
        self.info["first_start_ms"] = (t_ready - t_exec) / 1e6
        log("%s: up (pid %d), first answer after %.1f ms" % (self.name, d.pid(), self.info["first_start_ms"]))
        if "rss" in cases:
            time.sleep(0.2)  # right after start + one connection (the probe) closed
            self.add("rss_idle", d.rss_mib())
        try:
            self.keeper = Keeper(d.uri)
        except CaseError as e:
            self.errs["keeper"] = str(e)

    def stop_session(self):
        if self.keeper:
            self.keeper.close()
            self.keeper = None
        if self.d:
            self.d.stop()

    def step(self, key, fn, fargs, timeout):
        """Run one client case against this side; record errors, return result or None."""
        d = self.d
        if key in self.errs:
            return None  # failed before: do not spend time on it again
        if not d.alive():
            self.errs[key] = "daemon is gone, " + d.exit_info()
            return None
        try:
            return run_case(fn, fargs, timeout)
        except CaseError as e:
            msg = str(e)
            if not d.alive():
                msg += " (daemon died: %s)" % d.exit_info()
            self.errs[key] = msg
            log("%s: %s failed: %s" % (self.name, key, msg))
            return None


def run_round(side, args, cases):
    d, dur = side.d, args.duration
    if "rpc" in cases:
        r = side.step("rpc", w_rpc, (d.uri, dur, "getHostname"), dur + 60)
        if r:
            side.add("rpc1_rate", r["rate"])
            side.add("rpc1_p50", r["p50_us"])
            side.add("rpc1_p99", r["p99_us"])
        r = side.step("rpc_libver", w_rpc, (d.uri, dur / 2, "getLibVersion"), dur + 60)
        if r:
            side.add("libver_rate", r["rate"])
    if "rpc8" in cases:
        r = side.step("rpc8", w_rpc8, (d.uri, dur, "getHostname", args.conns), dur + 90)
        if r:
            side.add("rpc8_rate", r["rate"])
    if "connect" in cases:
        r = side.step("connect", w_connect, (d.uri, dur, args.connect_max), dur + 60)
        if r:
            side.add("connect_rate", r["rate"])
    if "define" in cases:
        r = side.step("define", w_define_undefine, (d.uri, args.define_n), 120)
        if r:
            side.add("define_rate", r["define_rate"])
            side.add("undefine_rate", r["undefine_rate"])
    if "list" in cases:
        r = side.step("list", w_list, (d.uri, args.list_n, args.list_calls, d.pid()), 240)
        if r:
            side.add("list_ms", r["median_ms"])
            if "rss" in cases:
                side.add("rss_500", r["rss"])
    if "server" in cases:
        if not os.path.exists(args.rpcbench):
            side.errs.setdefault("server", "%s missing (cargo build --release -p oxvirt-tests --example rpcbench)" % args.rpcbench)
        else:
            r = side.step("server", w_server, (args.rpcbench, d.sock, args.list_n, args.list_calls * 4), 300)
            if r:
                side.add("list_server_us", r["list_p50_us"])
                side.add("host_server_us", r["hostname_p50_us"])


def w_server(rpcbench, sock, domains, calls):
    """The daemon's own cost of listAllDomains, seen by a Rust client (the
    Python client alone needs over a millisecond to build 500 objects)."""
    out = subprocess.run([rpcbench, sock, str(domains), str(calls)], capture_output=True,
                         text=True, timeout=240)
    if out.returncode != 0:
        raise CaseError("rpcbench failed: %s" % (out.stderr.strip() or out.stdout.strip()))
    return json.loads(out.stdout.strip().splitlines()[-1])


def cold_start_once(side, args):
    """Spawn the daemon with a poller already waiting; return ms from exec to answer."""
    d = side.d
    rd, wr = MP.Pipe(duplex=False)
    p = MP.Process(target=_case_child, args=(wr, w_probe, (d.uri, d.sock, args.start_timeout)))
    p.start()
    wr.close()
    try:
        if os.path.exists(d.sock):
            os.unlink(d.sock)  # stale socket left by an unclean exit
        t_exec = d.start()
        if not rd.poll(args.start_timeout + 10):
            raise CaseError("no answer (%s)" % ("timeout" if d.alive() else d.exit_info()))
        status, value = rd.recv()
        if status != "ok":
            raise CaseError(value + ("" if d.alive() else " (" + d.exit_info() + ")"))
        return (value - t_exec) / 1e6
    finally:
        rd.close()
        p.join(2)
        if p.is_alive():
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                p.kill()
            p.join(5)
        d.stop()


def run_benchmark(sides, args, cases):
    live = [s for s in sides if s.usable]
    for s in live:
        s.start_session(args, cases)
        if s.fatal:
            log("%s: FAILED: %s" % (s.name, s.fatal))
    try:
        for rnd in range(args.rounds):
            for s in sides:
                if s.usable and s.d.alive():
                    log("%s: round %d/%d" % (s.name, rnd + 1, args.rounds))
                    run_round(s, args, cases)
    finally:
        for s in sides:
            s.stop_session()
    if "cold" in cases:
        for i in range(args.cold_n):
            for s in sides:
                if not s.usable or "cold" in s.errs:
                    continue
                if i == 0:
                    log("%s: cold start x%d" % (s.name, args.cold_n))
                try:
                    s.add("cold_ms", cold_start_once(s, args))
                except CaseError as e:
                    s.errs["cold"] = "start %d: %s" % (i + 1, e)
                    log("%s: cold start failed: %s" % (s.name, e))


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

# key, label, unit, better, target kind, target value, format, how rounds combine
METRICS = [
    ("rpc1_rate", "getHostname, 1 connection", "calls/s", "higher", "ratio", 3.0, "%.0f", "best"),
    ("rpc1_p50", "  p50 latency, 1 connection", "us", "lower", None, None, "%.0f", "best"),
    ("rpc8_rate", "getHostname, 8 connections (sum)", "calls/s", "higher", "ratio", 3.0, "%.0f", "best"),
    ("libver_rate", "getLibVersion, 1 connection", "calls/s", "higher", "ratio", 3.0, "%.0f", "best"),
    ("connect_rate", "connect + close", "/s", "higher", "ratio", 3.0, "%.0f", "best"),
    ("define_rate", "defineXML (300 domains)", "/s", "higher", "ratio", 3.0, "%.0f", "best"),
    ("undefine_rate", "undefine (300 domains)", "/s", "higher", "ratio", 3.0, "%.0f", "best"),
    ("list_ms", "listAllDomains, 500 domains (median)", "ms", "lower", "ratio", 5.0, "%.2f", "best"),
    ("list_server_us", "listAllDomains, 500, Rust client (median)", "us", "lower", "ratio", 5.0, "%.0f", "best"),
    ("host_server_us", "getHostname, Rust client (median)", "us", "lower", None, None, "%.0f", "best"),
    ("rss_idle", "RSS idle", "MiB", "lower", "ratio", 4.0, "%.1f", "median"),
    ("rss_500", "RSS with 500 domains", "MiB", "lower", None, None, "%.1f", "median"),
    ("cold_ms", "cold start to first answer (median)", "ms", "lower", "abs", 10.0, "%.1f", "median"),
]


# which --cases a metric needs
METRIC_CASES = {
    "rpc1_rate": ("rpc",), "rpc1_p50": ("rpc",), "libver_rate": ("rpc",), "rpc8_rate": ("rpc8",),
    "connect_rate": ("connect",), "define_rate": ("define",), "undefine_rate": ("define",),
    "list_ms": ("list",), "list_server_us": ("server",), "host_server_us": ("server",), "rss_idle": ("rss",), "rss_500": ("rss", "list"), "cold_ms": ("cold",),
}


def combine(samples, better, how):
    if not samples:
        return None
    if how == "median":
        return statistics.median(samples)
    return max(samples) if better == "higher" else min(samples)


def target_text(better, kind, val, unit):
    if kind == "ratio":
        if better == "higher":
            return ">= %gx" % val
        if unit == "MiB":
            return "<= 1/%g" % val
        return "%gx faster" % val
    if kind == "abs":
        return "<= %g %s" % (val, unit)
    return "-"


def summarize(side):
    out = {}
    if side is None:
        return out
    for key, _l, _u, better, _k, _t, _f, how in METRICS:
        v = combine(side.samples.get(key), better, how)
        if v is not None:
            out[key] = v
    return out


def render(sides, args, cases, notes):
    by = {s.name: s for s in sides}
    lv, ox = by.get("libvirtd"), by.get("oxvirt")
    vl, vo = summarize(lv), summarize(ox)

    def missing(side):
        if side is None:
            return "-"
        return "n/a" if side.fatal else "err"

    rows = [("metric", "unit", "libvirtd", "oxvirt", "ox/lv", "gain", "target", "met")]
    for key, label, unit, better, kind, tval, fmt, _how in METRICS:
        if not all(c in cases for c in METRIC_CASES[key]):
            continue
        a, b = vl.get(key), vo.get(key)
        sa = fmt % a if a is not None else missing(lv)
        sb = fmt % b if b is not None else missing(ox)
        ratio = gain = met = "-"
        if a is not None and b is not None and a > 0 and b > 0:
            r = b / a
            ratio = "%.2f" % r
            g = r if better == "higher" else 1.0 / r
            gain = "%.2fx %s" % (g, "better" if g >= 1 else "worse")
            if kind == "ratio":
                met = "yes" if g >= tval else "NO"
        if kind == "abs" and b is not None:
            met = "yes" if b <= tval else "NO"
        rows.append((label, unit, sa, sb, ratio, gain, target_text(better, kind, tval, unit), met))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = ["oxvirt benchmark %s: test:///default, %d round(s) of %.1f s per rate case, best round shown"
           % (time.strftime("%Y-%m-%d %H:%M"), args.rounds, args.duration), ""]
    for j, r in enumerate(rows):
        cells = [r[0].ljust(widths[0]), r[1].ljust(widths[1])]
        cells += [r[i].rjust(widths[i]) for i in range(2, 5)]
        cells += [r[i].ljust(widths[i]) for i in range(5, len(r))]
        out.append("  ".join(cells).rstrip())
        if j == 0:
            out.append("-" * len(out[-1]))
    out.append("")
    out.append("ox/lv = oxvirt value / libvirtd value; gain is direction-aware (rates: higher is")
    out.append("better; latency, memory, start time: lower is better); targets: DESIGN.md section 6.")
    out.append("")
    for s in sides:
        if s.fatal:
            out.append("%s: NOT RUN: %s" % (s.name, s.fatal))
        for k, v in s.errs.items():
            out.append("%s: case %s failed: %s" % (s.name, k, v))
    for s in sides:
        per = []
        for key, _l, _u, _b, _k, _t, fmt, _h in METRICS:
            vals = s.samples.get(key)
            if vals and len(vals) > 1:
                per.append("%s %s" % (key, "/".join(fmt % v for v in vals)))
        if "rpc1_p99" in s.samples:
            per.append("rpc1_p99_us %s" % "/".join("%.0f" % v for v in s.samples["rpc1_p99"]))
        if "first_start_ms" in s.info:
            per.append("first start (fresh dirs) %.1f ms" % s.info["first_start_ms"])
        if per:
            out.append("%s per round: %s" % (s.name, "; ".join(per)))
    for n in notes:
        out.append(n)
    return "\n".join(out)


def machine_line():
    try:
        with open("/proc/cpuinfo") as f:
            model = next((l.split(":", 1)[1].strip() for l in f if l.startswith("model name")), "?")
    except OSError:
        model = "?"
    return "host: %s, %d CPUs, %s, kernel %s; libvirt client %d" % (
        os.uname().nodename, os.cpu_count() or 0, model, os.uname().release, libvirt.getVersion())


def describe_binary(path):
    """'<--version output>, built <mtime>' for the notes; never fails."""
    try:
        out = subprocess.run([path, "--version"], stdin=subprocess.DEVNULL, capture_output=True,
                             timeout=5).stdout.decode("utf-8", "replace").strip().splitlines()
        ver = out[0] if out else "no --version output"
    except (OSError, subprocess.SubprocessError) as e:
        ver = "--version failed: %s" % e
    try:
        built = time.strftime("%Y-%m-%d %H:%M", time.localtime(os.stat(path).st_mtime))
    except OSError:
        built = "?"
    return "%s [%s, file dated %s]" % (path, ver, built)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--oxvirt", default="target/release/libvirtd", help="oxvirt daemon binary")
    ap.add_argument("--oxvirt-sock", default=None,
                    help="socket file name under ROOT/run/libvirt (default from the binary name)")
    ap.add_argument("--libvirtd", default="/usr/sbin/libvirtd", help="libvirt's libvirtd binary")
    ap.add_argument("--only", choices=("libvirtd", "oxvirt"), help="run one side only")
    ap.add_argument("--cases", default=",".join(ALL_CASES),
                    help="comma list of: %s (default all)" % ", ".join(ALL_CASES))
    ap.add_argument("--libvirtd-drivers", choices=("all", "test"), default="all",
                    help="all: every driver module, in a private namespace (default); "
                         "test: no driver modules, built-in test driver only")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the session cases (best is shown)")
    ap.add_argument("--duration", type=float, default=2.0, help="seconds per timed rate case")
    ap.add_argument("--conns", type=int, default=8, help="connections (processes) of the aggregate case")
    ap.add_argument("--connect-max", type=int, default=20000, help="cap on connect+close iterations")
    ap.add_argument("--define-n", type=int, default=300)
    ap.add_argument("--list-n", type=int, default=500)
    ap.add_argument("--list-calls", type=int, default=50)
    ap.add_argument("--cold-n", type=int, default=5)
    ap.add_argument("--rpcbench", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "target", "release", "examples", "rpcbench"),
                    help="the Rust client of the 'server' case")
    ap.add_argument("--start-timeout", type=float, default=20.0)
    ap.add_argument("--out", help="also write the table to this file")
    ap.add_argument("--json", help="write raw results as JSON to this file")
    ap.add_argument("--keep-tmp", action="store_true", help="keep the work directory (logs)")
    args = ap.parse_args()

    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    bad = [c for c in cases if c not in ALL_CASES]
    if bad:
        ap.error("unknown case(s): %s" % ", ".join(bad))

    # SIGTERM/SIGHUP must still run the finally blocks that stop the daemons
    def on_signal(signum, _frame):
        raise KeyboardInterrupt("signal %d" % signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    t_begin = time.monotonic()
    work = tempfile.mkdtemp(prefix="oxvirt-bench-")
    notes = [machine_line()]
    sides = []
    try:
        for name in ("libvirtd", "oxvirt"):
            if args.only not in (None, name):
                continue
            wd = os.path.join(work, name)
            os.makedirs(wd)
            if name == "libvirtd":
                binary = args.libvirtd
                if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
                    sides.append(Side(name, fatal="binary not found: %s" % binary))
                    continue
                use_ns = namespaces_usable()
                if not use_ns:
                    notes.append("libvirtd: no private mount namespace available (not root?): "
                                 "test driver only, so no host state is touched")
                d = Libvirtd(binary, wd, args.libvirtd_drivers, use_ns)
            else:
                binary = os.path.abspath(args.oxvirt)
                if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
                    sides.append(Side(name, fatal="binary not found: %s (build it with: cargo build "
                                      "--release -p oxvirt-libvirtd -p oxvirt-virtqemud)" % binary))
                    log("oxvirt: " + sides[-1].fatal)
                    continue
                d = Oxvirt(binary, wd, args.oxvirt_sock)
            sides.append(Side(name, d))
            notes.append("%s: %s" % (name, describe_binary(binary)))
        try:
            run_benchmark(sides, args, cases)
        except KeyboardInterrupt:
            raise
        except Exception as e:  # noqa: BLE001 - report what we have
            notes.append("bench error: %s" % traceback.format_exc().strip().replace("\n", " | "))
            log("bench error: %s" % e)
    finally:
        for s in sides:
            s.stop_session()
        if args.keep_tmp:
            log("work directory kept: %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)

    for s in sides:
        if s.d:
            notes.extend("%s: %s" % (s.name, n) for n in s.d.notes)
    notes.append("total run time %.0f s" % (time.monotonic() - t_begin))
    table = render(sides, args, cases, notes)
    print(table)
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as f:
            f.write(table + "\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({s.name: {"summary": summarize(s), "samples": s.samples, "info": s.info,
                                "errors": s.errs, "fatal": s.fatal} for s in sides}
                      | {"notes": notes}, f, indent=2)
    lv = [s for s in sides if s.name == "libvirtd"]
    return 1 if (lv and not lv[0].samples) else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt as exc:
        sys.stderr.write("bench.py: interrupted (%s); daemons stopped, work dir removed\n" % (exc or "Ctrl-C"))
        sys.exit(130)
