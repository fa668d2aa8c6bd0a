#!/bin/sh
# Builds oxvirt, then manages domains with oxvirt's virsh through a session
# daemon that the client itself starts: no daemon runs beforehand.
#
#   tools/virsh/session-demo.sh            (release build)
#   tools/virsh/session-demo.sh --debug    (debug build, faster to compile)
#
# Session mode is for unprivileged users, so when run as root the clients run
# as `nobody`, in a private $XDG_RUNTIME_DIR and $HOME that are removed at
# the end. The domain lives in the test driver (test:///default).
set -eu
cd "$(dirname "$0")/../.."

profile=release
flag=--release
if [ "${1:-}" = "--debug" ]; then
    profile=debug
    flag=
fi
cargo build $flag -p oxvirt-libvirtd -p oxvirt-virsh -p oxvirt-virt-admin
bin="${CARGO_TARGET_DIR:-$PWD/target}/$profile"
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac

session=$(mktemp -d /tmp/oxvirt-session-demo.XXXXXX)
mkdir -p "$session/run" "$session/home"
chmod 700 "$session/run"
cat > "$session/demo.xml" <<'XML'
<domain type='test'>
  <name>demo</name>
  <memory unit='MiB'>256</memory>
  <vcpu>2</vcpu>
  <os>
    <type>hvm</type>
  </os>
</domain>
XML
as_user=""
if [ "$(id -u)" = 0 ]; then
    chown -R 65534:65534 "$session"
    as_user="setpriv --reuid=65534 --regid=65534 --clear-groups --"
fi
user() {
    $as_user env -i PATH=/usr/bin:/bin HOME="$session/home" \
        XDG_RUNTIME_DIR="$session/run" "$@"
}
cleanup() {
    if [ -f "$session/run/libvirt/libvirtd.pid" ]; then
        kill "$(cat "$session/run/libvirt/libvirtd.pid")" 2>/dev/null || true
    fi
    rm -rf "$session"
}
trap cleanup EXIT

echo "== no daemon is running; virsh starts one for this user session"
script="uri; version; define $session/demo.xml; start demo; list --all; dominfo demo"
script="$script; suspend demo; domstate --reason demo; resume demo; destroy demo; undefine demo; list --all"
echo "\$ virsh -c test+unix:///default '$script'"
user "$bin/virsh" -c test+unix:///default "$script"

pid=$(cat "$session/run/libvirt/libvirtd.pid")
echo "== the session daemon: pid $pid, $(tr '\0' ' ' < /proc/"$pid"/cmdline)"
echo "\$ virt-admin -c libvirtd:///session 'srv-list; srv-clients-info libvirtd'"
user "$bin/virt-admin" -c libvirtd:///session 'srv-list; srv-clients-info libvirtd'
