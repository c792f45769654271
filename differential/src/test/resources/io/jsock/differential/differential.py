# The CPython half of jsock's differential test. Reads call sequences from stdin, one a line, runs
# each on CPython's socket module and prints one line of outcome tokens; the Java half (JsockRun)
# runs the same sequence on jsock and the tests compare the two lines. Keep the two in step: the
# vocabulary, the harness and the tokens are described once, in JsockRun.java.
#
# A line is "KIND OP OP ...", KIND one of tcp4 tcp6 udp4 udp6 unix_stream unix_dgram; "quit" or the
# end of stdin ends the script. The reply is one token per op, separated by spaces.
import os
import random
import shutil
import signal
import socket
import struct
import sys
import tempfile

TIMEOUT = 0.05   # settimeout's value, and the timeout of the harness's own connects
WATCHDOG = 0.6   # an op still running after this is "blocked", and the sequence ends there

KINDS = {
    "tcp4": (socket.AF_INET, socket.SOCK_STREAM),
    "tcp6": (socket.AF_INET6, socket.SOCK_STREAM),
    "udp4": (socket.AF_INET, socket.SOCK_DGRAM),
    "udp6": (socket.AF_INET6, socket.SOCK_DGRAM),
    "unix_stream": (socket.AF_UNIX, socket.SOCK_STREAM),
    "unix_dgram": (socket.AF_UNIX, socket.SOCK_DGRAM),
}
HOSTS = {"0.0.0.0": "any", "::": "any", "127.0.0.1": "lo", "::1": "lo", "::ffff:127.0.0.1": "lo4"}


class Blocked(Exception):
    pass


def alarm(signum, frame):
    raise Blocked()


signal.signal(signal.SIGALRM, alarm)


class NoPeer(Exception):
    """A peer op with nothing to act on: the token "none"."""


class NoName(Exception):
    """A harness op aimed at A when A has no name to aim at (closed, or an unnamed AF_UNIX socket)."""


def free_port(family, loopback):
    """A UDP port outside Linux's ephemeral range that nothing has bound: a port that refuses."""
    while True:
        port = random.randrange(20000, 32000)
        probe = socket.socket(family, socket.SOCK_DGRAM)
        try:
            probe.bind((loopback, port))
            return port
        except OSError:
            continue
        finally:
            probe.close()


class Run:
    def __init__(self, kind, directory):
        self.family, self.type = KINDS[kind]
        self.stream = self.type == socket.SOCK_STREAM
        self.unix = self.family == socket.AF_UNIX
        self.loopback = "::1" if self.family == socket.AF_INET6 else "127.0.0.1"
        self.wildcard = "::" if self.family == socket.AF_INET6 else "0.0.0.0"
        self.dir = directory
        self.paths = 0
        self.names = {}
        self.owned = []
        self.peer = None
        self.last_accepted = None
        self.b = self.open()
        self.b.bind(self.path("b") if self.unix else (self.loopback, 0))
        if self.stream:
            self.b.listen(8)
        self.b.setblocking(False)
        self.b_addr = self.b.getsockname()
        if self.unix:
            r = self.open()
            r.bind(self.path("r"))
            self.r_addr = r.getsockname()
            r.close()  # the socket file stays: connecting to it is refused
        elif self.stream:
            r = self.open()  # bound and never listening: refuses connections, and its port is busy
            r.bind((self.loopback, 0))
            self.r_addr = r.getsockname()
        else:
            self.r_addr = (self.loopback, free_port(self.family, self.loopback))
        if self.unix:
            self.names[self.b_addr] = "B"
            self.names[self.r_addr] = "R"
        else:
            self.names[self.b_addr[1]] = "pB"
            self.names[self.r_addr[1]] = "pR"
            self.names[0] = "0"
        self.a = self.open()
        self.a.settimeout(TIMEOUT)

    def open(self):
        s = socket.socket(self.family, self.type)
        self.owned.append(s)
        return s

    def path(self, name):
        return os.path.join(self.dir, name)

    def close(self):
        for s in self.owned:
            s.close()

    # ---- names as tokens ------------------------------------------------------------------

    def norm(self, addr):
        if addr is None:
            return "None"
        if self.unix:
            if addr == "" or addr == b"":
                return "unnamed"
            if isinstance(addr, bytes):
                return self.number(addr, "abs")
            if addr in self.names:
                return self.names[addr]
            if os.path.dirname(addr) == self.dir:
                return os.path.basename(addr)
            return "path"
        host = HOSTS.get(addr[0], addr[0])
        return host + ":" + self.number(addr[1], "p")

    def number(self, key, prefix):
        if key not in self.names:
            self.names[key] = prefix + str(sum(1 for v in self.names.values() if v.startswith(prefix) and v[len(prefix):].isdigit()) + 1)
        return self.names[key]

    def target(self, name):
        if name == "B":
            return self.b_addr
        if name == "R":
            return self.r_addr
        if name == "self":
            return self.a.getsockname()
        if name == "lo0":
            if self.unix:
                self.paths += 1
                return self.path("a%d" % self.paths)
            return (self.loopback, 0)
        if name == "any0":
            return "" if self.unix else (self.wildcard, 0)
        raise ValueError("target " + name)

    def a_name(self):
        try:
            name = self.a.getsockname()
        except OSError:
            raise NoName()
        if self.unix and name in ("", b""):
            raise NoName()
        return name

    # ---- the ops --------------------------------------------------------------------------

    def op(self, text):
        parts = text.split(":")
        name, args = parts[0], parts[1:]
        a = self.a
        if name == "socket":
            a.close()
            self.a = self.open()
            self.a.settimeout(TIMEOUT)
            return None
        if name == "close":
            return a.close()
        if name == "bind":
            return a.bind(self.target(args[0]))
        if name == "listen":
            return a.listen(int(args[0]))
        if name == "connect":
            return a.connect(self.target(args[0]))
        if name == "connect_ex":
            return str(a.connect_ex(self.target(args[0])))
        if name == "accept":
            conn, addr = a.accept()
            self.owned.append(conn)
            self.last_accepted = conn
            return "ok:" + self.norm(addr)
        if name == "accepted":
            if self.last_accepted is None:
                raise NoPeer()
            self.a, self.last_accepted = self.last_accepted, None
            return None
        if name == "send":
            return "ok:%d" % a.send(b"x" * int(args[0]))
        if name == "sendall":
            return a.sendall(b"x" * int(args[0]))
        if name == "sendto":
            return "ok:%d" % a.sendto(b"x" * int(args[0]), self.target(args[1]))
        if name == "recv":
            return "ok:%d" % len(a.recv(int(args[0])))
        if name == "recv_into":
            return "ok:%d" % a.recv_into(bytearray(int(args[0])))
        if name == "recvfrom":
            data, addr = a.recvfrom(int(args[0]))
            return "ok:%d,%s" % (len(data), self.norm(addr))
        if name == "shutdown":
            return a.shutdown({"RD": socket.SHUT_RD, "WR": socket.SHUT_WR, "RDWR": socket.SHUT_RDWR}[args[0]])
        if name == "setblocking":
            return a.setblocking(args[0] == "1")
        if name == "settimeout":
            return a.settimeout(TIMEOUT)
        if name == "getsockname":
            return "ok:" + self.norm(a.getsockname())
        if name == "getpeername":
            return "ok:" + self.norm(a.getpeername())
        if name.startswith("peer_"):
            return self.peer_op(name[5:], args)
        raise ValueError("op " + text)

    def peer_op(self, name, args):
        if not self.stream:
            if name == "send":
                return "ok:%d" % self.b.sendto(b"y" * int(args[0]), self.a_name())
            if name == "recv":
                data, addr = self.b.recvfrom(65536)
                return "ok:%d,%s" % (len(data), self.norm(addr))
            raise ValueError("peer op " + name)
        if name == "connect":
            target = self.a_name()
            c = self.open()
            c.settimeout(TIMEOUT)
            return c.connect(target)
        if name == "accept":
            conn, addr = self.b.accept()
            conn.setblocking(False)
            self.owned.append(conn)
            self.peer = conn
            return "ok:" + self.norm(addr)
        if self.peer is None:
            raise NoPeer()
        if name == "send":
            return "ok:%d" % self.peer.send(b"y" * int(args[0]))
        if name == "recv":
            return "ok:%d" % len(self.peer.recv(65536))
        if name == "close":
            self.peer.close()
            self.peer = None
            return None
        if name == "reset":
            self.peer.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.peer.close()
            self.peer = None
            return None
        raise ValueError("peer op " + name)


def token(run, op):
    """The outcome of one op; raises Blocked when the watchdog went off."""
    signal.setitimer(signal.ITIMER_REAL, WATCHDOG)
    try:
        result = run.op(op)
    except Blocked:
        raise
    except NoPeer:
        return "none"
    except NoName:
        return "noname"
    except OSError as e:
        if e.errno is None and isinstance(e, TimeoutError):
            return "timeout"
        return str(e.errno)
    except (ValueError, TypeError, OverflowError):
        return "invalid"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return "ok" if result is None else result


def run_line(line, base, count):
    words = line.split()
    directory = os.path.join(base, "s%d" % count)
    os.mkdir(directory)
    run = Run(words[0], directory)
    tokens = []
    try:
        for op in words[1:]:
            try:
                tokens.append(token(run, op))
            except Blocked:
                tokens.append("blocked")
                break
    finally:
        run.close()
        shutil.rmtree(directory, ignore_errors=True)
    return " ".join(tokens)


def main():
    base = tempfile.mkdtemp(prefix="jsock-diff-py-")
    try:
        count = 0
        for line in sys.stdin:
            line = line.strip()
            if line == "quit":
                break
            if not line:
                continue
            count += 1
            print(run_line(line, base, count), flush=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)


main()
