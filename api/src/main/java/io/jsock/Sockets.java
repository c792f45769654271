package io.jsock;

import io.jsock.spi.ReadinessSet;
import io.jsock.spi.SocketProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.WeakHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The module-level functions of Python's {@code socket}: {@code socket()}, {@code socketpair()},
 * {@code create_connection()}, {@code create_server()}, {@code getaddrinfo()}, {@code gethostname()}.
 *
 * <h2>How a provider is picked</h2>
 * Providers are found with {@link ServiceLoader} (the context class loader's, or the module
 * layer's). For a triple, the providers that {@linkplain SocketProvider#supports support} it are
 * ranked, and the first one opens the socket:
 * <ol>
 *   <li>the provider the system property {@value #PROVIDER_PROPERTY} names, if it supports the triple;</li>
 *   <li>else the highest {@link SocketProvider#priority()};</li>
 *   <li>among equal priorities, a built-in jsock provider ({@code inet}, {@code datagram},
 *       {@code unix}) before any other, so a third-party jar never takes a triple from jsock by
 *       its name alone;</li>
 *   <li>then the name, in alphabetical order ({@link String#compareTo}), then the class name.</li>
 * </ol>
 * {@link #providers()} lists the providers in that order and {@link #providerFor} applies it.
 * Discovery is SLF4J's: a service entry that cannot be loaded or instantiated (a missing class, a
 * missing dependency, a constructor that throws), a provider whose {@code name()},
 * {@code priority()} or {@code supports()} throws, and a second provider of a name already taken
 * are left out, each reported once per JVM on stderr with one line naming the class, its jar and
 * the cause; the other providers work as if it were not there. Equal best priorities for a
 * triple are reported once too, saying which provider is used; {@code jsock providers} lists them.
 */
public final class Sockets {
    /** Ports below it are for well-known services. */
    public static final int IPPORT_RESERVED = 1024;

    /** The system property that forces one provider where several support a triple. */
    public static final String PROVIDER_PROPERTY = "jsock.provider";

    /** The backlog {@link #createServer} listens with: Python's {@code min(SOMAXCONN, 128)}. */
    private static final int DEFAULT_BACKLOG = 128;

    private static final Map<ClassLoader, List<SocketProvider>> PROVIDERS = new WeakHashMap<>();

    private Sockets() {
    }

    /**
     * Python's {@code select.select(rlist, wlist, xlist, timeout)}: which of the sockets are readable,
     * writable, or have an exceptional condition (urgent data), as select(2) says, waiting until one
     * is or {@code timeout} passes ({@code null}: no limit; {@link Duration#ZERO}: never waits). Each
     * list of the result keeps the order of the list given. Over epoll(7), so no descriptor number
     * limit (select(2)'s FD_SETSIZE) applies.
     *
     * @throws IllegalArgumentException a socket is closed, or the timeout is negative
     * @throws SocketError              {@link Errno#EOPNOTSUPP} for a socket whose provider exposes no descriptor
     */
    public static Selected select(List<Socket> read, List<Socket> write, List<Socket> except, Duration timeout)
            throws SocketError {
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(write, "write");
        Objects.requireNonNull(except, "except");
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative: " + timeout);
        }
        Map<Socket, Integer> wanted = new IdentityHashMap<>();
        List<List<Socket>> lists = List.of(read, write, except);
        int[] bits = {ReadinessSet.READ, ReadinessSet.WRITE, ReadinessSet.PRIORITY};
        for (int i = 0; i < 3; i++) {
            for (Socket s : lists.get(i)) {
                Objects.requireNonNull(s, "a socket in the lists");
                Selector.descriptor(s, "select"); // closed: IllegalArgumentException before any I/O
                wanted.merge(s, bits[i], (a, b) -> a | b);
            }
        }
        Map<Socket, Integer> seen = new IdentityHashMap<>();
        try (Selector selector = Selector.open()) {
            for (Map.Entry<Socket, Integer> e : wanted.entrySet()) {
                selector.add(e.getKey(), 0, null, e.getValue());
            }
            selector.await(timeout, (token, events) -> {
                SelectorKey key = selector.keyOf(token);
                if (key != null && !key.socket().isClosed()) {
                    seen.put(key.socket(), events);
                }
            });
        }
        // select(2)'s sets: POLLIN_SET has hang-up and error, POLLOUT_SET error, POLLEX_SET urgent data
        int[] ready = {ReadinessSet.READ | ReadinessSet.HANGUP | ReadinessSet.ERROR, ReadinessSet.WRITE | ReadinessSet.ERROR,
            ReadinessSet.PRIORITY};
        List<List<Socket>> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            List<Socket> these = new ArrayList<>();
            for (Socket s : lists.get(i)) {
                Integer events = seen.get(s);
                if (events != null && (events & ready[i]) != 0) {
                    these.add(s);
                }
            }
            out.add(these);
        }
        return new Selected(out.get(0), out.get(1), out.get(2));
    }

    /** An AF_INET stream socket, Python's {@code socket.socket()}. */
    public static Socket socket() throws SocketError {
        return socket(AddressFamily.AF_INET, SocketType.SOCK_STREAM, Protocols.DEFAULT);
    }

    /** A socket of the family's default protocol for the type; socket(2). */
    public static Socket socket(AddressFamily family, SocketType type) throws SocketError {
        return socket(family, type, Protocols.DEFAULT);
    }

    /**
     * A new socket from the best provider for the triple; socket(2).
     *
     * @throws SocketError {@link Errno#EAFNOSUPPORT} when no installed provider has the family,
     *                     {@link Errno#ESOCKTNOSUPPORT} when none has the type in that family,
     *                     {@link Errno#EPROTONOSUPPORT} when none has the protocol; the message lists
     *                     what is installed
     */
    public static Socket socket(AddressFamily family, SocketType type, int proto) throws SocketError {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(type, "type");
        if (proto < 0) {
            throw new IllegalArgumentException("proto must not be negative, got " + proto);
        }
        return withDefaultTimeout(choose(family, type, proto).open(family, type, proto));
    }

    /**
     * Python's {@code socket.close(fd)}: close(2) of a descriptor the caller owns, as one that
     * {@link Socket#detach()} returned. {@link Errno#EBADF} if it is not open.
     */
    public static void closeFd(int fd) throws SocketError {
        SocketError last = null;
        for (SocketProvider p : providers()) {
            try {
                p.closeDescriptor(fd);
                return;
            } catch (SocketError e) {
                if (e.errno() != Errno.EOPNOTSUPP) {
                    throw e;
                }
                last = e;
            }
        }
        throw last != null ? last : SocketError.of(Errno.EOPNOTSUPP, "close(" + fd + "): no installed provider closes descriptors");
    }

    /**
     * Python's {@code socket.send_fds}: {@link Socket#sendMsg} of {@code buffers} with one SCM_RIGHTS
     * control message carrying {@code fds} (over AF_UNIX). The descriptors stay the caller's; the
     * peer gets its own copies. Returns how many bytes went.
     */
    public static int sendFds(Socket socket, List<ByteBuffer> buffers, int[] fds, int flags, SocketAddress address)
            throws SocketError {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(fds, "fds");
        ByteBuffer packed = ByteBuffer.allocate(4 * fds.length).order(ByteOrder.nativeOrder());
        for (int fd : fds) {
            packed.putInt(fd);
        }
        return socket.sendMsg(buffers, List.of(new Ancillary(Sockopt.SOL_SOCKET, Sockopt.SCM_RIGHTS, packed.array())), flags,
                address);
    }

    /**
     * Python's {@code socket.recv_fds}: {@link Socket#recvMsg} of at most {@code bufsize} bytes and
     * {@code maxFds} descriptors (SCM_RIGHTS, opened close-on-exec), which are the caller's to close.
     * Descriptors that did not fit are closed, never left open, and {@link MessageFlags#MSG_CTRUNC}
     * says so.
     */
    public static FdMessage recvFds(Socket socket, int bufsize, int maxFds, int flags) throws SocketError {
        Objects.requireNonNull(socket, "socket");
        if (maxFds < 0 || maxFds > (Integer.MAX_VALUE - 16) / 4) {
            throw new IllegalArgumentException("maxFds must be between 0 and " + (Integer.MAX_VALUE - 16) / 4 + ", got " + maxFds);
        }
        Message m = socket.recvMsg(bufsize, cmsgLen(4 * maxFds), flags);
        int[] fds = new int[0];
        int count = 0;
        int outFlags = m.flags();
        SocketError closeFailure = null;
        for (Ancillary a : m.ancillary()) {
            if (a.level() != Sockopt.SOL_SOCKET || a.type() != Sockopt.SCM_RIGHTS) {
                continue;
            }
            ByteBuffer data = ByteBuffer.wrap(a.data()).order(ByteOrder.nativeOrder());
            while (data.remaining() >= 4) {
                int fd = data.getInt();
                if (count < maxFds) {
                    if (count == fds.length) {
                        fds = Arrays.copyOf(fds, Math.max(4, Math.min(maxFds, 2 * fds.length)));
                    }
                    fds[count++] = fd;
                } else {
                    outFlags |= MessageFlags.MSG_CTRUNC;
                    try {
                        closeFd(fd); // more than asked for: nobody else will close it
                    } catch (SocketError e) {
                        closeFailure = e;
                    }
                }
            }
        }
        if (closeFailure != null) {
            throw closeFailure;
        }
        return new FdMessage(m.data(), count == fds.length ? fds : Arrays.copyOf(fds, count), outFlags, m.address());
    }

    /**
     * Python's {@code socket.CMSG_LEN}: the {@code cmsg_len} of a control message carrying
     * {@code length} bytes (its 16-byte header and the data, no trailing padding).
     *
     * @throws IllegalArgumentException when {@code length} is negative or the result would pass
     *                                  {@code Integer.MAX_VALUE} (Python's OverflowError)
     */
    public static int cmsgLen(int length) {
        if (length < 0 || length > Integer.MAX_VALUE - CMSG_HEADER) {
            throw new IllegalArgumentException("CMSG_LEN() argument out of range: " + length);
        }
        return CMSG_HEADER + length;
    }

    /**
     * Python's {@code socket.CMSG_SPACE}: the room a control message carrying {@code length} bytes
     * takes in an ancillary buffer, padding included; add them up for {@link Socket#recvMsg}'s
     * {@code ancBufsize}.
     *
     * @throws IllegalArgumentException when {@code length} is negative or too large, at the bound
     *                                  CPython's has ({@code Integer.MAX_VALUE - CMSG_SPACE(1)})
     */
    public static int cmsgSpace(int length) {
        if (length < 0 || length > Integer.MAX_VALUE - (CMSG_HEADER + 8)) {
            throw new IllegalArgumentException("CMSG_SPACE() argument out of range: " + length);
        }
        return CMSG_HEADER + ((length + 7) & ~7);
    }

    /** sizeof(struct cmsghdr) on 64-bit Linux: a size_t length, an int level, an int type. */
    private static final int CMSG_HEADER = 16;

    /**
     * Python's {@code socket.socket(fileno=fd)}: a socket on an open descriptor, which it now owns;
     * family, type and protocol are read from the kernel ({@code SO_DOMAIN}, {@code SO_TYPE},
     * {@code SO_PROTOCOL}) and the provider is the best one for them. A descriptor that is no socket
     * is {@link Errno#ENOTSOCK} and stays open; one of a triple no provider takes is
     * {@link Errno#EAFNOSUPPORT} (or its sibling) and stays open too.
     */
    public static Socket fromFileno(int fd) throws SocketError {
        return adopt(fd, false, providers());
    }

    /**
     * Python's {@code socket.fromfd}: a socket on a duplicate of {@code fd} (dup(2), close-on-exec),
     * from the best provider for the triple given; {@code fd} stays the caller's to close.
     */
    public static Socket fromFd(int fd, AddressFamily family, SocketType type, int proto) throws SocketError {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(type, "type");
        return adopt(fd, true, List.of(choose(family, type, proto)));
    }

    private static Socket adopt(int fd, boolean duplicate, List<SocketProvider> candidates) throws SocketError {
        if (fd < 0) {
            throw new IllegalArgumentException("fd must not be negative, got " + fd);
        }
        SocketError last = null;
        for (SocketProvider p : candidates) {
            try {
                return withDefaultTimeout(p.adopt(fd, duplicate));
            } catch (SocketError e) {
                switch (e.errno()) {
                    case EOPNOTSUPP, EAFNOSUPPORT, ESOCKTNOSUPPORT, EPROTONOSUPPORT -> last = e; // another provider's, maybe
                    default -> throw e;
                }
            }
        }
        throw last != null ? last : SocketError.of(Errno.EOPNOTSUPP, "adopting descriptor " + fd + ": no provider is installed");
    }

    private static volatile Duration defaultTimeout;

    /**
     * Python's {@code socket.setdefaulttimeout}: the mode of every socket made afterwards by
     * {@link #socket}, {@link #socketPair}, {@link Socket#accept()} and {@link Socket#dup()} of a
     * socket whose own timeout is the default ({@code null}: blocking, the initial default;
     * {@link Duration#ZERO}: non-blocking). Sockets already made keep theirs.
     */
    public static void setDefaultTimeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        defaultTimeout = timeout;
    }

    /** Python's {@code socket.getdefaulttimeout}: the mode new sockets start in; {@code null} is blocking. */
    public static Duration getDefaultTimeout() {
        return defaultTimeout;
    }

    private static Socket withDefaultTimeout(Socket s) throws SocketError {
        Duration d = defaultTimeout;
        if (d != null) {
            try {
                s.setTimeout(d);
            } catch (SocketError | RuntimeException e) {
                s.close();
                throw e;
            }
        }
        return s;
    }

    /** A connected pair of AF_UNIX stream sockets; socketpair(2). */
    public static SocketPair socketPair() throws SocketError {
        return socketPair(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM);
    }

    /**
     * A connected pair; socketpair(2). Linux has it for AF_UNIX only: other families give
     * {@link Errno#EOPNOTSUPP} from the provider, or {@link Errno#EAFNOSUPPORT} when none is installed.
     */
    public static SocketPair socketPair(AddressFamily family, SocketType type) throws SocketError {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(type, "type");
        SocketPair pair = choose(family, type, Protocols.DEFAULT).openPair(family, type);
        try {
            withDefaultTimeout(pair.first());
            withDefaultTimeout(pair.second());
        } catch (SocketError | RuntimeException e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    /**
     * Connects a stream socket to {@code address}, Python's {@code create_connection}: a host name
     * is resolved with {@link #getAddrInfo} and each result tried in turn until one connects; the
     * last failure is thrown. The socket keeps {@code timeout} as its mode ({@code null} blocking).
     * A {@link UnixAddress} or {@link UnixDomainSocketAddress} connects an AF_UNIX stream socket.
     */
    public static Socket createConnection(SocketAddress address, Duration timeout) throws SocketError {
        Objects.requireNonNull(address, "address");
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, got " + timeout);
        }
        List<SocketAddress> candidates = new ArrayList<>();
        if (address instanceof InetSocketAddress inet) {
            if (inet.isUnresolved()) {
                for (AddrInfo info : getAddrInfo(inet.getHostString(), inet.getPort(), AddressFamily.AF_UNSPEC, SocketType.SOCK_STREAM)) {
                    candidates.add(info.address());
                }
            } else {
                candidates.add(inet);
            }
        } else {
            candidates.add(address);
        }
        SocketError last = null;
        for (SocketAddress candidate : candidates) {
            Socket s = socket(familyOf(candidate), SocketType.SOCK_STREAM);
            try {
                s.setTimeout(timeout);
                s.connect(candidate);
                return s;
            } catch (SocketError e) {
                s.close();
                last = e;
            } catch (RuntimeException e) {
                s.close();
                throw e;
            }
        }
        throw last;
    }

    /**
     * A listening stream socket bound to {@code address}, Python's {@code create_server(address)}:
     * {@code createServer(address, 128, false, false)}.
     */
    public static Socket createServer(SocketAddress address) throws SocketError {
        return createServer(address, DEFAULT_BACKLOG, false, false);
    }

    /**
     * A listening stream socket bound to {@code address}, Python's {@code create_server}:
     * {@code SO_REUSEADDR} is set for AF_INET and AF_INET6, {@code SO_REUSEPORT} if asked; an
     * AF_INET6 socket gets {@code IPV6_V6ONLY} unless {@code dualStackIpv6} asks for IPv4 clients
     * too (as v4-mapped addresses); then bind(2) and listen(2) with {@code backlog}.
     *
     * <p>For an AF_UNIX path taken by a <em>stale</em> socket file — a socket file that two probing
     * connect(2)s, 100 ms apart, answer with {@link Errno#ECONNREFUSED}, so nobody listens on it,
     * nor is about to (a server between bind and listen refuses too, once) — the file is removed and
     * bind(2) tried once more, as servers do at start. CPython's {@code create_server} never removes
     * a file and asyncio removes any socket file; jsock removes only a dead one. Nothing else is ever
     * removed: a regular file, a directory, a live socket (one that accepts, or whose backlog is
     * full) or a datagram socket's file gives {@link Errno#EADDRINUSE} as bind(2) does.
     *
     * @throws IllegalArgumentException if {@code dualStackIpv6} is asked for an address that is not
     *         IPv6, or {@code reusePort} for an AF_UNIX one, as Python's {@code ValueError}
     */
    public static Socket createServer(SocketAddress address, int backlog, boolean reusePort, boolean dualStackIpv6)
            throws SocketError {
        Objects.requireNonNull(address, "address");
        AddressFamily family = familyOf(address);
        if (dualStackIpv6 && family != AddressFamily.AF_INET6) {
            throw new IllegalArgumentException("dualStackIpv6 requires an AF_INET6 address, got " + family + " " + address);
        }
        if (reusePort && family == AddressFamily.AF_UNIX) {
            throw new IllegalArgumentException("reusePort: SO_REUSEPORT is for AF_INET and AF_INET6 servers, got " + address);
        }
        Socket s = socket(family, SocketType.SOCK_STREAM);
        try {
            if (family == AddressFamily.AF_INET || family == AddressFamily.AF_INET6) {
                s.setOption(java.net.StandardSocketOptions.SO_REUSEADDR, true);
            }
            if (reusePort) {
                s.setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true);
            }
            if (family == AddressFamily.AF_INET6) {
                s.setOption(Sockopt.IPPROTO_IPV6, Sockopt.IPV6_V6ONLY, dualStackIpv6 ? 0 : 1);
            }
            try {
                s.bind(address);
            } catch (SocketError e) {
                if (e.errno() != Errno.EADDRINUSE || family != AddressFamily.AF_UNIX || !removeStaleSocketFile(address)) {
                    throw e;
                }
                s.bind(address);
            }
            s.listen(backlog);
            return s;
        } catch (SocketError | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /**
     * Whether one AF_INET6 socket can take IPv4 and IPv6 clients on this host, Python's
     * {@code has_dualstack_ipv6()}: an AF_INET6 socket can be opened and its {@code IPV6_V6ONLY}
     * cleared.
     */
    public static boolean hasDualStackIpv6() {
        try (Socket s = socket(AddressFamily.AF_INET6, SocketType.SOCK_STREAM)) {
            s.setOption(Sockopt.IPPROTO_IPV6, Sockopt.IPV6_V6ONLY, 0);
            return true;
        } catch (SocketError e) {
            return false;
        }
    }

    /** The pause between the two probes of a socket file before it is taken for stale. */
    private static final long STALE_PROBE_PAUSE_MILLIS = 100;

    /** Whether a connect(2) to the path is refused: accepted, a full backlog, a datagram socket are alive. */
    private static boolean refuses(UnixAddress unix) throws SocketError {
        try (Socket probe = socket(AddressFamily.AF_UNIX, SocketType.SOCK_STREAM)) {
            probe.setBlocking(false);
            return probe.connectEx(unix) == Errno.ECONNREFUSED.code();
        }
    }

    /**
     * Removes the socket file at an AF_UNIX path if nobody listens on it: two probing connects,
     * {@value #STALE_PROBE_PAUSE_MILLIS} ms apart, are refused (one would take a server that has
     * bound and is about to listen for a dead one). True if it did. The file's inode is compared
     * before removal, so a file put there meanwhile stays.
     */
    private static boolean removeStaleSocketFile(SocketAddress address) throws SocketError {
        UnixAddress unix = address instanceof UnixDomainSocketAddress jdk ? UnixAddress.of(jdk) : (UnixAddress) address;
        if (unix.isAbstract() || unix.isUnnamed()) {
            return false;
        }
        Path path = unix.path();
        Object inode;
        try {
            int mode = ((Number) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
            if ((mode & 0170000) != 0140000) {
                return false; // not a socket file
            }
            inode = Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException notASocketFile) {
            return false;
        }
        // a server between its bind(2) and listen(2) refuses too: ask again after it had time to listen
        if (!refuses(unix)) {
            return false;
        }
        try {
            Thread.sleep(STALE_PROBE_PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (!refuses(unix)) {
            return false;
        }
        try {
            if (!inode.equals(Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS))) {
                return false;
            }
            Files.delete(path);
            return true;
        } catch (IOException e) {
            throw new SocketError(Errno.EADDRINUSE, "bind " + unix + ": Address already in use (stale socket file not removable: " + e + ")", e);
        }
    }

    /**
     * The installed providers, best first: by the rule in the class comment (highest priority,
     * built-in before third-party, then by name); those that cannot be loaded are left out.
     */
    public static List<SocketProvider> providers() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        synchronized (PROVIDERS) {
            return PROVIDERS.computeIfAbsent(loader, Discovery::load);
        }
    }

    /**
     * The provider {@link #socket(AddressFamily, SocketType, int)} opens this triple with, by the
     * rule in the class comment ({@value #PROVIDER_PROPERTY} included).
     *
     * @throws SocketError as {@code socket} does when no installed provider supports the triple
     * @throws IllegalArgumentException if {@value #PROVIDER_PROPERTY} names no installed provider
     */
    public static SocketProvider providerFor(AddressFamily family, SocketType type, int proto) throws SocketError {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(type, "type");
        return choose(family, type, proto);
    }

    /**
     * The installed provider of that name.
     *
     * @throws IllegalArgumentException if none is installed by that name; the message lists the installed ones
     */
    public static SocketProvider provider(String name) {
        Objects.requireNonNull(name, "name");
        return Discovery.byName(providers(), name);
    }

    /**
     * Resolves a host and port; getaddrinfo(3) without flags. {@code host} null means the loopback
     * addresses; {@code family} {@code AF_UNSPEC} means any; {@code type} null means every type
     * (stream, datagram and raw for each address, as Linux lists them).
     *
     * @throws SocketError {@link Errno#EAI_NONAME} for an unknown host, {@link Errno#EAI_FAMILY} for
     *                     a family getaddrinfo does not resolve, {@link Errno#EAI_ADDRFAMILY} when the
     *                     host has no address of the family asked for
     */
    public static List<AddrInfo> getAddrInfo(String host, int port, AddressFamily family, SocketType type) throws SocketError {
        Objects.requireNonNull(family, "family");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        if (family != AddressFamily.AF_UNSPEC && family != AddressFamily.AF_INET && family != AddressFamily.AF_INET6) {
            throw SocketError.of(Errno.EAI_FAMILY, "getaddrinfo " + host + " " + family);
        }
        InetAddress[] addresses;
        try {
            addresses = host == null ? InetAddress.getAllByName(null) : InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new SocketError(Errno.EAI_NONAME, "getaddrinfo " + host + ": " + Errno.EAI_NONAME.description(), e);
        }
        List<AddrInfo> result = new ArrayList<>();
        for (InetAddress a : addresses) {
            AddressFamily f = a instanceof Inet4Address ? AddressFamily.AF_INET : AddressFamily.AF_INET6;
            if (family != AddressFamily.AF_UNSPEC && family != f) {
                continue;
            }
            InetSocketAddress sa = new InetSocketAddress(a, port);
            if (type == null || type == SocketType.SOCK_STREAM) {
                result.add(new AddrInfo(f, SocketType.SOCK_STREAM, Protocols.IPPROTO_TCP, "", sa));
            }
            if (type == null || type == SocketType.SOCK_DGRAM) {
                result.add(new AddrInfo(f, SocketType.SOCK_DGRAM, Protocols.IPPROTO_UDP, "", sa));
            }
            if (type == null || type == SocketType.SOCK_RAW) {
                result.add(new AddrInfo(f, SocketType.SOCK_RAW, 0, "", sa));
            }
            if (type == SocketType.SOCK_SEQPACKET || type == SocketType.SOCK_RDM) {
                throw SocketError.of(Errno.EAI_SOCKTYPE, "getaddrinfo " + host + " " + type);
            }
        }
        if (result.isEmpty()) {
            throw SocketError.of(Errno.EAI_ADDRFAMILY, "getaddrinfo " + host + " " + family);
        }
        return List.copyOf(result);
    }

    /** This host's name; gethostname(2). */
    public static String getHostName() {
        try {
            // gethostname(2) reads the UTS name, which Linux shows here; no resolver is asked
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        } catch (IOException | SecurityException notLinux) {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                return "localhost";
            }
        }
    }

    // ---- addresses, interfaces, names and services: Python's module functions ------------------

    /**
     * An address's text in its packed form, network byte order; corresponds to inet_pton(3).
     * {@code AF_INET} takes only four decimal octets ({@code 127.0.0.1}: no leading zeros, no
     * shorthand); {@code AF_INET6} takes the RFC 4291 forms, an IPv4 tail ({@code ::ffff:1.2.3.4}) included,
     * and no scope ({@code %eth0}). No name is resolved.
     *
     * @param family {@code AF_INET} (4 bytes back) or {@code AF_INET6} (16 bytes back)
     * @param text   the address as text
     * @return the packed address
     * @throws IllegalArgumentException if {@code text} is not an address of the family (Python's
     *                                  {@code OSError: illegal IP address string passed to inet_pton})
     * @throws SocketError              {@link Errno#EAFNOSUPPORT} for another family
     */
    public static byte[] inetPton(AddressFamily family, String text) throws SocketError {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(text, "text");
        byte[] packed;
        if (family == AddressFamily.AF_INET) {
            packed = InetText.pton4(text);
        } else if (family == AddressFamily.AF_INET6) {
            packed = InetText.pton6(text);
        } else {
            throw SocketError.of(Errno.EAFNOSUPPORT, "inet_pton " + family);
        }
        if (packed == null) {
            throw new IllegalArgumentException("text: not an " + family + " address: \"" + text + "\"");
        }
        return packed;
    }

    /**
     * A packed address as text; corresponds to inet_ntop(3). {@code AF_INET} gives dotted decimal,
     * {@code AF_INET6} the RFC 5952 form glibc and CPython print: lower-case hex, the first longest
     * run of two or more zero groups as {@code ::}, and a dotted tail for IPv4-mapped
     * ({@code ::ffff:1.2.3.4}) and IPv4-compatible ({@code ::1.2.3.4}) addresses.
     *
     * @param family {@code AF_INET} or {@code AF_INET6}
     * @param packed 4 bytes for {@code AF_INET}, 16 for {@code AF_INET6}, network byte order
     * @return the address as text
     * @throws IllegalArgumentException if {@code packed} has another length (Python's {@code ValueError})
     * @throws SocketError              {@link Errno#EAFNOSUPPORT} for another family
     */
    public static String inetNtop(AddressFamily family, byte[] packed) throws SocketError {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(packed, "packed");
        int length = family == AddressFamily.AF_INET ? 4 : family == AddressFamily.AF_INET6 ? 16 : -1;
        if (length < 0) {
            throw SocketError.of(Errno.EAFNOSUPPORT, "inet_ntop " + family);
        }
        if (packed.length != length) {
            throw new IllegalArgumentException("packed: an " + family + " address is " + length + " bytes, got " + packed.length);
        }
        return length == 4 ? InetText.ntop4(packed, 0) : InetText.ntop6(packed);
    }

    /**
     * This host's network interfaces, by index; corresponds to if_nameindex(3). On Linux they are
     * read from {@code /sys/class/net}, which lists every interface, as if_nameindex does;
     * {@link NetworkInterface} (used where that is missing) leaves out interfaces without an address.
     *
     * @return the interfaces, lowest index first
     * @throws SocketError if the interfaces cannot be listed
     */
    public static List<InterfaceName> ifNameIndex() throws SocketError {
        List<InterfaceName> result = new ArrayList<>();
        Path sys = Path.of("/sys/class/net");
        if (Files.isDirectory(sys)) {
            try (Stream<Path> links = Files.list(sys)) {
                for (Path link : (Iterable<Path>) links::iterator) {
                    String index;
                    try {
                        index = Files.readString(link.resolve("ifindex"), StandardCharsets.US_ASCII).strip();
                    } catch (IOException gone) {
                        continue; // removed while we listed
                    }
                    result.add(new InterfaceName(Integer.parseInt(index), link.getFileName().toString()));
                }
            } catch (IOException | UncheckedIOException e) {
                throw new SocketError(Errno.EIO, "if_nameindex /sys/class/net: " + e.getMessage(), e);
            }
        } else {
            try {
                for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                    result.add(new InterfaceName(n.getIndex(), n.getName()));
                }
            } catch (SocketException e) {
                throw new SocketError(Errno.EIO, "if_nameindex: " + e.getMessage(), e);
            }
        }
        result.sort(Comparator.comparingInt(InterfaceName::index));
        return List.copyOf(result);
    }

    /**
     * The index of the interface with this name; corresponds to if_nametoindex(3).
     *
     * @param name the interface name, for example {@code lo}
     * @return the interface index, 1 or more
     * @throws SocketError {@link Errno#ENODEV}, as Linux sets it, when no interface has the name
     */
    public static int ifNameToIndex(String name) throws SocketError {
        Objects.requireNonNull(name, "name");
        for (InterfaceName i : ifNameIndex()) {
            if (i.name().equals(name)) {
                return i.index();
            }
        }
        throw new SocketError(Errno.ENODEV, "if_nametoindex " + name + ": no interface with this name");
    }

    /**
     * The name of the interface with this index; corresponds to if_indextoname(3).
     *
     * @param index the interface index
     * @return the interface name
     * @throws SocketError {@link Errno#ENXIO}, as Linux sets it, when no interface has the index
     */
    public static String ifIndexToName(int index) throws SocketError {
        for (InterfaceName i : ifNameIndex()) {
            if (i.index() == index) {
                return i.name();
            }
        }
        throw SocketError.of(Errno.ENXIO, "if_indextoname " + index);
    }

    /**
     * The host and service of a socket address; corresponds to getnameinfo(3) with {@code flags}
     * from {@link NameInfo} ({@code NI_NUMERICHOST}, {@code NI_NUMERICSERV}, {@code NI_NOFQDN},
     * {@code NI_NAMEREQD}, {@code NI_DGRAM}). The host is the address's reverse-resolved name, or the
     * numeric address (RFC 5952, with {@code %scope}) with {@code NI_NUMERICHOST} or when it has no
     * name; the service is the port's name in {@code /etc/services} for TCP ({@code NI_DGRAM}: UDP),
     * or the port as a number with {@code NI_NUMERICSERV} or when it has no name.
     *
     * @param address a resolved IPv4 or IPv6 socket address
     * @param flags   a combination of the {@code NI_*} flags, 0 for none
     * @return the host and the service
     * @throws SocketError {@link Errno#EAI_NONAME} with {@code NI_NAMEREQD} when the host has no name
     *                     (or {@code NI_NUMERICHOST} was also given), or for an unresolved address;
     *                     {@link Errno#EAI_BADFLAGS} for flags getnameinfo does not know
     */
    public static NameInfo getNameInfo(InetSocketAddress address, int flags) throws SocketError {
        Objects.requireNonNull(address, "address");
        String operation = "getnameinfo " + address;
        if ((flags & ~0xff) != 0) { // glibc also accepts the NI_IDN* bits, 32..128
            throw SocketError.of(Errno.EAI_BADFLAGS, operation);
        }
        if (address.isUnresolved()) {
            throw SocketError.of(Errno.EAI_NONAME, operation);
        }
        InetAddress a = address.getAddress();
        String host = null;
        if ((flags & NameInfo.NI_NUMERICHOST) == 0) {
            InetAddress plain = unscoped(a);
            String name = plain.getCanonicalHostName();
            if (!name.equals(plain.getHostAddress())) { // the JDK gives the address's text when there is no name
                host = (flags & NameInfo.NI_NOFQDN) != 0 ? withoutLocalDomain(name) : name;
            }
        }
        if (host == null) {
            if ((flags & NameInfo.NI_NAMEREQD) != 0) {
                throw SocketError.of(Errno.EAI_NONAME, operation);
            }
            host = numericHost(a);
        }
        int port = address.getPort();
        String service = null;
        if ((flags & NameInfo.NI_NUMERICSERV) == 0) {
            Services.Entry e = Services.byPort(port, (flags & NameInfo.NI_DGRAM) != 0 ? "udp" : "tcp");
            service = e == null ? null : e.name();
        }
        return new NameInfo(host, service == null ? Integer.toString(port) : service);
    }

    /**
     * A fully qualified name for {@code name}, as Python's {@code socket.getfqdn}: the name
     * gethostbyaddr(3) gives for it (the first of it and its aliases that has a dot, else the name
     * itself), or {@code name} unchanged when it does not resolve. An empty name, {@code 0.0.0.0}
     * or {@code ::} stands for this host's name ({@link #getHostName()}).
     *
     * @param name a host name or address; leading and trailing white space is ignored
     * @return the fully qualified name, or {@code name} when there is none
     */
    public static String getFqdn(String name) {
        Objects.requireNonNull(name, "name");
        String n = name.strip();
        if (n.isEmpty() || n.equals("0.0.0.0") || n.equals("::")) {
            n = getHostName();
        }
        InetAddress a;
        try {
            a = InetAddress.getByName(n);
        } catch (UnknownHostException | SecurityException unresolved) {
            return n;
        }
        String canonical = a.getCanonicalHostName();
        if (canonical.equals(a.getHostAddress())) {
            return n; // gethostbyaddr fails: Python keeps the name
        }
        if (canonical.indexOf('.') >= 0) {
            return canonical;
        }
        for (String alias : hostsAliases(canonical)) {
            if (alias.indexOf('.') >= 0) {
                return alias;
            }
        }
        return canonical;
    }

    /**
     * The port of a service in {@code /etc/services}; corresponds to getservbyname(3).
     *
     * @param service the service's name or one of its aliases, for example {@code http}
     * @param proto   {@code "tcp"}, {@code "udp"}, ..., or null for the first entry of any protocol
     * @return the port
     * @throws SocketError {@link Errno#ENOENT} when no entry has the name (and protocol)
     */
    public static int getServByName(String service, String proto) throws SocketError {
        Objects.requireNonNull(service, "service");
        Services.Entry e = Services.byName(service, proto);
        if (e == null) {
            throw new SocketError(Errno.ENOENT, "getservbyname " + service + (proto == null ? "" : "/" + proto)
                    + ": service/proto not found");
        }
        return e.port();
    }

    /**
     * The name of the service on a port in {@code /etc/services}; corresponds to getservbyport(3).
     *
     * @param port  the port, 0..65535
     * @param proto {@code "tcp"}, {@code "udp"}, ..., or null for the first entry of any protocol
     * @return the service's official name
     * @throws SocketError              {@link Errno#ENOENT} when no entry has the port (and protocol)
     * @throws IllegalArgumentException if {@code port} is outside 0..65535 (Python's {@code OverflowError})
     */
    public static String getServByPort(int port, String proto) throws SocketError {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in 0..65535, got " + port);
        }
        Services.Entry e = Services.byPort(port, proto);
        if (e == null) {
            throw new SocketError(Errno.ENOENT, "getservbyport " + port + (proto == null ? "" : "/" + proto)
                    + ": port/proto not found");
        }
        return e.name();
    }

    private static InetAddress unscoped(InetAddress a) {
        try {
            return a instanceof Inet6Address ? InetAddress.getByAddress(a.getAddress()) : a;
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    private static String numericHost(InetAddress a) {
        byte[] packed = a.getAddress();
        if (packed.length == 4) {
            return InetText.ntop4(packed, 0);
        }
        String text = InetText.ntop6(packed);
        int scope = ((Inet6Address) a).getScopeId();
        if (scope == 0) {
            return text;
        }
        String ifname = null;
        if (a.isLinkLocalAddress() || a.isMulticastAddress()) { // glibc names the interface for these only
            try {
                ifname = ifIndexToName(scope);
            } catch (SocketError unknownIndex) {
                ifname = null;
            }
        }
        return text + "%" + (ifname == null ? Integer.toString(scope) : ifname);
    }

    /** NI_NOFQDN as glibc does it: drop this host's domain from the end of a name. */
    private static String withoutLocalDomain(String name) {
        String fqdn = getFqdn("");
        int dot = fqdn.indexOf('.');
        if (dot < 0) {
            return name;
        }
        String domain = fqdn.substring(dot);
        return name.length() > domain.length() && name.endsWith(domain)
                ? name.substring(0, name.length() - domain.length()) : name;
    }

    /** The aliases {@code /etc/hosts} lists on a line whose first name is {@code name}. */
    private static List<String> hostsAliases(String name) {
        List<String> lines;
        try {
            lines = Files.readAllLines(Path.of("/etc/hosts"), StandardCharsets.ISO_8859_1);
        } catch (IOException | SecurityException unreadable) {
            return List.of();
        }
        for (String line : lines) {
            int hash = line.indexOf('#');
            String[] fields = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
            if (fields.length > 2 && fields[1].equals(name)) {
                return List.of(fields).subList(2, fields.length);
            }
        }
        return List.of();
    }

    // ---- choosing a provider --------------------------------------------------------------

    private static SocketProvider choose(AddressFamily family, SocketType type, int proto) throws SocketError {
        List<SocketProvider> installed = providers();
        SocketProvider p = Discovery.choose(installed, System.getProperty(PROVIDER_PROPERTY), family, type, proto);
        if (p == null) {
            throw unsupported(installed, family, type, proto);
        }
        return p;
    }

    private static SocketError unsupported(List<SocketProvider> installed, AddressFamily family, SocketType type, int proto) {
        boolean familyKnown = false;
        boolean typeKnown = false;
        for (SocketProvider p : installed) {
            for (SocketType t : SocketType.values()) {
                if (claims(p, family, t)) {
                    familyKnown = true;
                    typeKnown |= t == type;
                }
            }
        }
        Errno errno = !familyKnown ? Errno.EAFNOSUPPORT : !typeKnown ? Errno.ESOCKTNOSUPPORT : Errno.EPROTONOSUPPORT;
        return new SocketError(errno, "socket(" + family + ", " + type + ", " + proto + "): " + errno.description()
                + "; no installed provider supports it. Installed: " + describe(installed));
    }

    /**
     * Whether a provider takes the family and type with the default protocol, or, for SOCK_RAW,
     * which has none (socket(AF_INET, SOCK_RAW, 0) is EPROTONOSUPPORT), with IPPROTO_RAW.
     */
    private static boolean claims(SocketProvider p, AddressFamily f, SocketType t) {
        return p.supports(f, t, Protocols.DEFAULT) || t == SocketType.SOCK_RAW && p.supports(f, t, Protocols.IPPROTO_RAW);
    }

    /** Each provider with the (family, type) pairs it {@linkplain #claims claims}. */
    private static String describe(List<SocketProvider> installed) {
        if (installed.isEmpty()) {
            return "none (put a jsock provider such as jsock-inet on the class path)";
        }
        return installed.stream().map(p -> {
            List<String> triples = new ArrayList<>();
            for (AddressFamily f : AddressFamily.values()) {
                for (SocketType t : SocketType.values()) {
                    if (claims(p, f, t)) {
                        triples.add(f + " " + t);
                    }
                }
            }
            return p.name() + " (" + String.join(", ", triples) + ")";
        }).collect(Collectors.joining("; "));
    }

    private static AddressFamily familyOf(SocketAddress address) {
        if (address instanceof InetSocketAddress inet) {
            if (inet.isUnresolved()) {
                return AddressFamily.AF_INET;
            }
            return inet.getAddress() instanceof Inet4Address ? AddressFamily.AF_INET : AddressFamily.AF_INET6;
        }
        if (address instanceof UnixAddress || address instanceof UnixDomainSocketAddress) {
            return AddressFamily.AF_UNIX;
        }
        throw new IllegalArgumentException("address: jsock knows no family for a " + address.getClass().getName());
    }
}
