package io.jsock;

/**
 * One ready socket from {@link Selector#select}: its key and what it is ready for (a subset of
 * the key's events), as Python's {@code (key, events)} pair.
 *
 * @param key    the socket's registration
 * @param events {@link Selector#EVENT_READ}, {@link Selector#EVENT_WRITE} or both
 */
public record Ready(SelectorKey key, int events) {
}
