package io.jsock;

/**
 * A socket's registration in a {@link Selector}, Python's {@code selectors.SelectorKey}.
 *
 * @param socket the registered socket
 * @param fd     its descriptor when it was registered
 * @param events what it is watched for: {@link Selector#EVENT_READ}, {@link Selector#EVENT_WRITE} or both
 * @param data   the caller's object, given back with each readiness
 */
public record SelectorKey(Socket socket, int fd, int events, Object data) {
}
