package io.jsock.core;

import io.jsock.Errno;
import io.jsock.SocketError;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;

/**
 * One static method per system call, as socket2 has: the result when the call succeeds, and
 * {@code -errno} when it fails, never an errno read from text. Memory goes in as a {@link Mem} (or
 * a caller's direct buffer, with the {@link DirectAddress} that knows its address) and an offset,
 * never as a bare address, and stays reachable until the call has returned.
 */
final class Sys {
    /** The system property that forces a backend, {@code jffi} or {@code ffm}: {@value}. */
    static final String BACKEND_PROPERTY = "jsock.backend";
    /** The first JDK whose Foreign Function &amp; Memory API is final: the FFM backend's, and the default there. */
    static final int FFM_JDK = 22;
    /** Only in {@code META-INF/versions/22} of the jar: named, never linked, so JDK 17 to 21 never see it. */
    private static final String FFM_CLASS = "io.jsock.core.FfmBackend";

    private static final Backend B;
    /** Why no backend loaded, for the first socket call to say; null when {@link #B} works. */
    private static final NoBackend UNAVAILABLE;

    static {
        Backend backend = null;
        NoBackend unavailable = null;
        try {
            backend = load();
        } catch (NoBackend e) {
            unavailable = e;
        }
        B = backend;
        UNAVAILABLE = unavailable;
    }

    private Sys() {
    }

    /** Why no backend could be loaded: the errno the first socket call reports, and what to set. */
    private static final class NoBackend extends Exception {
        private static final long serialVersionUID = 1L;
        final Errno errno;

        NoBackend(Errno errno, String message, Throwable cause) {
            super(message, cause);
            this.errno = errno;
        }
    }

    /**
     * FFM on JDK 22 and later when this jar has it, jffi before; {@value #BACKEND_PROPERTY} forces
     * either. Each is only named here, in its own method, so the one not chosen is never loaded:
     * jffi's classes unpack its library when they initialise.
     */
    private static Backend load() throws NoBackend {
        String wanted = System.getProperty(BACKEND_PROPERTY);
        if (wanted == null) {
            return Runtime.version().feature() >= FFM_JDK && hasFfm() ? ffm() : jffi();
        }
        switch (wanted) {
            case "ffm":
                return ffm();
            case "jffi":
                return jffi();
            default:
                throw new NoBackend(Errno.EINVAL, "-D" + BACKEND_PROPERTY + "=" + wanted + " names no backend: set it to jffi or ffm"
                        + " (JDK " + FFM_JDK + "+), or leave it unset", null);
        }
    }

    private static boolean hasFfm() {
        return Sys.class.getClassLoader().getResource(FFM_CLASS.replace('.', '/') + ".class") != null;
    }

    /** Why JDK 22+ finds no FFM backend: a jar that is not multi-release (a fat jar), or none at all. */
    private static String noFfm() {
        String versioned = "META-INF/versions/" + FFM_JDK + "/" + FFM_CLASS.replace('.', '/') + ".class";
        if (Sys.class.getClassLoader().getResource(versioned) != null) {
            return "jsock's FFM backend is in " + versioned + " of a jar whose manifest lacks \"Multi-Release: true\""
                    + " (a jar that merged jsock-core's must keep it)";
        }
        return "this jsock-core has no FFM backend (it was built on a JDK older than " + FFM_JDK
                + ", or its classes are a directory, where META-INF/versions/" + FFM_JDK + " is not read)";
    }

    private static Backend ffm() throws NoBackend {
        int feature = Runtime.version().feature();
        if (feature < FFM_JDK) {
            throw new NoBackend(Errno.EOPNOTSUPP, "-D" + BACKEND_PROPERTY + "=ffm needs JDK " + FFM_JDK + " or later, and this is JDK "
                    + feature + ": leave " + BACKEND_PROPERTY + " unset (or jffi) on JDK 17 to 21", null);
        }
        Class<?> type;
        try {
            type = Class.forName(FFM_CLASS, false, Sys.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new NoBackend(Errno.EOPNOTSUPP, noFfm() + ": set -D" + BACKEND_PROPERTY + "=jffi, or use a jsock-core jar built"
                    + " on JDK " + FFM_JDK + "+", e);
        }
        try {
            return (Backend) type.getDeclaredConstructor().newInstance();
        } catch (ExceptionInInitializerError e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof IllegalCallerException) {
                throw new NoBackend(Errno.EPERM, "the FFM backend may not call native code (" + firstLine(cause) + "): run java"
                        + " with --enable-native-access=ALL-UNNAMED (class path) or --enable-native-access=io.jsock.core (module"
                        + " path), or set -D" + BACKEND_PROPERTY + "=jffi", cause);
            }
            throw new NoBackend(Errno.ELIBACC, "the FFM backend cannot link libc (" + firstLine(cause) + "): set -D"
                    + BACKEND_PROPERTY + "=jffi", cause);
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new NoBackend(Errno.ELIBACC, "the FFM backend cannot be made (" + firstLine(e) + "): set -D" + BACKEND_PROPERTY
                    + "=jffi", e);
        }
    }

    private static Backend jffi() throws NoBackend {
        try {
            return new JffiBackend();
        } catch (LinkageError e) { // jffi's classes failed to initialise: its stub library did not load
            if (e instanceof NoClassDefFoundError && !String.valueOf(e.getMessage()).startsWith("Could not initialize")) {
                throw new NoBackend(Errno.ELIBACC, "the jffi backend's classes are not on the class path (" + firstLine(e) + "):"
                        + " add com.github.jnr:jffi and its native jar, or run on JDK " + FFM_JDK + "+", e);
            }
            Throwable cause = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
            throw new NoBackend(Errno.ELIBACC, "the jffi backend cannot load its native library (" + firstLine(cause) + "): "
                    + jffiMend(), e);
        }
    }

    /** What to set when jffi cannot load its library, on this JDK. */
    private static String jffiMend() {
        String jffi = "set -Djava.io.tmpdir to a directory not mounted noexec (jffi unpacks its library there), or"
                + " -Djffi.boot.library.path to a directory holding jffi's libjffi-1.2.so";
        if (Runtime.version().feature() < FFM_JDK) {
            return jffi + "; or run on JDK " + FFM_JDK + "+, where the FFM backend (the default there) loads no library";
        }
        if (hasFfm()) {
            return "on JDK " + FFM_JDK + "+ the FFM backend loads no library: leave -D" + BACKEND_PROPERTY + " unset or set it to ffm";
        }
        return noFfm() + ", so jffi was the only backend: mend that (the FFM backend loads no library), or " + jffi;
    }

    /** A cause's first line, without the class names jffi puts before its own message. */
    private static String firstLine(Throwable t) {
        String message = String.valueOf(t.getMessage());
        int end = message.indexOf('\n');
        String line = end < 0 ? message : message.substring(0, end);
        return line.replaceFirst("^([\\w.$]+(Error|Exception): )+", "");
    }

    /** False when no backend loaded: then {@link #unavailable} says why, and nothing else here may be called. */
    static boolean available() {
        return B != null;
    }

    /** What {@code call} fails with when no backend loaded: why, and the property or flag that mends it. */
    static SocketError unavailable(String call) {
        return new SocketError(UNAVAILABLE.errno, call + ": " + UNAVAILABLE.getMessage(), UNAVAILABLE.getCause());
    }

    /** The backend in use: "jffi" or "ffm" ("none" when neither loaded). */
    static String backend() {
        return B == null ? "none" : B.name();
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

    // files and batches: sendfile(2), sendmmsg(2), recvmmsg(2)

    /** open(2) of the NUL-terminated path at {@code offset}: the new descriptor. */
    static int open(Mem path, int offset, int flags, int mode) {
        try {
            return B.open(path.address + offset, flags, mode);
        } finally {
            Reference.reachabilityFence(path);
        }
    }

    /** sendfile(2) from {@code inFd} at the {@code off_t} at {@code offsetAt}, which the kernel advances by what it sent. */
    static long sendfile(int outFd, int inFd, Mem offset, int offsetAt, long count) {
        try {
            return B.sendfile(outFd, inFd, offset.address + offsetAt, count);
        } finally {
            Reference.reachabilityFence(offset);
        }
    }

    /**
     * sendmmsg(2) of {@code vlen} struct mmsghdr at {@code offset}; every pointer in them points
     * into {@code vec} itself ({@link Mem#putAddressOf}), so the one fence keeps all of it alive.
     */
    static int sendmmsg(int fd, Mem vec, int offset, int vlen, int flags) {
        try {
            return B.sendmmsg(fd, vec.address + offset, vlen, flags);
        } finally {
            Reference.reachabilityFence(vec);
        }
    }

    /** recvmmsg(2) into {@code vlen} struct mmsghdr at {@code offset}, pointing into {@code vec} as for {@link #sendmmsg}. */
    static int recvmmsg(int fd, Mem vec, int offset, int vlen, int flags) {
        try {
            return B.recvmmsg(fd, vec.address + offset, vlen, flags);
        } finally {
            Reference.reachabilityFence(vec);
        }
    }

    // messages: sendmsg(2), recvmsg(2)

    /** sendmsg(2) of the message {@code msg} has laid out; it holds every buffer its iovecs point into. */
    static long sendmsg(int fd, MsgHdr msg, int flags) {
        try {
            return B.sendmsg(fd, msg.mem.address, flags);
        } finally {
            Reference.reachabilityFence(msg);
        }
    }

    /** recvmsg(2) into the message {@code msg} has laid out; it holds every buffer its iovecs point into. */
    static long recvmsg(int fd, MsgHdr msg, int flags) {
        try {
            return B.recvmsg(fd, msg.mem.address, flags);
        } finally {
            Reference.reachabilityFence(msg);
        }
    }
}
