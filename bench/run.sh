#!/bin/sh
# Build oxvirt (release) and run the benchmark against oxvirt and libvirt's libvirtd.
#
#   bench/run.sh                      build, then full run (about 1 minute)
#   bench/run.sh --no-build           skip cargo
#   bench/run.sh --only libvirtd      any further options go to bench/bench.py
#   bench/run.sh --cases rpc,cold --rounds 1
#
# The table is printed and written to bench/results/latest.txt (raw numbers in
# latest.json); bench/results/ is git-ignored.  Needs root for libvirtd's private
# namespace; installs nothing.
set -u
cd "$(dirname "$0")/.." || exit 2

build=1
if [ "${1:-}" = "--no-build" ]; then
    build=0
    shift
fi

if [ "$build" = 1 ]; then
    if command -v cargo >/dev/null 2>&1; then
        if ! { cargo build --release -p oxvirt-libvirtd -p oxvirt-virtqemud && cargo build --release -p oxvirt-tests --example rpcbench; }; then
            echo "run.sh: cargo build failed; benchmarking whatever target/release/libvirtd exists (if any)" >&2
        fi
    else
        echo "run.sh: cargo not found; skipping the build" >&2
    fi
fi

mkdir -p bench/results
exec /usr/bin/python3 bench/bench.py \
    --oxvirt target/release/libvirtd \
    --libvirtd /usr/sbin/libvirtd \
    --out bench/results/latest.txt \
    --json bench/results/latest.json \
    "$@"
