#!/bin/sh
# Builds the tiny test guest: Debian's cloud kernel and an initramfs around
# busybox-static whose init prints to the serial console, echoes what it
# reads there, and powers off when the ACPI power button is pressed.
#
#   build.sh OUTDIR     -> OUTDIR/vmlinuz, OUTDIR/initrd.img (kept if present)
#
# Needs apt-get (download only, no install), dpkg-deb and /bin/busybox from
# busybox-static; .ci/run installs busybox-static.
set -eu
out=$1
if [ -s "$out/vmlinuz" ] && [ -s "$out/initrd.img" ]; then exit 0; fi
mkdir -p "$out"
# Absolute, since the build below runs in a work directory.
out=$(cd "$out" && pwd)
work=$(mktemp -d "$out/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
pkg=$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')
apt-get download -q "$pkg" >/dev/null 2>&1 || apt-get download "$pkg"
dpkg-deb -x ./*.deb k
ver=${pkg#linux-image-}
mods=k/lib/modules/$ver/kernel
mkdir -p r/bin r/lib r/proc r/sys r/dev r/tmp
cp /bin/busybox r/bin/busybox
cp "$mods/drivers/acpi/button.ko" "$mods/drivers/input/evdev.ko" r/lib/
cat > r/init <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
insmod /lib/evdev.ko
insmod /lib/button.ko
# The power button is armed a moment after the driver loads; a press before
# that is lost, so "ready" waits for it.
ev=
i=0
while [ $i -lt 100 ]; do
  for h in /sys/class/input/event*; do
    if grep -q "Power Button" "$h/device/name" 2>/dev/null; then ev=/dev/input/${h##*/}; fi
  done
  if [ -n "$ev" ] && grep -q enabled /sys/firmware/acpi/interrupts/ff_pwr_btn 2>/dev/null; then break; fi
  i=$((i + 1)); sleep 0.05
done
(head -c 1 "$ev" > /dev/null; echo "oxvirt-guest: power button" > /dev/ttyS0; poweroff -f) &
echo "oxvirt-guest: ready"
while true; do
  if read -r line < /dev/ttyS0; then echo "oxvirt-guest: got $line" > /dev/ttyS0; fi
done
INIT
chmod 755 r/init
(cd r && find . | /bin/busybox cpio -o -H newc 2>/dev/null) | gzip -9 > initrd.img
cp "k/boot/vmlinuz-$ver" vmlinuz
mv initrd.img "$out/initrd.img.tmp" && mv vmlinuz "$out/vmlinuz.tmp"
mv "$out/initrd.img.tmp" "$out/initrd.img" && mv "$out/vmlinuz.tmp" "$out/vmlinuz"
