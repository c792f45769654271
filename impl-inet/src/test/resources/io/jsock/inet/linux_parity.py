# The Linux answers that jsock's inet provider must give, asked of CPython's socket module on this
# machine. Each scenario prints one line "name=result"; LinuxParityTest runs the same scenario on
# jsock and compares. Results: "ok", an errno number, "empty", "timeout", or a short token.
# Every wait is bounded; no sleep is used to synchronise.
import errno
import select
import socket
import struct
import sys
import time

LIMIT = 5.0
results = {}


def scenario(fn):
    name = fn.__name__.replace("_", "-")
    try:
        results[name] = fn()
    except OSError as e:
        results[name] = "unexpected-" + str(e.errno)
    return fn


def err(call):
    try:
        r = call()
    except socket.timeout:
        return "timeout"
    except OSError as e:
        return str(e.errno)
    if r is None:
        return "ok"
    if isinstance(r, bytes):
        return "empty" if r == b"" else "data"
    return str(r)


def listener(family=socket.AF_INET, backlog=16):
    s = socket.socket(family)
    s.bind(("::1" if family == socket.AF_INET6 else "127.0.0.1", 0))
    s.listen(backlog)
    return s


def pair():
    l = listener()
    c = socket.create_connection(l.getsockname())
    a, _ = l.accept()
    l.close()
    return c, a


def refusing():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    addr = s.getsockname()
    s.close()
    return addr


def until(call, keep):
    deadline = time.monotonic() + LIMIT
    while True:
        r = err(call)
        if r not in keep or time.monotonic() > deadline:
            return r
        select.select([], [], [], 0.005)


def reset_pair():
    c, a = pair()
    a.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    a.close()
    select.select([c], [], [], LIMIT)  # the RST makes c readable
    return c


def full_listener():
    """A listener whose accept queue is full, so that a further connect stays pending."""
    l = listener(backlog=0)
    fillers = []
    for _ in range(8):
        f = socket.socket()
        f.setblocking(False)
        f.connect_ex(l.getsockname())
        fillers.append(f)
    return l, fillers


@scenario
def unbound_sockname_v4():
    with socket.socket() as s:
        return "%s:%d" % s.getsockname()


@scenario
def unbound_sockname_v6():
    with socket.socket(socket.AF_INET6) as s:
        return "[%s]:%d" % s.getsockname()[:2]


@scenario
def listen_unbound_binds_wildcard():
    with socket.socket() as s:
        s.listen()
        host, port = s.getsockname()
        return host + (":free-port" if port > 0 else ":0")


@scenario
def connect_on_listener():
    with listener() as l:
        return err(lambda: l.connect(l.getsockname()))


@scenario
def listen_twice():
    with listener() as l:
        return err(lambda: l.listen(5))


@scenario
def bind_on_listener():
    with listener() as l:
        return err(lambda: l.bind(("127.0.0.1", 0)))


@scenario
def bind_listen_accept_on_connected():
    c, a = pair()
    with c, a:
        return ",".join([err(lambda: c.bind(("127.0.0.1", 0))), err(lambda: c.listen()), err(c.accept)])


@scenario
def recv_zero_unconnected():
    with socket.socket() as s:
        return err(lambda: s.recv(0))


@scenario
def send_empty_unconnected():
    with socket.socket() as s:
        return err(lambda: s.send(b""))


@scenario
def recv_send_on_listener():
    with listener() as l:
        return ",".join([err(lambda: l.recv(1)), err(lambda: l.send(b"x")), err(l.getpeername)])


@scenario
def sendto_connected_ignores_address():
    c, a = pair()
    with c, a:
        return ",".join([err(lambda: c.sendto(b"x", ("127.0.0.1", 9))), err(lambda: a.recv(1))])


@scenario
def recvfrom_connected_has_no_address():
    c, a = pair()
    with c, a:
        c.sendall(b"x")
        data, addr = a.recvfrom(1)
        return "data,%s" % addr


@scenario
def nonblocking_connect_sequence():
    with listener() as l, socket.socket() as c:
        c.setblocking(False)
        first = err(lambda: c.connect(l.getsockname()))
        second = until(lambda: c.connect(l.getsockname()), {"114"})
        third = err(lambda: c.connect(l.getsockname()))
        return ",".join([first, second, third])


@scenario
def nonblocking_connect_refused_sequence():
    addr = refusing()
    with socket.socket() as c:
        c.setblocking(False)
        first = err(lambda: c.connect(addr))
        second = until(lambda: c.connect(addr), {"114"})
        third = err(lambda: c.connect(addr))
        return ",".join([first, second, third])


@scenario
def refused_socket_stays_usable():
    addr = refusing()
    with socket.socket() as c, listener() as l:
        return ",".join([err(lambda: c.connect(addr)), err(lambda: c.connect(addr)), err(lambda: c.connect(l.getsockname()))])


@scenario
def refused_keeps_bound_address():
    addr = refusing()
    with socket.socket() as c:
        c.bind(("127.0.0.1", 0))
        before = c.getsockname()
        e = err(lambda: c.connect(addr))
        return e + "," + ("same" if c.getsockname() == before else "changed")


@scenario
def refused_twice_with_timeout():
    addr = refusing()
    with socket.socket() as c, listener() as l:
        c.bind(("127.0.0.1", 0))
        c.settimeout(30)
        return ",".join([err(lambda: c.connect(addr)), err(lambda: c.connect(addr)), err(lambda: c.connect(l.getsockname()))])


@scenario
def connect_after_timeout_is_already():
    l, fillers = full_listener()
    with l, socket.socket() as c:
        c.settimeout(0.2)
        first = err(lambda: c.connect(l.getsockname()))
        second = err(lambda: c.connect(l.getsockname()))
        c.setblocking(False)
        third = ",".join([err(lambda: c.recv(1)), err(lambda: c.send(b"x")), err(c.getpeername)])
        for f in fillers:
            f.close()
        return ",".join([first, second, third])


@scenario
def recv_after_reset():
    with reset_pair() as c:
        return ",".join([err(lambda: c.recv(1)), err(lambda: c.recv(1)), err(c.getpeername),
                         err(lambda: c.shutdown(socket.SHUT_RDWR))])


@scenario
def send_after_reset():
    with reset_pair() as c:
        return ",".join([err(lambda: c.send(b"x")), err(lambda: c.send(b"x"))])


@scenario
def send_after_peer_close():
    c, a = pair()
    with c:
        a.close()
        return until(lambda: c.send(b"x"), {"1"})


@scenario
def own_shutdowns():
    c, a = pair()
    with c, a:
        c.shutdown(socket.SHUT_WR)
        c.shutdown(socket.SHUT_RD)
        return ",".join([err(lambda: c.send(b"x")), err(lambda: c.recv(1)), err(lambda: c.shutdown(socket.SHUT_WR)),
                         err(lambda: a.recv(1))])


@scenario
def listener_shutdown():
    with listener() as l:
        addr = l.getsockname()
        wr = err(lambda: l.shutdown(socket.SHUT_WR))
        with socket.socket() as x:
            still = str(x.connect_ex(addr))
        rd = err(lambda: l.shutdown(socket.SHUT_RD))
        accept = err(l.accept)
        with socket.socket() as x:
            refused = str(x.connect_ex(addr))
        same = "same" if l.getsockname() == addr else "changed"
        again = err(lambda: l.listen(5))
        with socket.socket() as x:
            back = str(x.connect_ex(l.getsockname()))  # Linux may pick a new port when the first was port 0
        return ",".join([wr, still, rd, accept, refused, same, again, back])


@scenario
def listener_reuseaddr_default():
    with listener() as l:
        return str(l.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR))


@scenario
def accepted_inherits_nodelay():
    with socket.socket() as l:
        l.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        l.bind(("127.0.0.1", 0))
        l.listen()
        with socket.create_connection(l.getsockname()) as c:
            a, _ = l.accept()
            with a:
                return str(a.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))


@scenario
def dual_stack_peer_is_mapped():
    with socket.socket(socket.AF_INET6) as l:
        l.bind(("::", 0))
        l.listen()
        with socket.create_connection(("127.0.0.1", l.getsockname()[1])) as c:
            a, addr = l.accept()
            with a:
                return addr[0] + "," + a.getpeername()[0]


@scenario
def bind_foreign_address():
    with socket.socket() as s:
        return err(lambda: s.bind(("192.0.2.1", 0)))  # TEST-NET-1: no host has it


@scenario
def connect_port_zero():
    with socket.socket() as s:
        return err(lambda: s.connect(("127.0.0.1", 0)))


@scenario
def socketpair_inet():
    return ",".join([err(lambda: socket.socketpair(socket.AF_INET, socket.SOCK_STREAM)),
                     err(lambda: socket.socketpair(socket.AF_INET6, socket.SOCK_STREAM))])


for name, result in results.items():
    print("%s=%s" % (name, result))
sys.stdout.flush()
