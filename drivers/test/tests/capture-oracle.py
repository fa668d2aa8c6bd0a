#!/usr/bin/python3
"""Regenerates tests/data/xml/*.expected from libvirt's own test driver.

Run on a host with libvirt 9.0 and python3-libvirt: each input is defined on
test:///default; the expected file holds XMLDesc(0) or 'ERR code domain' and
the message.
"""
import glob, os, sys
import libvirt

libvirt.registerErrorHandler(lambda *a: None, None)
here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "xml")
c = libvirt.open("test:///default")
for path in sorted(glob.glob(os.path.join(here, "*.xml"))):
    text = open(path).read()
    out = path[:-4] + ".expected"
    try:
        d = c.defineXML(text)
        res = d.XMLDesc(0)
        d.undefine()
    except libvirt.libvirtError as e:
        res = "ERR %d %d\n%s\n" % (e.get_error_code(), e.get_error_domain(), e.get_error_message())
    open(out, "w").write(res)
