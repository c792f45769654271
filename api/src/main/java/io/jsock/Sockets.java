package io.jsock;

import io.jsock.spi.SocketProvider;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.WeakHashMap;
import java.util.stream.Collectors;

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
                if (p.supports(family, t, Protocols.DEFAULT)) {
                    familyKnown = true;
                    typeKnown |= t == type;
                }
            }
        }
        Errno errno = !familyKnown ? Errno.EAFNOSUPPORT : !typeKnown ? Errno.ESOCKTNOSUPPORT : Errno.EPROTONOSUPPORT;
        return new SocketError(errno, "socket(" + family + ", " + type + ", " + proto + "): " + errno.description()
                + "; no installed provider supports it. Installed: " + describe(installed));
    }

    /** Each provider with the (family, type) pairs it supports with the default protocol. */
    private static String describe(List<SocketProvider> installed) {
        if (installed.isEmpty()) {
            return "none (put a jsock provider such as jsock-inet on the class path)";
        }
        return installed.stream().map(p -> {
            List<String> triples = new ArrayList<>();
            for (AddressFamily f : AddressFamily.values()) {
                for (SocketType t : SocketType.values()) {
                    if (p.supports(f, t, Protocols.DEFAULT)) {
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
