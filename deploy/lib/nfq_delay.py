"""nfq_delay.py QUEUE DELAY_MS: holds every packet that iptables sends to NFQUEUE number QUEUE for DELAY_MS, then lets
it go, in arrival order. A stand-in for `tc qdisc ... netem delay`, which this kind of kernel lacks
(CONFIG_NET_SCH_NETEM unset: "Error: Specified qdisc kind is unknown.").

Python's standard library only: it speaks the kernel's nfnetlink_queue protocol over a raw netlink socket, so nothing
is compiled or installed (no libnetfilter_queue, no gcc). Queues belong to a network namespace: run it in the
namespace whose rule queues the packets (`ip netns exec NS python3 nfq_delay.py 1 20`), and give the rule
`--queue-bypass`, so that packets pass undelayed, not dropped, while no delayer is reading.

Queue arriving packets (INPUT), not leaving ones (OUTPUT): a packet held on its way out still counts against its
socket's TCP small-queue budget, so the sender stops after a few packets per delay (measured: 0.2 MB/s at 25 ms);
held on arrival it is no longer the sender's (75 MB/s at 25 ms).

Why it keeps up: every packet is delayed by the same amount, so packets fall due in the order they came, which is the
order of their ids; one batch verdict (NFQNL_MSG_VERDICT_BATCH) lets go of every packet up to an id at once.
Prints "nfq_delay: queue Q, D ms" on stderr once bound; exits 1 with the kernel's error if it cannot bind.
"""
import collections
import os
import re
import select
import signal
import socket
import struct
import sys
import time

NETLINK_NETFILTER = 12
NFNL_SUBSYS_QUEUE = 3
NFQNL_MSG_PACKET, NFQNL_MSG_VERDICT_BATCH, NFQNL_MSG_CONFIG = 0, 3, 2
NFQA_PACKET_HDR, NFQA_VERDICT_HDR = 1, 2
NFQA_CFG_CMD, NFQA_CFG_PARAMS, NFQA_CFG_QUEUE_MAXLEN = 1, 2, 3
NFQNL_CFG_CMD_BIND = 1
NFQNL_COPY_META = 1
NF_ACCEPT = 1
NLM_F_REQUEST, NLM_F_ACK = 1, 4
NLMSG_ERROR = 2
SOL_NETLINK, NETLINK_NO_ENOBUFS = 270, 5
QUEUE_MAXLEN = 65536


def attribute(kind, payload):
    """One netlink attribute: length and type in host order, the payload padded to 4 bytes."""
    size = 4 + len(payload)
    return struct.pack("=HH", size, kind) + payload + b"\0" * (-size % 4)


def message(msg_type, queue, attributes, flags=NLM_F_REQUEST):
    """A netlink message to the queue subsystem: nlmsghdr, nfgenmsg (its resource id is the queue, big-endian)."""
    body = struct.pack("=BBH", socket.AF_UNSPEC, 0, socket.htons(queue)) + b"".join(attributes)
    return struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_QUEUE << 8) | msg_type, flags, 0, 0) + body


def configure(sock, queue, attributes):
    """Sends one config message and waits for its acknowledgement; raises OSError with the kernel's errno."""
    sock.send(message(NFQNL_MSG_CONFIG, queue, attributes, NLM_F_REQUEST | NLM_F_ACK))
    while True:
        data = sock.recv(65536)
        for kind, payload in messages(data):
            if kind == NLMSG_ERROR:
                errno = -struct.unpack_from("=i", payload)[0]
                if errno:
                    raise OSError(errno, os.strerror(errno))
                return


def messages(data):
    """(type, payload) of every netlink message in one datagram."""
    offset = 0
    while offset + 16 <= len(data):
        size, kind = struct.unpack_from("=IH", data, offset)
        if size < 16:
            break
        yield kind, data[offset + 16:offset + size]
        offset += (size + 3) & ~3


def packet_id(payload):
    """The packet id of an NFQNL_MSG_PACKET payload (after its nfgenmsg), or None."""
    offset = 4
    while offset + 4 <= len(payload):
        size, kind = struct.unpack_from("=HH", payload, offset)
        if size < 4:
            return None
        if kind & 0x7FFF == NFQA_PACKET_HDR:
            return struct.unpack_from("!I", payload, offset + 4)[0]
        offset += (size + 3) & ~3
    return None


def main():
    if len(sys.argv) != 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) > 65535 \
            or not re.fullmatch(r"[0-9]{1,5}(\.[0-9]+)?", sys.argv[2]):
        sys.stderr.write("usage: nfq_delay.py QUEUE DELAY_MS   (QUEUE 0..65535, DELAY_MS e.g. 10 or 12.5)\n")
        return 2
    queue, delay = int(sys.argv[1]), float(sys.argv[2]) / 1000.0
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
    sock.bind((0, 0))
    try:  # a deep receive buffer, and no ENOBUFS error when it overflows anyway (the kernel then drops: TCP resends)
        sock.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)  # SO_RCVBUFFORCE (root)
    except OSError:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    sock.setsockopt(SOL_NETLINK, NETLINK_NO_ENOBUFS, 1)
    try:
        configure(sock, queue, [attribute(NFQA_CFG_CMD, struct.pack("!BBH", NFQNL_CFG_CMD_BIND, 0, 0))])
        configure(sock, queue, [attribute(NFQA_CFG_PARAMS, struct.pack("!IB", 0, NFQNL_COPY_META)),
                                attribute(NFQA_CFG_QUEUE_MAXLEN, struct.pack("!I", QUEUE_MAXLEN))])
    except OSError as e:
        sys.stderr.write(f"nfq_delay: cannot bind NFQUEUE {queue}: {e}\n")
        return 1
    sys.stderr.write(f"nfq_delay: queue {queue}, {sys.argv[2]} ms\n")
    sys.stderr.flush()
    held = collections.deque()  # (due, id) of every packet not yet let go, in arrival order
    newest = [None]  # the id of the newest packet seen
    sock.setblocking(False)
    try:
        delay_packets(sock, queue, delay, held, newest)
    except Stopped:
        # Let go of everything at once: a packet still queued when the socket closes is dropped, and TCP would then
        # wait a retransmission timeout for it. A verdict for an id already let go is harmless.
        if newest[0] is not None:
            release(sock, queue, newest[0])
    return 0


class Stopped(Exception):
    pass


def stop(*_):
    raise Stopped()


def release(sock, queue, last):
    """Accepts every queued packet whose id is at most ``last``."""
    verdict = struct.pack("!II", NF_ACCEPT, last)
    try:
        sock.send(message(NFQNL_MSG_VERDICT_BATCH, queue, [attribute(NFQA_VERDICT_HDR, verdict)]))
    except OSError as e:  # ENOENT: nothing left with such an id
        if e.errno != 2:
            raise


def delay_packets(sock, queue, delay, held, newest):
    while True:
        now = time.monotonic()
        last = None
        while held and held[0][0] <= now:
            last = held.popleft()[1]
        if last is not None:
            release(sock, queue, last)
        timeout = max(held[0][0] - now, 0) if held else None
        ready, _, _ = select.select([sock], [], [], timeout)
        if not ready:
            continue
        arrived = time.monotonic()
        while True:
            try:
                data = sock.recv(65536)
            except BlockingIOError:
                break
            for kind, payload in messages(data):
                if kind & 0xFF == NFQNL_MSG_PACKET:
                    pid = packet_id(payload)
                    if pid is not None:
                        held.append((arrived + delay, pid))
                        newest[0] = pid


if __name__ == "__main__":
    sys.exit(main())
