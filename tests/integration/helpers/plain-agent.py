#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""plain-agent.py SOCKET STATE ERRNO NR...

A seccomp agent written only from runtime-spec config-linux.md, as a plain
agent (runc's example agent, say) receives: listen on the unix socket SOCKET
(the profile's listenerPath), accept one connection, and take the container
process state with ONE recvmsg of at most 4096 bytes; the seccomp notify fd
must come with it (SCM_RIGHTS) and be the one "fds" names "seccompFd". The
JSON goes to STATE, with "received_fds" (how many fds came) added. Then the
notifications on the fd are answered until the container is gone (the fd
reports a hang-up): the syscall numbers NR... fail with ERRNO, the others
continue (SECCOMP_USER_NOTIF_FLAG_CONTINUE). The socket appears (renamed into place)
only once it accepts connections."""
import array
import fcntl
import json
import os
import select
import socket
import struct
import sys

SECCOMP_IOCTL_NOTIF_RECV = 0xC0502100  # _IOWR('!', 0, struct seccomp_notif)
SECCOMP_IOCTL_NOTIF_SEND = 0xC0182101  # _IOWR('!', 1, struct seccomp_notif_resp)
SECCOMP_USER_NOTIF_FLAG_CONTINUE = 1


def main():
    path, state_path, err = sys.argv[1], sys.argv[2], int(sys.argv[3])
    denied = {int(n) for n in sys.argv[4:]}
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    tmp = path + ".tmp"
    srv.bind(tmp)
    srv.listen(1)
    os.rename(tmp, path)
    conn, _ = srv.accept()
    fds = array.array("i")
    msg, anc, _, _ = conn.recvmsg(4096, socket.CMSG_SPACE(4 * fds.itemsize))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
    conn.close()
    state = json.loads(msg.decode())
    state["received_fds"] = len(fds)
    with open(state_path, "w") as f:
        json.dump(state, f)
    if len(fds) != 1 or state.get("fds") != ["seccompFd"]:
        sys.exit(1)
    fd = fds[0]
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    while True:
        events = poller.poll(30000)
        if not events or any(ev & (select.POLLHUP | select.POLLERR) for _, ev in events):
            return  # the container is gone (or nothing came for 30 s)
        req = bytearray(80)  # struct seccomp_notif
        try:
            fcntl.ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, req, True)
        except OSError:
            continue
        nid, _, _, nr = struct.unpack_from("=QIIi", req, 0)  # id, pid, flags, data.nr
        if nr in denied:
            resp = struct.pack("=QqiI", nid, 0, -err, 0)  # struct seccomp_notif_resp
        else:
            resp = struct.pack("=QqiI", nid, 0, 0, SECCOMP_USER_NOTIF_FLAG_CONTINUE)
        try:
            fcntl.ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, bytearray(resp), True)
        except OSError:
            pass  # the process went away


main()
