package io.jsock;

import java.net.InetSocketAddress;

/**
 * One result of {@link Sockets#getAddrInfo}: what {@code getaddrinfo(3)} returns in one
 * {@code struct addrinfo}, as Python's 5-tuple {@code (family, type, proto, canonname, sockaddr)}.
 *
 * @param family    {@code AF_INET} or {@code AF_INET6}
 * @param type      the socket type to use with the address
 * @param proto     the protocol number for that type ({@code IPPROTO_TCP} for streams, and so on)
 * @param canonName the canonical host name, or the empty string when none was asked for
 * @param address   the resolved address with the port
 */
public record AddrInfo(AddressFamily family, SocketType type, int proto, String canonName, InetSocketAddress address) {
}
