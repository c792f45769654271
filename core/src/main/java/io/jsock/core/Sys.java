package io.jsock.core;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;

/**
 * One static method per system call, as socket2 has: the result when the call succeeds, and
 * {@code -errno} when it fails, never an errno read from text. Memory goes in as a {@link Mem} (or
 * a caller's direct buffer, with the {@link DirectAddress} that knows its address) and an offset,
 * never as a bare address, and stays reachable until the call has returned.
 */
final class Sys {
    /** The system property that forces a backend: {@value}. */
    static final String BACKEND_PROPERTY = "jsock.backend";

    private static final Backend B = load();

    private Sys() {
    }

    private static Backend load() {
        String wanted = System.getProperty(BACKEND_PROPERTY, "jffi");
        if (!wanted.equals("jffi")) {
            throw new IllegalStateException("-D" + BACKEND_PROPERTY + "=" + wanted + ": this build has the backend jffi only");
        }
        return new JffiBackend();
    }

    /** The backend in use: "jffi" or "ffm". */
    static String backend() {
        return B.name();
    }

    static long address(ByteBuffer direct) {
        return B.address(direct);
    }

    static int socket(int domain, int type, int protocol) {
        return B.socket(domain, type, protocol);
    }

    /** socketpair(2); the two descriptors land as ints at {@code out[0]} and {@code out[4]}. */
    static int socketpair(int domain, int type, int protocol, Mem out) {
        try {
            return B.socketpair(domain, type, protocol, out.address);
        } finally {
            Reference.reachabilityFence(out);
        }
    }

    static int bind(int fd, Mem addr, int offset, int len) {
        try {
            return B.bind(fd, addr.address + offset, len);
        } finally {
            Reference.reachabilityFence(addr);
        }
    }

    static int connect(int fd, Mem addr, int offset, int len) {
        try {
            return B.connect(fd, addr.address + offset, len);
        } finally {
            Reference.reachabilityFence(addr);
        }
    }

    static int listen(int fd, int backlog) {
        return B.listen(fd, backlog);
    }

    /** accept4(2): the peer's sockaddr at {@code addr}, its length (in and out) at {@code lenOffset}. */
    static int accept4(int fd, Mem mem, int addrOffset, int lenOffset, int flags) {
        try {
            return B.accept4(fd, mem.address + addrOffset, mem.address + lenOffset, flags);
        } finally {
            Reference.reachabilityFence(mem);
        }
    }

    static long recv(int fd, Mem buf, int offset, int len, int flags) {
        try {
            return B.recv(fd, buf.address + offset, len, flags);
        } finally {
            Reference.reachabilityFence(buf);
        }
    }

    static long recv(int fd, ByteBuffer direct, DirectAddress known, int offset, int len, int flags) {
        try {
            return B.recv(fd, known.of(direct) + offset, len, flags);
        } finally {
            Reference.reachabilityFence(direct);
        }
    }

    static long send(int fd, Mem buf, int offset, int len, int flags) {
        try {
            return B.send(fd, buf.address + offset, len, flags);
        } finally {
            Reference.reachabilityFence(buf);
        }
    }

    static long send(int fd, ByteBuffer direct, DirectAddress known, int offset, int len, int flags) {
        try {
            return B.send(fd, known.of(direct) + offset, len, flags);
        } finally {
            Reference.reachabilityFence(direct);
        }
    }

    static long recvfrom(int fd, Mem buf, int offset, int len, int flags, Mem addr, int addrOffset, int lenOffset) {
        try {
            return B.recvfrom(fd, buf.address + offset, len, flags, addr.address + addrOffset, addr.address + lenOffset);
        } finally {
            Reference.reachabilityFence(buf);
            Reference.reachabilityFence(addr);
        }
    }

    static long recvfrom(int fd, ByteBuffer direct, DirectAddress known, int offset, int len, int flags, Mem addr, int addrOffset,
            int lenOffset) {
        try {
            return B.recvfrom(fd, known.of(direct) + offset, len, flags, addr.address + addrOffset, addr.address + lenOffset);
        } finally {
            Reference.reachabilityFence(direct);
            Reference.reachabilityFence(addr);
        }
    }

    static long sendto(int fd, Mem buf, int offset, int len, int flags, Mem addr, int addrOffset, int addrLen) {
        try {
            return B.sendto(fd, buf.address + offset, len, flags, addr.address + addrOffset, addrLen);
        } finally {
            Reference.reachabilityFence(buf);
            Reference.reachabilityFence(addr);
        }
    }

    static long sendto(int fd, ByteBuffer direct, DirectAddress known, int offset, int len, int flags, Mem addr, int addrOffset,
            int addrLen) {
        try {
            return B.sendto(fd, known.of(direct) + offset, len, flags, addr.address + addrOffset, addrLen);
        } finally {
            Reference.reachabilityFence(direct);
            Reference.reachabilityFence(addr);
        }
    }

    static int shutdown(int fd, int how) {
        return B.shutdown(fd, how);
    }

    /** getsockopt(2): the value at {@code valueOffset}, its length (in and out) at {@code lenOffset}. */
    static int getsockopt(int fd, int level, int name, Mem mem, int valueOffset, int lenOffset) {
        try {
            return B.getsockopt(fd, level, name, mem.address + valueOffset, mem.address + lenOffset);
        } finally {
            Reference.reachabilityFence(mem);
        }
    }

    static int setsockopt(int fd, int level, int name, Mem mem, int valueOffset, int len) {
        try {
            return B.setsockopt(fd, level, name, mem.address + valueOffset, len);
        } finally {
            Reference.reachabilityFence(mem);
        }
    }

    static int getsockname(int fd, Mem mem, int addrOffset, int lenOffset) {
        try {
            return B.getsockname(fd, mem.address + addrOffset, mem.address + lenOffset);
        } finally {
            Reference.reachabilityFence(mem);
        }
    }

    static int getpeername(int fd, Mem mem, int addrOffset, int lenOffset) {
        try {
            return B.getpeername(fd, mem.address + addrOffset, mem.address + lenOffset);
        } finally {
            Reference.reachabilityFence(mem);
        }
    }

    static int close(int fd) {
        return B.close(fd);
    }

    static int fcntl(int fd, int cmd, int arg) {
        return B.fcntl(fd, cmd, arg);
    }

    /** ioctl(2) whose argument is an int-sized out parameter at {@code offset}, as FIONREAD's is. */
    static int ioctl(int fd, long request, Mem mem, int offset) {
        try {
            return B.ioctl(fd, request, mem.address + offset);
        } finally {
            Reference.reachabilityFence(mem);
        }
    }

    static int poll(Mem fds, int offset, int nfds, int timeoutMillis) {
        try {
            return B.poll(fds.address + offset, nfds, timeoutMillis);
        } finally {
            Reference.reachabilityFence(fds);
        }
    }

    static int epollCreate1(int flags) {
        return B.epollCreate1(flags);
    }

    static int epollCtl(int epfd, int op, int fd, Mem event, int offset) {
        try {
            return B.epollCtl(epfd, op, fd, event.address + offset);
        } finally {
            Reference.reachabilityFence(event);
        }
    }

    static int epollWait(int epfd, Mem events, int maxEvents, int timeoutMillis) {
        try {
            return B.epollWait(epfd, events.address, maxEvents, timeoutMillis);
        } finally {
            Reference.reachabilityFence(events);
        }
    }

    static int eventfd(int initval, int flags) {
        return B.eventfd(initval, flags);
    }

    static long read(int fd, Mem buf, int offset, int len) {
        try {
            return B.read(fd, buf.address + offset, len);
        } finally {
            Reference.reachabilityFence(buf);
        }
    }

    static long write(int fd, Mem buf, int offset, int len) {
        try {
            return B.write(fd, buf.address + offset, len);
        } finally {
            Reference.reachabilityFence(buf);
        }
    }
}
