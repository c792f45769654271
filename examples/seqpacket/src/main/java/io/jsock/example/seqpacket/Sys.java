package io.jsock.example.seqpacket;

import io.jsock.Errno;
import io.jsock.SocketError;
import io.jsock.UnixAddress;
import jnr.ffi.LibraryLoader;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The Linux system calls this provider makes, their constants, the layout of
 * {@code struct sockaddr_un}, and the one place where an errno becomes a {@link SocketError}.
 */
final class Sys {
    static final int AF_UNIX = 1;
    static final int SOCK_SEQPACKET = 5;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;

    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_NOSIGNAL = 0x4000;

    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;

    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_PASSCRED = 16;
    static final int SO_PEERCRED = 17;

    static final int EINTR = 4;
    static final int EAGAIN = 11;

    /** {@code struct msghdr} on 64-bit Linux: name, namelen, iov, iovlen, control, controllen, flags. */
    static final int MSGHDR_SIZE = 56;
    static final int MSG_NAME = 0;
    static final int MSG_NAMELEN = 8;
    static final int MSG_IOV = 16;
    static final int MSG_IOVLEN = 24;
    /** {@code struct iovec}: base, len. */
    static final int IOVEC_SIZE = 16;

    /** {@code sizeof(struct sockaddr_un)}: a 2-byte family and 108 bytes of {@code sun_path}. */
    static final int SOCKADDR_UN_SIZE = 110;

    private Sys() {
    }

    /**
     * libc's socket calls. Buffers and structs are passed as native addresses ({@code long}) of
     * direct buffers the caller owns, so a call allocates nothing on the Java heap.
     */
    public interface LibC {
        int socket(int domain, int type, int protocol);

        int socketpair(int domain, int type, int protocol, @Out int[] sv);

        int bind(int fd, @intptr_t long addr, int addrlen);

        int listen(int fd, int backlog);

        int accept4(int fd, @intptr_t long addr, @intptr_t long addrlen, int flags);

        int connect(int fd, @intptr_t long addr, int addrlen);

        @ssize_t long send(int fd, @intptr_t long buf, @size_t long len, int flags);

        @ssize_t long recv(int fd, @intptr_t long buf, @size_t long len, int flags);

        // sendto/recvfrom are reached through sendmsg/recvmsg: jnr-ffi 2.2.17's x86-64 stub compiler
        // passes six-argument calls wrongly (recvfrom crashed the JVM, sendto got garbled arguments)
        @ssize_t long sendmsg(int fd, @intptr_t long msghdr, int flags);

        @ssize_t long recvmsg(int fd, @intptr_t long msghdr, int flags);

        int shutdown(int fd, int how);

        int getsockname(int fd, @intptr_t long addr, @intptr_t long addrlen);

        int getpeername(int fd, @intptr_t long addr, @intptr_t long addrlen);

        int getsockopt(int fd, int level, int name, @intptr_t long value, @intptr_t long len);

        int setsockopt(int fd, int level, int name, @intptr_t long value, int len);

        int poll(@intptr_t long fds, @size_t long nfds, int timeoutMillis);

        @ssize_t long write(int fd, @intptr_t long buf, @size_t long count);

        int close(int fd);
    }

    /** Loaded on first use, so that listing providers never touches native code. */
    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
        static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);
    }

    static LibC libc() {
        return Holder.LIBC;
    }

    /** The errno of the calling thread's last call through {@link #libc()}. */
    static int errno() {
        return Holder.RUNTIME.getLastError();
    }

    /** The native address of a direct buffer's first byte (not its position). */
    static long address(ByteBuffer direct) {
        return com.kenai.jffi.MemoryIO.getInstance().getDirectBufferAddress(direct);
    }

    /** A direct buffer in the machine's byte order, as C structs are laid out. */
    static ByteBuffer allocate(int size) {
        return ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
    }

    /** The error of the call that just failed: {@code lastError("connect /tmp/x.sock")}. */
    static SocketError lastError(String operation) {
        return error(errno(), operation);
    }

    /**
     * The one translation from an errno to a {@link SocketError}, message
     * {@code "connect /tmp/x.sock: Connection refused"}. A number jsock has no name for keeps its
     * number in the message rather than being mapped to a wrong one.
     */
    static SocketError error(int errno, String operation) {
        Errno e;
        try {
            e = Errno.of(errno);
        } catch (IllegalArgumentException unnamed) {
            return new SocketError(Errno.EIO, operation + ": errno " + errno + " (jsock has no name for it)", unnamed);
        }
        return SocketError.of(e, operation);
    }

    /**
     * Writes {@code address} as a {@code struct sockaddr_un} at {@code offset} of {@code buf}
     * and returns its length: a path with its terminating NUL, an abstract name without one (its
     * leading NUL is part of {@link UnixAddress#sunPath()}), just the family for the unnamed
     * address (bind then autobinds an abstract name, as Linux does for {@code bind("")}).
     */
    static int putSockaddr(ByteBuffer buf, int offset, UnixAddress address) {
        byte[] path = address.sunPath();
        buf.putShort(offset, (short) AF_UNIX);
        buf.put(offset + 2, path);
        if (address.isUnnamed()) {
            return 2;
        }
        if (address.isAbstract()) {
            return 2 + path.length;
        }
        buf.put(offset + 2 + path.length, (byte) 0);
        return 2 + path.length + 1;
    }

    /**
     * Reads the {@code struct sockaddr_un} of {@code length} bytes at {@code offset}: {@code null}
     * when the kernel gave no address (length 0, Python's {@code None}), the unnamed address
     * when it gave only the family, else a path or an abstract name.
     */
    static UnixAddress getSockaddr(ByteBuffer buf, int offset, int length) {
        if (length <= 0) {
            return null;
        }
        int pathLength = Math.min(length, SOCKADDR_UN_SIZE) - 2;
        if (pathLength <= 0) {
            return UnixAddress.unnamed();
        }
        byte[] path = new byte[pathLength];
        buf.get(offset + 2, path);
        if (path[0] == 0) {
            return UnixAddress.abstractName(new String(path, 1, path.length - 1, StandardCharsets.UTF_8));
        }
        int end = 0;
        while (end < path.length && path[end] != 0) {
            end++;
        }
        return UnixAddress.of(new String(path, 0, end, StandardCharsets.UTF_8));
    }
}
