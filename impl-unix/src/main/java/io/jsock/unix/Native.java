package io.jsock.unix;

import com.kenai.jffi.CallContext;
import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.Library;
import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Type;

import java.nio.Buffer;

/**
 * The libc socket calls of Linux, through jffi (the FFI core under jnr-unixsocket). Each method is
 * the system call of its name; a negative result means failure and {@link #errno()} says why.
 * Only primitives cross the boundary, so a call allocates nothing on the Java heap.
 *
 * <p>Why not jnr-unixsocket's channels: they report failures as {@code IOException} messages (no
 * errno to match exactly), their datagram {@code connect} never calls connect(2), and close does
 * not wake a blocked call; a socket here is only a descriptor and these calls.
 */
final class Native {
    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_TYPE = 3;
    static final int SO_KEEPALIVE = 9;
    static final int SO_LINGER = 13;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_PASSCRED = 16;
    static final int SO_PEERCRED = 17;
    static final int SO_SNDTIMEO = 21;
    static final int MSG_DONTWAIT = 0x40;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    static final int O_NONBLOCK = 0x800;
    static final short POLLIN = 0x1;
    static final short POLLOUT = 0x4;
    static final int SHUT_RDWR = 2;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    /** {@code offsetof(struct sockaddr_un, sun_path)}. */
    static final int SUN_PATH_OFFSET = 2;
    /** {@code sizeof(struct sockaddr_un)}. */
    static final int SOCKADDR_UN_SIZE = 110;

    private static final Invoker INVOKER = Invoker.getInstance();
    private static final MemoryIO MEMORY = MemoryIO.getInstance();
    private static final LastError LAST_ERROR = LastError.getInstance();

    private static final Function SOCKET = function("socket", Type.SINT32, Type.SINT32, Type.SINT32, Type.SINT32);
    private static final Function SOCKETPAIR = function("socketpair", Type.SINT32, Type.SINT32, Type.SINT32, Type.SINT32, Type.POINTER);
    private static final Function BIND = function("bind", Type.SINT32, Type.SINT32, Type.POINTER, Type.UINT32);
    private static final Function CONNECT = function("connect", Type.SINT32, Type.SINT32, Type.POINTER, Type.UINT32);
    private static final Function LISTEN = function("listen", Type.SINT32, Type.SINT32, Type.SINT32);
    private static final Function ACCEPT4 = function("accept4", Type.SINT32, Type.SINT32, Type.POINTER, Type.POINTER, Type.SINT32);
    private static final Function RECV = function("recv", Type.SINT64, Type.SINT32, Type.POINTER, Type.UINT64, Type.SINT32);
    private static final Function SEND = function("send", Type.SINT64, Type.SINT32, Type.POINTER, Type.UINT64, Type.SINT32);
    private static final Function RECVFROM = function("recvfrom", Type.SINT64, Type.SINT32, Type.POINTER, Type.UINT64, Type.SINT32, Type.POINTER, Type.POINTER);
    private static final Function SENDTO = function("sendto", Type.SINT64, Type.SINT32, Type.POINTER, Type.UINT64, Type.SINT32, Type.POINTER, Type.UINT32);
    private static final Function SHUTDOWN = function("shutdown", Type.SINT32, Type.SINT32, Type.SINT32);
    private static final Function GETSOCKOPT = function("getsockopt", Type.SINT32, Type.SINT32, Type.SINT32, Type.SINT32, Type.POINTER, Type.POINTER);
    private static final Function SETSOCKOPT = function("setsockopt", Type.SINT32, Type.SINT32, Type.SINT32, Type.SINT32, Type.POINTER, Type.UINT32);
    private static final Function GETSOCKNAME = function("getsockname", Type.SINT32, Type.SINT32, Type.POINTER, Type.POINTER);
    private static final Function GETPEERNAME = function("getpeername", Type.SINT32, Type.SINT32, Type.POINTER, Type.POINTER);
    private static final Function CLOSE = function("close", Type.SINT32, Type.SINT32);
    private static final Function FCNTL = function("fcntl", Type.SINT32, Type.SINT32, Type.SINT32, Type.SINT32);
    private static final Function POLL = function("poll", Type.SINT32, Type.POINTER, Type.UINT64, Type.SINT32);

    private Native() {
    }

    private record Function(CallContext context, long address) {
    }

    private static Function function(String name, Type result, Type... parameters) {
        long address = Library.getDefault().getSymbolAddress(name);
        if (address == 0) {
            throw new UnsatisfiedLinkError("libc has no " + name + ": " + Library.getLastError());
        }
        return new Function(CallContext.getCallContext(result, parameters, CallingConvention.DEFAULT, true), address);
    }

    /** The errno of the last failed call on this thread. */
    static int errno() {
        return LAST_ERROR.get();
    }

    static int socket(int domain, int type, int protocol) {
        return (int) INVOKER.invokeN3(SOCKET.context, SOCKET.address, domain, type, protocol);
    }

    static int socketpair(int domain, int type, int protocol, long fds) {
        return (int) INVOKER.invokeN4(SOCKETPAIR.context, SOCKETPAIR.address, domain, type, protocol, fds);
    }

    static int bind(int fd, long addr, int len) {
        return (int) INVOKER.invokeN3(BIND.context, BIND.address, fd, addr, len);
    }

    static int connect(int fd, long addr, int len) {
        return (int) INVOKER.invokeN3(CONNECT.context, CONNECT.address, fd, addr, len);
    }

    static int listen(int fd, int backlog) {
        return (int) INVOKER.invokeN2(LISTEN.context, LISTEN.address, fd, backlog);
    }

    static int accept4(int fd, long addr, long lenPtr, int flags) {
        return (int) INVOKER.invokeN4(ACCEPT4.context, ACCEPT4.address, fd, addr, lenPtr, flags);
    }

    static long recv(int fd, long buf, long len, int flags) {
        return INVOKER.invokeN4(RECV.context, RECV.address, fd, buf, len, flags);
    }

    static long send(int fd, long buf, long len, int flags) {
        return INVOKER.invokeN4(SEND.context, SEND.address, fd, buf, len, flags);
    }

    static long recvfrom(int fd, long buf, long len, int flags, long addr, long lenPtr) {
        return INVOKER.invokeN6(RECVFROM.context, RECVFROM.address, fd, buf, len, flags, addr, lenPtr);
    }

    static long sendto(int fd, long buf, long len, int flags, long addr, int addrLen) {
        return INVOKER.invokeN6(SENDTO.context, SENDTO.address, fd, buf, len, flags, addr, addrLen);
    }

    static int shutdown(int fd, int how) {
        return (int) INVOKER.invokeN2(SHUTDOWN.context, SHUTDOWN.address, fd, how);
    }

    static int getsockopt(int fd, int level, int name, long value, long lenPtr) {
        return (int) INVOKER.invokeN5(GETSOCKOPT.context, GETSOCKOPT.address, fd, level, name, value, lenPtr);
    }

    static int setsockopt(int fd, int level, int name, long value, int len) {
        return (int) INVOKER.invokeN5(SETSOCKOPT.context, SETSOCKOPT.address, fd, level, name, value, len);
    }

    static int getsockname(int fd, long addr, long lenPtr) {
        return (int) INVOKER.invokeN3(GETSOCKNAME.context, GETSOCKNAME.address, fd, addr, lenPtr);
    }

    static int getpeername(int fd, long addr, long lenPtr) {
        return (int) INVOKER.invokeN3(GETPEERNAME.context, GETPEERNAME.address, fd, addr, lenPtr);
    }

    static int close(int fd) {
        return (int) INVOKER.invokeN1(CLOSE.context, CLOSE.address, fd);
    }

    static int fcntl(int fd, int cmd, int arg) {
        return (int) INVOKER.invokeN3(FCNTL.context, FCNTL.address, fd, cmd, arg);
    }

    static int poll(long fds, int nfds, int timeoutMillis) {
        return (int) INVOKER.invokeN3(POLL.context, POLL.address, fds, nfds, timeoutMillis);
    }

    // ---- memory ---------------------------------------------------------------------------

    /** The address of a direct buffer's first byte (not its position). */
    static long address(Buffer direct) {
        return MEMORY.getDirectBufferAddress(direct);
    }

    static int getInt(long address) {
        return MEMORY.getInt(address);
    }

    static void putInt(long address, int value) {
        MEMORY.putInt(address, value);
    }

    static short getShort(long address) {
        return MEMORY.getShort(address);
    }

    static void putShort(long address, short value) {
        MEMORY.putShort(address, value);
    }

    static void putLong(long address, long value) {
        MEMORY.putLong(address, value);
    }

    static void putBytes(long address, byte[] src, int offset, int length) {
        MEMORY.putByteArray(address, src, offset, length);
    }

    static void getBytes(long address, byte[] dst, int offset, int length) {
        MEMORY.getByteArray(address, dst, offset, length);
    }
}
