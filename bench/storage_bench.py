#!/usr/bin/python3
"""oxvirt storage benchmark: volume streams and volume create/delete, oxvirt vs libvirtd 9.0.

Both daemons serve their real storage driver; the clients reach them with
storage+unix:///system?socket=<socket> and work on a dir pool in the
benchmark's work directory.  Runs under Debian's /usr/bin/python3 with
python3-libvirt, as root (libvirtd runs in a private mount and network
namespace, set up as bench.py does).  See bench/README.md, "Storage".
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (the daemon plumbing is shared)
import libvirt  # noqa: E402

MIB = 1 << 20
GIB = 1 << 30


def log(msg):
    bench.log(msg)


def storage_uri(sock):
    return "storage+unix:///system?socket=%s" % sock


def virsh(uri, *args, timeout=600):
    t0 = time.monotonic()
    p = subprocess.run(["virsh", "-q", "-c", uri] + list(args), capture_output=True,
                       timeout=timeout, stdin=subprocess.DEVNULL)
    dt = time.monotonic() - t0
    if p.returncode != 0:
        raise bench.CaseError("virsh %s: %s" % (" ".join(args),
                                                 p.stderr.decode("utf-8", "replace").strip()))
    return dt


def make_sources(work, size):
    """A sparse image (64 data runs of 256 KiB, the rest holes) and a dense one."""
    sparse = os.path.join(work, "src-sparse.img")
    dense = os.path.join(work, "src-dense.img")
    with open(sparse, "wb") as f:
        f.truncate(size)
        block = bytes((i * 7 + 1) % 251 + 1 for i in range(256 * 1024))
        for k in range(64):
            f.seek(k * (size // 64))
            f.write(block)
    seed = os.urandom(MIB)
    with open(dense, "wb") as f:
        for i in range(size // MIB):
            f.write(i.to_bytes(8, "little") + seed[8:])
    return sparse, dense


def same_content(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        while True:
            x, y = fa.read(4 * MIB), fb.read(4 * MIB)
            if x != y:
                return False
            if not x:
                return True


def w_create_delete(uri, pool, n, fmt):
    """Create n volumes then delete them; returns (creates/s, deletes/s)."""
    c = libvirt.open(uri)
    p = c.storagePoolLookupByName(pool)
    xml = ("<volume><name>b-%s-%%d</name><capacity>1048576</capacity><allocation>0</allocation>"
           "<target><format type='%s'/></target></volume>" % (fmt, fmt))
    vols = []
    t0 = time.monotonic()
    for i in range(n):
        vols.append(p.createXML(xml % i, 0))
    t1 = time.monotonic()
    for v in vols:
        v.delete(0)
    t2 = time.monotonic()
    c.close()
    return n / (t1 - t0), n / (t2 - t1)


class StorageSide:
    def __init__(self, name, daemon, pool_dir):
        self.name = name
        self.d = daemon
        self.pool_dir = pool_dir
        self.samples = {}
        self.errs = []
        self.uri = None

    def add(self, key, value):
        self.samples.setdefault(key, []).append(value)

    def start(self, timeout):
        self.d.start()
        end = time.monotonic() + timeout
        self.uri = storage_uri(self.d.sock)
        while time.monotonic() < end:
            try:
                c = libvirt.open(self.uri)
                c.close()
                break
            except libvirt.libvirtError:
                time.sleep(0.05)
        else:
            raise bench.CaseError("%s did not answer on %s" % (self.name, self.d.sock))
        os.makedirs(self.pool_dir, exist_ok=True)
        virsh(self.uri, "pool-create-as", "bench", "dir", "--target", self.pool_dir)


def transfer_round(side, sparse_src, dense_src, work, size, check):
    u = side.uri
    vol = os.path.join(side.pool_dir, "v")
    for kind, src, sparse in (("sparse", sparse_src, True), ("dense", dense_src, False)):
        virsh(u, "vol-create-as", "bench", "v", str(size), "--allocation", "0")
        flag = ["--sparse"] if sparse else []
        dt = virsh(u, "vol-upload", "--pool", "bench", "v", src, *flag)
        side.add("upload_%s" % kind, size / MIB / dt)
        if check and not same_content(src, vol):
            side.errs.append("upload_%s: volume differs from the source" % kind)
        out = os.path.join(work, "down-%s-%s" % (side.name, kind))
        dt = virsh(u, "vol-download", "--pool", "bench", "v", out, *flag)
        side.add("download_%s" % kind, size / MIB / dt)
        if check and not same_content(src, out):
            side.errs.append("download_%s: file differs from the source" % kind)
        os.unlink(out)
        virsh(u, "vol-delete", "--pool", "bench", "v")


CASES = [
    ("upload_sparse", "vol-upload --sparse, 1 GiB sparse", "MiB/s"),
    ("upload_dense", "vol-upload, 1 GiB dense", "MiB/s"),
    ("download_sparse", "vol-download --sparse, 1 GiB sparse", "MiB/s"),
    ("download_dense", "vol-download, 1 GiB dense", "MiB/s"),
    ("create_raw", "vol create, raw (in-process)", "vols/s"),
    ("delete_raw", "vol delete, raw", "vols/s"),
    ("create_qcow2", "vol create, qcow2 (qemu-img)", "vols/s"),
    ("delete_qcow2", "vol delete, qcow2", "vols/s"),
]


def render(sides, notes):
    by = {s.name: s for s in sides}
    rows = [("metric", "unit", "libvirtd", "oxvirt", "ox/lv")]
    for key, label, unit in CASES:
        vals = []
        for n in ("libvirtd", "oxvirt"):
            s = by.get(n)
            v = max(s.samples[key]) if s and s.samples.get(key) else None
            vals.append(v)
        ratio = "%.2f" % (vals[1] / vals[0]) if all(vals) else "n/a"
        rows.append((label, unit) + tuple("%.1f" % v if v else "n/a" for v in vals) + (ratio,))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    out = []
    for i, r in enumerate(rows):
        out.append("  ".join(c.ljust(widths[j]) if j < 2 else c.rjust(widths[j])
                             for j, c in enumerate(r)))
        if i == 0:
            out.append("  ".join("-" * w for w in widths))
    out.append("")
    out.append("best of the rounds shown (highest rate); every round:")
    for s in sides:
        for key, _, _ in CASES:
            if s.samples.get(key):
                out.append("  %s %s: %s (median %.1f)" % (
                    s.name, key, ", ".join("%.1f" % x for x in s.samples[key]),
                    statistics.median(s.samples[key])))
        for e in s.errs:
            out.append("  %s ERROR: %s" % (s.name, e))
    out.extend("note: %s" % n for n in notes)
    return "\n".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--oxvirt", default="target/release/libvirtd", help="oxvirt daemon binary "
                    "(libvirtd or virtstoraged)")
    ap.add_argument("--libvirtd", default="/usr/sbin/libvirtd")
    ap.add_argument("--only", choices=("libvirtd", "oxvirt"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--size-mib", type=int, default=1024, help="size of the streamed volumes")
    ap.add_argument("--create-n", type=int, default=200, help="raw volumes per create/delete round")
    ap.add_argument("--create-qcow2-n", type=int, default=40)
    ap.add_argument("--workdir", default=None, help="parent of the work directory "
                    "(default: the system temp dir; needs about 5 x size free)")
    ap.add_argument("--start-timeout", type=float, default=30.0)
    ap.add_argument("--out", help="also write the table to this file")
    args = ap.parse_args()

    if os.geteuid() != 0:
        sys.stderr.write("storage_bench.py runs libvirtd in a private namespace: run it as root\n")
        return 2
    size = args.size_mib * MIB
    work = tempfile.mkdtemp(prefix="oxvirt-stbench-", dir=args.workdir)
    notes = [bench.machine_line(), "volumes of %d MiB; page cache not dropped between runs "
             "(both sides alike); oxvirt fsyncs a finished upload, libvirtd does not" % args.size_mib]
    sides = []
    try:
        for name in ("libvirtd", "oxvirt"):
            if args.only not in (None, name):
                continue
            wd = os.path.join(work, name)
            os.makedirs(wd)
            if name == "libvirtd":
                d = bench.Libvirtd(args.libvirtd, wd, "all", bench.namespaces_usable())
                binary = args.libvirtd
            else:
                binary = os.path.abspath(args.oxvirt)
                sock = "virtstoraged-sock" if binary.endswith("virtstoraged") else None
                d = bench.Oxvirt(binary, wd, sock)
            notes.append("%s: %s" % (name, bench.describe_binary(binary)))
            sides.append(StorageSide(name, d, os.path.join(wd, "pool")))
        log("writing the sources (%d MiB sparse, %d MiB dense)" % (args.size_mib, args.size_mib))
        sparse_src, dense_src = make_sources(work, size)
        for s in sides:
            log("starting %s" % s.name)
            s.start(args.start_timeout)
        for r in range(args.rounds):
            for s in sides:
                log("round %d: %s streams" % (r + 1, s.name))
                try:
                    transfer_round(s, sparse_src, dense_src, work, size, check=(r == 0))
                except (bench.CaseError, subprocess.SubprocessError) as e:
                    s.errs.append("round %d streams: %s" % (r + 1, e))
                log("round %d: %s create/delete" % (r + 1, s.name))
                for fmt, n in (("raw", args.create_n), ("qcow2", args.create_qcow2_n)):
                    try:
                        c, d = bench.run_case(w_create_delete, (s.uri, "bench", n, fmt), 300)
                        s.add("create_%s" % fmt, c)
                        s.add("delete_%s" % fmt, d)
                    except bench.CaseError as e:
                        s.errs.append("round %d create/delete %s: %s" % (r + 1, fmt, e))
    finally:
        for s in sides:
            try:
                s.d.stop()
            except Exception as e:  # noqa: BLE001 - keep stopping the rest
                log("stopping %s: %s" % (s.name, e))
        shutil.rmtree(work, ignore_errors=True)
    for s in sides:
        notes.extend("%s: %s" % (s.name, n) for n in s.d.notes)
    table = render(sides, notes)
    print(table)
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as f:
            f.write(table + "\n")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.stderr.write("storage_bench.py: interrupted; daemons stopped, work dir removed\n")
        sys.exit(130)
