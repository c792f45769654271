package io.jsock.core;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc calls through the Foreign Function &amp; Memory API (final in JDK 22): the JVM's own
 * linker calls the libc it has loaded already, so nothing is unpacked or loaded, and each downcall
 * saves errno as it returns ({@code Linker.Option.captureCallState("errno")}) into memory this
 * class reads, so no JVM work in between can overwrite it. Pointers, {@code size_t} and
 * {@code ssize_t} cross as {@code JAVA_LONG}, which is what they are on LP64 Linux (x86-64 and
 * aarch64), so the {@link Backend}'s addresses pass unchanged and a call allocates nothing. The
 * calls that only read a field and never wait in the kernel are linked critical, without the
 * thread-state transitions a downcall that may block needs.
 *
 * <p>Compiled with {@code --release 22} into {@code META-INF/versions/22}, so JDK 17 to 21 never
 * see it; {@link Sys} loads it by name on JDK 22 and later.
 */
final class FfmBackend implements Backend {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO = STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final Linker.Option CRITICAL = Linker.Option.critical(false);

    // may wait in the kernel: for data, a peer, a lock another call holds (the RTNL lock of multicast
    // membership in setsockopt, epoll's mutex), memory (a new descriptor), or a file system (an
    // AF_UNIX path's bind), or in close with SO_LINGER
    private static final MethodHandle SOCKET = blocking("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle SOCKETPAIR = blocking("socketpair", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle BIND = blocking("bind", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle CONNECT = blocking("connect", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle LISTEN = blocking("listen", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle ACCEPT4 = blocking("accept4", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    private static final MethodHandle RECV = blocking("recv", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    private static final MethodHandle SEND = blocking("send", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    private static final MethodHandle RECVFROM = blocking("recvfrom", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT,
            JAVA_LONG, JAVA_LONG);
    private static final MethodHandle SENDTO = blocking("sendto", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT,
            JAVA_LONG, JAVA_INT);
    private static final MethodHandle SHUTDOWN = blocking("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle SETSOCKOPT = blocking("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG,
            JAVA_INT);
    private static final MethodHandle CLOSE = blocking("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle POLL = blocking("poll", JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    private static final MethodHandle EPOLL_CREATE1 = blocking("epoll_create1", JAVA_INT, JAVA_INT);
    private static final MethodHandle EPOLL_CTL = blocking("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle EPOLL_WAIT = blocking("epoll_wait", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
    private static final MethodHandle EVENTFD = blocking("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle READ = blocking("read", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle WRITE = blocking("write", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);

    // never wait: they read a field of the socket or the descriptor (fcntl: its flags) and return.
    // Critical saves the thread-state transitions, 1 to 3 ns of the 170 ns fcntl(F_GETFL) costs here
    private static final MethodHandle GETSOCKOPT = critical("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG,
            JAVA_LONG);
    private static final MethodHandle GETSOCKNAME = critical("getsockname", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle GETPEERNAME = critical("getpeername", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    // variadic in C (int fcntl(int, int, ...), int ioctl(int, unsigned long, ...)): the third argument is the variadic one;
    // jsock's only ioctl is FIONREAD
    private static final MethodHandle FCNTL = link("fcntl", true, 2, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle IOCTL = link("ioctl", true, 2, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);

    /** A platform thread's errno capture, for its life. */
    private static final ThreadLocal<MemorySegment> OWN = ThreadLocal.withInitial(FfmBackend::newState);
    /** Errno captures a virtual thread borrows for one call, as it borrows a {@link Scratch}. */
    private static final ConcurrentLinkedQueue<MemorySegment> POOL = new ConcurrentLinkedQueue<>();

    private static MethodHandle blocking(String name, MemoryLayout result, MemoryLayout... parameters) {
        return link(name, false, -1, result, parameters);
    }

    private static MethodHandle critical(String name, MemoryLayout result, MemoryLayout... parameters) {
        return link(name, true, -1, result, parameters);
    }

    @SuppressWarnings("restricted") // calling libc is this class's purpose: the user enables it, --enable-native-access
    private static MethodHandle link(String name, boolean critical, int firstVariadic, MemoryLayout result,
                                     MemoryLayout... parameters) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        List<Linker.Option> options = new ArrayList<>(List.of(CAPTURE_ERRNO));
        if (critical) {
            options.add(CRITICAL);
        }
        if (firstVariadic >= 0) {
            options.add(Linker.Option.firstVariadicArg(firstVariadic));
        }
        return LINKER.downcallHandle(symbol, FunctionDescriptor.of(result, parameters), options.toArray(Linker.Option[]::new));
    }

    private static MemorySegment newState() {
        return Arena.ofAuto().allocate(STATE); // freed with the thread (or the pool entry) that held it
    }

    /**
     * Where the next call saves errno: a platform thread's own; one a virtual thread borrows for the
     * one call, so there are as many as threads inside a call at once (a downcall pins its carrier:
     * at most the carriers), not one per parked virtual thread.
     */
    private static MemorySegment acquire() {
        if (!Thread.currentThread().isVirtual()) {
            return OWN.get();
        }
        MemorySegment state = POOL.poll();
        return state != null ? state : newState();
    }

    private static void release(MemorySegment state) {
        if (Thread.currentThread().isVirtual()) {
            POOL.offer(state);
        }
    }

    private static int result(int r, MemorySegment state) {
        return r < 0 ? -state.get(JAVA_INT, ERRNO) : r;
    }

    private static long size(long r, MemorySegment state) {
        return r < 0 ? -state.get(JAVA_INT, ERRNO) : r;
    }

    /** A downcall throws nothing checked; what it throws is the linker's own error, passed on as it is. */
    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("downcall failed", t);
    }

    @Override
    public String name() {
        return "ffm";
    }

    @Override
    public long address(ByteBuffer direct) {
        return MemorySegment.ofBuffer(direct).address() - direct.position(); // the segment starts at the position
    }

    @Override
    public int socket(int domain, int type, int protocol) {
        MemorySegment state = acquire();
        try {
            return result((int) SOCKET.invokeExact(state, domain, type, protocol), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int socketpair(int domain, int type, int protocol, long fds) {
        MemorySegment state = acquire();
        try {
            return result((int) SOCKETPAIR.invokeExact(state, domain, type, protocol, fds), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int bind(int fd, long addr, int len) {
        MemorySegment state = acquire();
        try {
            return result((int) BIND.invokeExact(state, fd, addr, len), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int connect(int fd, long addr, int len) {
        MemorySegment state = acquire();
        try {
            return result((int) CONNECT.invokeExact(state, fd, addr, len), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int listen(int fd, int backlog) {
        MemorySegment state = acquire();
        try {
            return result((int) LISTEN.invokeExact(state, fd, backlog), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int accept4(int fd, long addr, long lenPtr, int flags) {
        MemorySegment state = acquire();
        try {
            return result((int) ACCEPT4.invokeExact(state, fd, addr, lenPtr, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public long recv(int fd, long buf, long len, int flags) {
        MemorySegment state = acquire();
        try {
            return size((long) RECV.invokeExact(state, fd, buf, len, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public long send(int fd, long buf, long len, int flags) {
        MemorySegment state = acquire();
        try {
            return size((long) SEND.invokeExact(state, fd, buf, len, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public long recvfrom(int fd, long buf, long len, int flags, long addr, long lenPtr) {
        MemorySegment state = acquire();
        try {
            return size((long) RECVFROM.invokeExact(state, fd, buf, len, flags, addr, lenPtr), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public long sendto(int fd, long buf, long len, int flags, long addr, int addrLen) {
        MemorySegment state = acquire();
        try {
            return size((long) SENDTO.invokeExact(state, fd, buf, len, flags, addr, addrLen), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int shutdown(int fd, int how) {
        MemorySegment state = acquire();
        try {
            return result((int) SHUTDOWN.invokeExact(state, fd, how), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int getsockopt(int fd, int level, int name, long value, long lenPtr) {
        MemorySegment state = acquire();
        try {
            return result((int) GETSOCKOPT.invokeExact(state, fd, level, name, value, lenPtr), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int setsockopt(int fd, int level, int name, long value, int len) {
        MemorySegment state = acquire();
        try {
            return result((int) SETSOCKOPT.invokeExact(state, fd, level, name, value, len), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int getsockname(int fd, long addr, long lenPtr) {
        MemorySegment state = acquire();
        try {
            return result((int) GETSOCKNAME.invokeExact(state, fd, addr, lenPtr), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int getpeername(int fd, long addr, long lenPtr) {
        MemorySegment state = acquire();
        try {
            return result((int) GETPEERNAME.invokeExact(state, fd, addr, lenPtr), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int close(int fd) {
        MemorySegment state = acquire();
        try {
            return result((int) CLOSE.invokeExact(state, fd), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int fcntl(int fd, int cmd, int arg) {
        MemorySegment state = acquire();
        try {
            return result((int) FCNTL.invokeExact(state, fd, cmd, arg), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int ioctl(int fd, long request, long arg) {
        MemorySegment state = acquire();
        try {
            return result((int) IOCTL.invokeExact(state, fd, request, arg), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int poll(long fds, int nfds, int timeoutMillis) {
        MemorySegment state = acquire();
        try {
            return result((int) POLL.invokeExact(state, fds, (long) nfds, timeoutMillis), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int epollCreate1(int flags) {
        MemorySegment state = acquire();
        try {
            return result((int) EPOLL_CREATE1.invokeExact(state, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int epollCtl(int epfd, int op, int fd, long event) {
        MemorySegment state = acquire();
        try {
            return result((int) EPOLL_CTL.invokeExact(state, epfd, op, fd, event), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int epollWait(int epfd, long events, int maxEvents, int timeoutMillis) {
        MemorySegment state = acquire();
        try {
            return result((int) EPOLL_WAIT.invokeExact(state, epfd, events, maxEvents, timeoutMillis), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int eventfd(int initval, int flags) {
        MemorySegment state = acquire();
        try {
            return result((int) EVENTFD.invokeExact(state, initval, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public long read(int fd, long buf, long len) {
        MemorySegment state = acquire();
        try {
            return size((long) READ.invokeExact(state, fd, buf, len), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public long write(int fd, long buf, long len) {
        MemorySegment state = acquire();
        try {
            return size((long) WRITE.invokeExact(state, fd, buf, len), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    // files and batches: sendfile(2), sendmmsg(2), recvmmsg(2)

    // open may wait on a file system; variadic in C (int open(const char *, int, ...)): the mode is the variadic argument.
    // sendfile, sendmmsg and recvmmsg may wait for room or data
    private static final MethodHandle OPEN = link("open", false, 2, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
    private static final MethodHandle SENDFILE = blocking("sendfile", JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle SENDMMSG = blocking("sendmmsg", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
    private static final MethodHandle RECVMMSG = blocking("recvmmsg", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG);

    @Override
    public int open(long path, int flags, int mode) {
        MemorySegment state = acquire();
        try {
            return result((int) OPEN.invokeExact(state, path, flags, mode), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public long sendfile(int outFd, int inFd, long offset, long count) {
        MemorySegment state = acquire();
        try {
            return size((long) SENDFILE.invokeExact(state, outFd, inFd, offset, count), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int sendmmsg(int fd, long vec, int vlen, int flags) {
        MemorySegment state = acquire();
        try {
            return result((int) SENDMMSG.invokeExact(state, fd, vec, vlen, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public int recvmmsg(int fd, long vec, int vlen, int flags) {
        MemorySegment state = acquire();
        try {
            return result((int) RECVMMSG.invokeExact(state, fd, vec, vlen, flags, 0L), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    // messages: sendmsg(2), recvmsg(2)

    private static final MethodHandle SENDMSG = blocking("sendmsg", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle RECVMSG = blocking("recvmsg", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);

    @Override
    public long sendmsg(int fd, long msg, int flags) {
        MemorySegment state = acquire();
        try {
            return size((long) SENDMSG.invokeExact(state, fd, msg, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }

    @Override
    public long recvmsg(int fd, long msg, int flags) {
        MemorySegment state = acquire();
        try {
            return size((long) RECVMSG.invokeExact(state, fd, msg, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            release(state);
        }
    }
}
