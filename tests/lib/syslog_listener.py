#!/usr/bin/python3
"""Receive syslog datagrams on a unix socket and append them to a file.

Usage: syslog_listener.py SOCKET OUTFILE
The end-to-end tests bind /dev/log with this when the machine runs no
syslog daemon, so cron's and pam_cronguard's log lines can be read."""
import os
import socket
import sys

sock_path, out_path = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sock_path)
os.chmod(sock_path, 0o666)
with open(out_path, "ab", buffering=0) as out:
    out.write(b"listening\n")
    while True:
        data = s.recv(65536)
        out.write(data.replace(b"\n", b" ") + b"\n")
