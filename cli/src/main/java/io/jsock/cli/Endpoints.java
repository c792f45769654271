package io.jsock.cli;

import io.jsock.AddrInfo;
import io.jsock.AddressFamily;
import io.jsock.SocketError;
import io.jsock.SocketType;
import io.jsock.Sockets;
import io.jsock.UnixAddress;
import io.jsock.spi.AbstractSocket;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** FAMILY, TYPE and ADDRESS of the command line, and how an address is printed. */
final class Endpoints {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern PORT = Pattern.compile("\\d{1,5}");

    private Endpoints() {
    }

    /** {@code AF_INET}, {@code inet6}, {@code af_unix}...: the three families the CLI knows. */
    static AddressFamily family(String arg) throws UsageError {
        AddressFamily f = familyOrNull(arg);
        if (f == null) {
            throw UsageError.bad("FAMILY", arg, "expected AF_INET, AF_INET6 or AF_UNIX");
        }
        return f;
    }

    /** Whether the argument names a family the CLI knows. */
    static boolean isFamily(String arg) {
        return familyOrNull(arg) != null;
    }

    private static AddressFamily familyOrNull(String arg) {
        String name = arg.toUpperCase(Locale.ROOT);
        if (!name.startsWith("AF_")) {
            name = "AF_" + name;
        }
        switch (name) {
            case "AF_INET":
                return AddressFamily.AF_INET;
            case "AF_INET6":
                return AddressFamily.AF_INET6;
            case "AF_UNIX":
                return AddressFamily.AF_UNIX;
            default:
                return null;
        }
    }

    /**
     * {@code SOCK_STREAM}, {@code dgram}, {@code seqpacket}...: every socket type; whether an
     * installed provider offers it is for {@code socket()} to say.
     */
    static SocketType type(String arg) throws UsageError {
        String name = arg.toUpperCase(Locale.ROOT);
        if (!name.startsWith("SOCK_")) {
            name = "SOCK_" + name;
        }
        for (SocketType t : SocketType.values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw UsageError.bad("TYPE", arg, "expected SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_RAW or SOCK_RDM");
    }

    /** Whether sockets of the type connect, listen and accept: SOCK_STREAM and SOCK_SEQPACKET. */
    static boolean connectionOriented(SocketType type) {
        return type == SocketType.SOCK_STREAM || type == SocketType.SOCK_SEQPACKET;
    }

    /**
     * The ADDRESS for a family, checked without I/O. An inet host that is a name, not a literal,
     * comes back unresolved: {@link #resolve} looks it up.
     */
    static SocketAddress address(AddressFamily family, String arg) throws UsageError {
        if (family == AddressFamily.AF_UNIX) {
            return unixAddress(arg);
        }
        return inetAddress(family, arg);
    }

    private static UnixAddress unixAddress(String arg) throws UsageError {
        if (arg.isEmpty()) {
            throw UsageError.bad("ADDRESS", arg, "expected a socket file path or @name");
        }
        if (arg.indexOf('\0') >= 0) {
            // bind(2) would stop at the NUL and make a file of another name
            throw UsageError.bad("ADDRESS", arg, "a path or name cannot hold a NUL character");
        }
        UnixAddress address;
        if (arg.startsWith("@")) {
            if (arg.length() == 1) {
                throw UsageError.bad("ADDRESS", arg, "an abstract name needs a name after the @");
            }
            address = UnixAddress.abstractName(arg.substring(1));
        } else {
            address = UnixAddress.of(arg);
        }
        if (!address.fits()) {
            throw UsageError.bad("ADDRESS", arg, "longer than the " + (UnixAddress.MAX_PATH_BYTES - 1) + " bytes an AF_UNIX address may have");
        }
        return address;
    }

    private static InetSocketAddress inetAddress(AddressFamily family, String arg) throws UsageError {
        String host;
        String port;
        if (arg.startsWith("[")) {
            int close = arg.indexOf(']');
            if (close < 0 || close + 1 >= arg.length() || arg.charAt(close + 1) != ':') {
                throw UsageError.bad("ADDRESS", arg, "expected [v6address]:port");
            }
            host = arg.substring(1, close);
            port = arg.substring(close + 2);
            if (!host.contains(":")) {
                throw UsageError.bad("ADDRESS", arg, "only an IPv6 address goes in brackets");
            }
        } else {
            int colon = arg.lastIndexOf(':');
            if (colon < 0) {
                throw UsageError.bad("ADDRESS", arg, family == AddressFamily.AF_INET6 ? "expected [v6address]:port or host:port" : "expected host:port");
            }
            host = arg.substring(0, colon);
            port = arg.substring(colon + 1);
            if (host.contains(":")) {
                throw UsageError.bad("ADDRESS", arg, "an IPv6 address needs brackets, as in [" + host + "]:" + port);
            }
        }
        int portNumber = port(arg, port);
        if (host.isEmpty()) {
            // Python's '' host: every address of the family, for a server
            InetAddress any = wildcard(family);
            return new InetSocketAddress(any, portNumber);
        }
        if (host.contains(":")) {
            InetAddress literal = ipv6(arg, host);
            if (family != AddressFamily.AF_INET6) {
                throw UsageError.bad("ADDRESS", arg, "an IPv6 address, but FAMILY is " + family);
            }
            return new InetSocketAddress(literal, portNumber);
        }
        if (IPV4.matcher(host).matches()) {
            InetAddress literal = ipv4(arg, host);
            if (family != AddressFamily.AF_INET) {
                throw UsageError.bad("ADDRESS", arg, "an IPv4 address, but FAMILY is " + family + " (use [::ffff:" + host + "] for a v4-mapped one)");
            }
            return new InetSocketAddress(literal, portNumber);
        }
        return InetSocketAddress.createUnresolved(host, portNumber);
    }

    private static int port(String arg, String port) throws UsageError {
        if (!PORT.matcher(port).matches() || Integer.parseInt(port) > 65535) {
            throw UsageError.bad("ADDRESS", arg, "the port must be a number 0..65535");
        }
        return Integer.parseInt(port);
    }

    private static InetAddress ipv6(String arg, String host) throws UsageError {
        int percent = host.indexOf('%');
        String literal = percent < 0 ? host : host.substring(0, percent);
        InetAddress parsed;
        try {
            // a literal with ':' is parsed, never looked up
            parsed = InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw UsageError.bad("ADDRESS", arg, "not an IPv6 address");
        }
        if (percent >= 0) {
            return scoped(arg, parsed, host.substring(percent + 1));
        }
        if (parsed instanceof Inet6Address) {
            return parsed;
        }
        // the JDK turns ::ffff:a.b.c.d into an IPv4 address; an AF_INET6 socket needs the v6 form
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(parsed.getAddress(), 0, mapped, 12, 4);
        try {
            return Inet6Address.getByAddress(null, mapped, null);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * The address with a scope, as getaddrinfo(3) reads {@code fe80::1%lo}: an interface name or
     * number. Whether the address exists on that interface is bind's or connect's to say, as in
     * Python; the JDK's own parser refuses a scope on an interface without a link-local address.
     */
    private static InetAddress scoped(String arg, InetAddress parsed, String scope) throws UsageError {
        int index;
        if (scope.matches("\\d{1,10}") && Long.parseLong(scope) <= Integer.MAX_VALUE) {
            index = Integer.parseInt(scope);
        } else {
            NetworkInterface nif;
            try {
                nif = scope.isEmpty() ? null : NetworkInterface.getByName(scope);
            } catch (SocketException e) {
                nif = null;
            }
            if (nif == null) {
                throw UsageError.bad("ADDRESS", arg, "no network interface " + UsageError.quote(scope) + " for the scope");
            }
            index = nif.getIndex();
        }
        if (!(parsed instanceof Inet6Address)) {
            throw UsageError.bad("ADDRESS", arg, "a scope is for an IPv6 address");
        }
        try {
            return Inet6Address.getByAddress(null, parsed.getAddress(), index);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static InetAddress ipv4(String arg, String host) throws UsageError {
        String[] parts = host.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int octet = Integer.parseInt(parts[i]);
            if (octet > 255) {
                throw UsageError.bad("ADDRESS", arg, "not an IPv4 address: " + parts[i] + " is more than 255");
            }
            bytes[i] = (byte) octet;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static InetAddress wildcard(AddressFamily family) {
        try {
            return InetAddress.getByAddress(new byte[family == AddressFamily.AF_INET6 ? 16 : 4]);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** A host name looked up with getaddrinfo for the family and type, the first answer; a literal as it is. */
    static SocketAddress resolve(SocketAddress address, AddressFamily family, SocketType type) throws SocketError {
        if (address instanceof InetSocketAddress inet && inet.isUnresolved()) {
            List<AddrInfo> found = Sockets.getAddrInfo(inet.getHostString(), inet.getPort(), family, type);
            return found.get(0).address();
        }
        return address;
    }

    /**
     * An address as the command line writes it: {@code 127.0.0.1:6254}, {@code [::1]:6254}, a path,
     * {@code @name}; so what {@code echo} prints can be given to {@code cat}. The one formatter of
     * messages and repr ({@link AbstractSocket#describe}): IPv6 in RFC 5952 form.
     */
    static String format(SocketAddress address) {
        if (address instanceof UnixAddress unix && unix.isUnnamed()) {
            return "(unnamed)";
        }
        return AbstractSocket.describe(address);
    }
}
