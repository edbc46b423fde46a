#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""recvtty.py SOCKET OUTPUT [INPUT]

The receiving end of --console-socket, for the terminal tests: listen on the
unix socket SOCKET, take the pty master that husk sends with SCM_RIGHTS
(one connection), write INPUT to it if given, and copy everything the
container writes to the file OUTPUT until the container closes its side.
OUTPUT.name gets the name that came with the fd. Exits 0, or 1 with a
message when no fd arrived.
"""
import os
import socket
import sys


def main():
    if len(sys.argv) not in (3, 4):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path, out_path = sys.argv[1], sys.argv[2]
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(path + ".tmp")
    srv.listen(1)
    # the test waits for SOCKET: it appears only once we listen
    os.rename(path + ".tmp", path)
    conn, _ = srv.accept()
    msg, fds, _, _ = socket.recv_fds(conn, 4096, 4)
    conn.close()
    srv.close()
    if len(fds) != 1:
        print("recvtty: expected one fd, got %d" % len(fds), file=sys.stderr)
        return 1
    with open(out_path + ".name", "wb") as f:
        f.write(msg)
    master = fds[0]
    if len(sys.argv) == 4:
        os.write(master, sys.argv[3].encode())
    with open(out_path, "wb", buffering=0) as out:
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # EIO: every slave fd is closed
                break
            if not data:
                break
            out.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
