package io.jsock;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

/**
 * An AF_UNIX address ({@code struct sockaddr_un}): a file system path, a Linux abstract name, or
 * unnamed (an unbound socket, or the client end of a connection that never bound).
 *
 * <p>Addresses have value equality: {@code UnixAddress.of("/tmp/a").equals(sock.getSockName())}
 * after binding there. {@link #toString()} gives the path, {@code @name} for an abstract name, and
 * the empty string for an unnamed address, as Python shows them.
 */
public final class UnixAddress extends SocketAddress {
    private static final long serialVersionUID = 1L;

    /**
     * The longest {@code sun_path} Linux takes, in bytes, the terminating NUL included; a path may
     * have 107 bytes, an abstract name 107 bytes after its leading NUL.
     */
    public static final int MAX_PATH_BYTES = 108;

    private static final UnixAddress UNNAMED = new UnixAddress(Kind.UNNAMED, "");

    private enum Kind { PATH, ABSTRACT, UNNAMED }

    private final Kind kind;
    private final String name;
    /** 1 + the name's length in UTF-8 bytes once {@link #fits()} has counted it; 0 before (and after deserialization). */
    private transient int nameBytesPlusOne;

    private UnixAddress(Kind kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    /**
     * A path address. A string that starts with NUL ({@code "\0name"}) is an abstract name, as in
     * Python; the empty string is the unnamed address.
     *
     * @throws NullPointerException if {@code path} is null
     */
    public static UnixAddress of(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty()) {
            return UNNAMED;
        }
        if (path.charAt(0) == '\0') {
            return new UnixAddress(Kind.ABSTRACT, path.substring(1));
        }
        return new UnixAddress(Kind.PATH, path);
    }

    /** A path address. @throws NullPointerException if {@code path} is null */
    public static UnixAddress of(Path path) {
        Objects.requireNonNull(path, "path");
        return of(path.toString());
    }

    /**
     * The address of a JDK AF_UNIX address; an empty path there is the unnamed address.
     *
     * @throws NullPointerException if {@code address} is null
     */
    public static UnixAddress of(UnixDomainSocketAddress address) {
        Objects.requireNonNull(address, "address");
        return of(address.getPath().toString());
    }

    /**
     * A name in Linux's abstract namespace: no file is made, and the name goes when the last socket
     * bound to it closes. {@code "jsock"} is what C writes as {@code "\0jsock"}.
     *
     * @throws NullPointerException if {@code name} is null
     */
    public static UnixAddress abstractName(String name) {
        Objects.requireNonNull(name, "name");
        return new UnixAddress(Kind.ABSTRACT, name);
    }

    /** The unnamed address: what an unbound AF_UNIX socket's name is. */
    public static UnixAddress unnamed() {
        return UNNAMED;
    }

    /** Whether this is a Linux abstract name. */
    public boolean isAbstract() {
        return kind == Kind.ABSTRACT;
    }

    /** Whether this is the unnamed address. */
    public boolean isUnnamed() {
        return kind == Kind.UNNAMED;
    }

    /**
     * The file system path.
     *
     * @throws IllegalStateException if this is an abstract name or unnamed
     */
    public Path path() {
        if (kind != Kind.PATH) {
            throw new IllegalStateException("a " + (isAbstract() ? "abstract" : "unnamed") + " address has no path: " + this);
        }
        return Path.of(name);
    }

    /** The abstract name without its leading NUL, the path as a string, or "" when unnamed. */
    public String name() {
        return name;
    }

    /**
     * The bytes of {@code sun_path} without the terminating NUL: the path's UTF-8 bytes, or a NUL
     * and then the abstract name's bytes.
     */
    public byte[] sunPath() {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        if (kind != Kind.ABSTRACT) {
            return bytes;
        }
        byte[] withNul = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, withNul, 1, bytes.length);
        return withNul;
    }

    /**
     * Whether the address fits in {@code sun_path}: a path of at most 107 bytes (the NUL makes 108),
     * an abstract name of at most 107 bytes after its leading NUL.
     */
    public boolean fits() {
        int counted = nameBytesPlusOne;
        if (counted == 0) {
            counted = nameBytesPlusOne = name.getBytes(StandardCharsets.UTF_8).length + 1; // once: sendto checks every call
        }
        return counted - 1 <= MAX_PATH_BYTES - 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnixAddress a && kind == a.kind && name.equals(a.name);
    }

    @Override
    public int hashCode() {
        return kind.hashCode() * 31 + name.hashCode();
    }

    @Override
    public String toString() {
        return isAbstract() ? "@" + name : name;
    }
}
