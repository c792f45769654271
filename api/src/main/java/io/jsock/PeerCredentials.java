package io.jsock;

/**
 * The credentials of the process at the other end of an AF_UNIX socket, read with
 * {@link UnixOptions#SO_PEERCRED} ({@code struct ucred}).
 *
 * @param pid the peer's process id at the time it connected
 * @param uid its effective user id
 * @param gid its effective group id
 */
public record PeerCredentials(long pid, int uid, int gid) {
}
