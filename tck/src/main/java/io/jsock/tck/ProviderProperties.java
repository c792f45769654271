package io.jsock.tck;

import io.jsock.Socket;
import io.jsock.spi.SocketProvider;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TCK's jqwik properties for one provider: payload integrity under random sizes and random
 * chunking. A provider's author writes
 *
 * <pre>{@code
 * class MyProviderPropertiesTest extends ProviderProperties {
 *     @Override protected SocketProvider provider() { return new MyProvider(); }
 * }
 * }</pre>
 *
 * Each try picks one of the provider's triples of the right {@link Semantics}; a provider with no
 * such triple has the property reported skipped.
 */
@net.jqwik.api.lifecycle.AddLifecycleHook(value = ProviderProperties.SkipWithoutTriple.class,
        propagateTo = net.jqwik.api.lifecycle.PropagationMode.ALL_DESCENDANTS)
public abstract class ProviderProperties {
    /** The matrix column of the properties. */
    public static final String GROUP = "properties";

    private static final Duration LIMIT = Duration.ofSeconds(20);

    /** The provider under test. */
    protected abstract SocketProvider provider();

    /** Which of the provider's triples to run; all by default. */
    protected Predicate<Contracts.Triple> triples() {
        return t -> true;
    }

    @Provide
    Arbitrary<Contracts.Triple> connectionTriples() {
        return triplesOf(Semantics.STREAM, Semantics.RELIABLE_MESSAGE);
    }

    /** The triples of the provider with one of the given semantics, or one null when there is none. */
    protected final Arbitrary<Contracts.Triple> triplesOf(Semantics... semantics) {
        List<Contracts.Triple> matching = new ArrayList<>();
        for (Contracts.Triple t : Contracts.triplesOf(provider())) {
            if (List.of(semantics).contains(Semantics.of(t.family(), t.type())) && triples().test(t)) {
                matching.add(t);
            }
        }
        if (matching.isEmpty()) {
            return Arbitraries.just(null);
        }
        return Arbitraries.of(matching);
    }

    /** A target for the triple, or a skip when the provider has none of the semantics. */
    protected final TckTarget target(Contracts.Triple triple, String needs) {
        if (triple == null) {
            throw new org.opentest4j.TestAbortedException(provider().name() + " has no " + needs + " triple.");
        }
        return new TckTarget(provider(), triple.family(), triple.type(), triple.proto());
    }

    @Provide
    Arbitrary<Contracts.Triple> streamTriples() {
        return triplesOf(Semantics.STREAM);
    }

    @Property(tries = 40, shrinking = ShrinkingMode.BOUNDED)
    @Contract(id = "stream.properties.payload-arrives-byte-exact-under-random-chunking",
            statement = "Bytes sent over a connection in any chunking arrive complete, in order and unchanged, "
                    + "whatever buffer sizes the receiver reads with.",
            semantics = Semantics.STREAM)
    void streamPayloadArrivesByteExact(@ForAll("streamTriples") Contracts.Triple triple,
                                       @ForAll @IntRange(min = 0, max = 1 << 20) int size,
                                       @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 70_000) Integer> sendChunks,
                                       @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 70_000) Integer> recvSizes,
                                       @ForAll long seed) throws Exception {
        try (TckTarget t = target(triple, "byte-stream")) {
            byte[] payload = new byte[size];
            new Random(seed).nextBytes(payload);
            TckTarget.Connection c = t.connection();
            c.server().setTimeout(LIMIT);
            c.client().setTimeout(LIMIT);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> sendChunked(c.client(), payload, sendChunks));
            ByteArrayCollector received = new ByteArrayCollector(size);
            int i = 0;
            while (true) {
                int want = recvSizes.get(i++ % recvSizes.size());
                byte[] chunk = (i % 2 == 0) ? recvIntoCopy(c.server(), want) : c.server().recv(want);
                if (chunk.length == 0) {
                    break;
                }
                received.add(chunk);
            }
            sender.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(size, received.size(), "bytes received of " + size + " sent");
            assertArrayEquals(payload, received.toArray(), "payload arrived changed");
        }
    }

    @Property(tries = 40, shrinking = ShrinkingMode.BOUNDED)
    @Contract(id = "stream.properties.scatter-gather-arrives-byte-exact",
            statement = "Bytes gathered from any number of heap and direct buffers of any sizes by sendAll(List) and "
                    + "sendmsg arrive complete, in order and unchanged when recvmsg_into scatters them over buffers of any sizes.",
            semantics = Semantics.STREAM)
    void scatterGatherArrivesByteExact(@ForAll("streamTriples") Contracts.Triple triple,
                                       @ForAll @Size(min = 0, max = 1500) List<@IntRange(min = 0, max = 3000) Integer> sendSizes,
                                       @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 1, max = 70_000) Integer> recvSizes,
                                       @ForAll boolean viaSendMsg,
                                       @ForAll long seed) throws Exception {
        try (TckTarget t = target(triple, "byte-stream")) {
            Random random = new Random(seed);
            List<ByteBuffer> pieces = new ArrayList<>();
            int total = 0;
            for (int n : sendSizes) {
                byte[] b = new byte[n];
                random.nextBytes(b);
                pieces.add(random.nextBoolean() ? ByteBuffer.wrap(b) : ByteBuffer.allocateDirect(n).put(b).flip());
                total += n;
            }
            byte[] payload = new byte[total];
            int at = 0;
            for (ByteBuffer p : pieces) {
                int n = p.remaining();
                p.duplicate().get(payload, at, n);
                at += n;
            }
            TckTarget.Connection c = t.connection();
            c.server().setTimeout(LIMIT);
            c.client().setTimeout(LIMIT);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                try {
                    if (viaSendMsg) {
                        int left = payload.length;
                        while (left > 0) { // sendmsg of at most IOV_MAX buffers; a partial send is resumed
                            List<ByteBuffer> rest = pieces.stream().filter(ByteBuffer::hasRemaining).limit(1024).toList();
                            left -= c.client().sendMsg(rest, List.of(), 0, null);
                        }
                    } else {
                        c.client().sendAll(pieces);
                    }
                    c.client().shutdown(io.jsock.Shutdown.SHUT_WR);
                } catch (io.jsock.SocketError e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            ByteArrayCollector received = new ByteArrayCollector(total);
            int i = 0;
            while (true) {
                List<ByteBuffer> into = new ArrayList<>();
                int buffers = 1 + (i++ % recvSizes.size()) % 5;
                for (int k = 0; k < buffers; k++) {
                    int size = recvSizes.get((i + k) % recvSizes.size());
                    into.add((i + k) % 2 == 0 ? ByteBuffer.allocate(size) : ByteBuffer.allocateDirect(size));
                }
                io.jsock.MessageInto m = c.server().recvMsgInto(into, 0, 0);
                if (m.bytes() == 0) {
                    break;
                }
                int stored = 0;
                for (ByteBuffer b : into) {
                    b.flip();
                    byte[] chunk = new byte[b.remaining()];
                    b.get(chunk);
                    received.add(chunk);
                    stored += chunk.length;
                }
                assertEquals(m.bytes(), stored, "bytes recvmsg_into reported against the buffers' positions");
            }
            sender.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(total, received.size(), "bytes received of " + total + " sent from " + pieces.size() + " buffers");
            assertArrayEquals(payload, received.toArray(), "payload arrived changed");
            for (ByteBuffer p : pieces) {
                assertEquals(0, p.remaining(), "bytes left in a buffer after it was sent");
            }
        }
    }

    @Property(tries = 4, shrinking = ShrinkingMode.OFF)
    @Contract(id = "stream.properties.descriptors-return-after-random-lifecycles",
            statement = "After hundreds of sockets each opened, connected (or refused, or timed out) and closed in a random way, "
                    + "the process has as many descriptors open as before.",
            semantics = {Semantics.STREAM, Semantics.RELIABLE_MESSAGE})
    void streamDescriptorsReturnAfterRandomLifecycles(@ForAll("connectionTriples") Contracts.Triple triple,
                                                      @ForAll @Size(min = 300, max = 800) List<@IntRange(min = 0, max = 4) Integer> lifecycles)
            throws Exception {
        try (TckTarget t = target(triple, "connection-oriented")) {
            Socket listener = t.listener();
            listener.setTimeout(LIMIT);
            java.net.SocketAddress address = listener.getSockName();
            java.net.SocketAddress refusing = t.refusingAddress();
            for (int kind = 0; kind <= 4; kind++) {
                lifecycle(t, listener, address, refusing, kind); // loads classes and lazily made provider state first
            }
            int before = t.openDescriptors();
            for (int kind : lifecycles) {
                lifecycle(t, listener, address, refusing, kind);
            }
            int[] now = {0};
            try {
                TckTarget.await("the descriptor count to settle back to " + before, Duration.ofSeconds(5), () -> {
                    now[0] = t.openDescriptors();
                    return now[0] <= before + 3; // a few the JVM itself may have opened meanwhile
                });
            } catch (AssertionError e) {
                throw new AssertionError("open descriptors went from " + before + " to " + now[0] + " after " + lifecycles.size()
                        + " socket lifecycles, all closed", e);
            }
        }
    }

    /**
     * One socket's life, then close: 0 connect, accept, exchange a byte; 1 connect and the peer
     * closes first; 2 refused connect; 3 recv timing out; 4 open and close only.
     */
    private static void lifecycle(TckTarget t, Socket listener, java.net.SocketAddress address, java.net.SocketAddress refusing, int kind)
            throws Exception {
        try (Socket client = t.provider().open(t.family(), t.type(), t.proto())) {
            if (kind == 4) {
                return;
            }
            if (kind == 2) {
                try {
                    client.connect(refusing);
                    throw new AssertionError("connect to " + refusing + " where nobody listens succeeded");
                } catch (io.jsock.SocketError expected) {
                    assertEquals(io.jsock.Errno.ECONNREFUSED, expected.errno(), "errno of connect to " + refusing + ": " + expected);
                }
                return;
            }
            client.connect(address);
            Socket server = listener.accept().socket();
            try {
                server.setTimeout(LIMIT);
                if (kind == 0) {
                    client.sendAll(new byte[] {1});
                    assertEquals(1, server.recv(1).length, "recv of one byte on the accepted socket");
                } else if (kind == 1) {
                    server.close();
                    client.setTimeout(LIMIT);
                    assertEquals(0, client.recv(1).length, "recv on the client after the accepted socket closed");
                } else {
                    server.setTimeout(Duration.ofMillis(1));
                    try {
                        server.recv(1);
                        throw new AssertionError("recv with a 1 ms timeout on an idle connection returned");
                    } catch (io.jsock.SocketTimeoutError expected) {
                        // the path under test
                    }
                }
            } finally {
                server.close(); // idempotent: kind 1 closed it already
            }
        }
    }

    @Provide
    Arbitrary<Contracts.Triple> messageTriples() {
        return triplesOf(Semantics.RELIABLE_MESSAGE);
    }

    @Property(tries = 30, shrinking = ShrinkingMode.BOUNDED)
    @Contract(id = "message.properties.messages-arrive-whole-and-in-order",
            statement = "Any number of messages of any sizes, empty ones included, arrive as the same messages in the order sent: "
                    + "none merged, split, lost or changed, whatever room each recv offers beyond the message.",
            semantics = Semantics.RELIABLE_MESSAGE)
    void messagesArriveWholeAndInOrder(@ForAll("messageTriples") Contracts.Triple triple,
                                       @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 20_000) Integer> sizes,
                                       @ForAll @IntRange(min = 1, max = 70_000) int extraRoom,
                                       @ForAll long seed) throws Exception {
        try (TckTarget t = target(triple, "reliable-message")) {
            List<byte[]> messages = randomPayloads(sizes, seed);
            TckTarget.Connection c = t.connection();
            c.server().setTimeout(LIMIT);
            c.client().setTimeout(LIMIT);
            TckTarget.Background<Void> sender = t.background("sending " + messages.size() + " messages", () -> {
                for (byte[] m : messages) {
                    c.client().sendAll(m);
                }
                c.client().shutdown(io.jsock.Shutdown.SHUT_WR);
                return null;
            });
            for (int i = 0; i < messages.size(); i++) {
                byte[] want = messages.get(i);
                int room = want.length + extraRoom;
                byte[] got = (i % 2 == 0) ? c.server().recv(room) : recvIntoCopy(c.server(), room);
                assertEquals(want.length, got.length, "length of message #" + i + " of " + messages.size() + " received with room for " + room);
                assertArrayEquals(want, got, "bytes of message #" + i);
            }
            assertEquals(0, c.server().recv(extraRoom).length, "recv after the last message and the peer's SHUT_WR");
            sender.get(LIMIT);
        }
    }

    @Provide
    Arbitrary<Contracts.Triple> datagramTriples() {
        return triplesOf(Semantics.DATAGRAM);
    }

    @Property(tries = 30, shrinking = ShrinkingMode.BOUNDED)
    @Contract(id = "datagram.properties.paced-datagrams-arrive-intact-and-in-order",
            statement = "Datagrams of any size up to 8 KiB, empty ones included, sent on loopback in windows the receiver drains "
                    + "arrive each whole, unchanged, in the order sent and with the sender's address.",
            semantics = Semantics.DATAGRAM)
    void pacedDatagramsArriveIntactAndInOrder(@ForAll("datagramTriples") Contracts.Triple triple,
                                              @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 8192) Integer> sizes,
                                              @ForAll @IntRange(min = 1, max = 4) int window,
                                              @ForAll long seed) throws Exception {
        try (TckTarget t = target(triple, "datagram")) {
            List<byte[]> sent = randomPayloads(sizes, seed);
            Socket sender = t.bound();
            Socket receiver = t.bound();
            receiver.setTimeout(LIMIT);
            java.net.SocketAddress to = receiver.getSockName();
            java.net.SocketAddress from = sender.getSockName();
            ByteBuffer direct = ByteBuffer.allocateDirect(8192 + 1);
            for (int start = 0; start < sent.size(); start += window) {
                int end = Math.min(sent.size(), start + window);
                for (int i = start; i < end; i++) {
                    assertEquals(sent.get(i).length, sender.sendTo(sent.get(i), to), "sendto of datagram #" + i);
                }
                for (int i = start; i < end; i++) {
                    byte[] got;
                    java.net.SocketAddress source;
                    if (i % 2 == 0) {
                        io.jsock.Datagram d = receiver.recvFrom(8192 + 1);
                        got = d.data();
                        source = d.address();
                    } else {
                        direct.clear();
                        source = receiver.recvFromInto(direct);
                        got = new byte[direct.flip().remaining()];
                        direct.get(got);
                    }
                    assertEquals(sent.get(i).length, got.length, "length of datagram #" + i + " of " + sent.size());
                    assertArrayEquals(sent.get(i), got, "bytes of datagram #" + i);
                    assertEquals(from, source, "sender of datagram #" + i);
                }
            }
        }
    }

    @Property(tries = 10, shrinking = ShrinkingMode.BOUNDED)
    @Contract(id = "datagram.properties.near-largest-datagrams-arrive-intact",
            statement = "Datagrams within 64 bytes of the largest the family carries (65507 bytes for IPv4, 65527 for IPv6) "
                    + "arrive whole and unchanged, one at a time.",
            semantics = Semantics.DATAGRAM)
    void nearLargestDatagramsArriveIntact(@ForAll("datagramTriples") Contracts.Triple triple,
                                          @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 64) Integer> belowLargest,
                                          @ForAll long seed) throws Exception {
        try (TckTarget t = target(triple, "datagram")) {
            int largest = t.family() == io.jsock.AddressFamily.AF_INET6 ? 65_527 : 65_507;
            List<Integer> sizes = new ArrayList<>();
            for (int below : belowLargest) {
                sizes.add(largest - below);
            }
            List<byte[]> sent = randomPayloads(sizes, seed);
            Socket sender = t.bound();
            Socket receiver = t.bound();
            receiver.setTimeout(LIMIT);
            for (int i = 0; i < sent.size(); i++) {
                sender.sendTo(sent.get(i), receiver.getSockName());
                byte[] got = receiver.recv(70_000);
                assertEquals(sent.get(i).length, got.length, "length of datagram #" + i);
                assertArrayEquals(sent.get(i), got, "bytes of datagram #" + i);
            }
        }
    }

    @Property(tries = 20, shrinking = ShrinkingMode.BOUNDED)
    @Contract(id = "datagram.properties.received-datagrams-equal-sent-ones",
            statement = "Whatever a burst of datagrams loses, each datagram received equals one that was sent, in the order sent: "
                    + "none merged, split, duplicated or changed.",
            semantics = Semantics.DATAGRAM)
    void receivedDatagramsEqualSentOnes(@ForAll("datagramTriples") Contracts.Triple triple,
                                        @ForAll @Size(min = 1, max = 64) List<@IntRange(min = 4, max = 4096) Integer> sizes,
                                        @ForAll long seed) throws Exception {
        try (TckTarget t = target(triple, "datagram")) {
            List<byte[]> sent = randomPayloads(sizes, seed);
            for (int i = 0; i < sent.size(); i++) {
                ByteBuffer.wrap(sent.get(i)).putInt(0, i); // each datagram names its index in its first 4 bytes
            }
            Socket sender = t.bound();
            Socket receiver = t.bound();
            sender.setBlocking(false); // a burst: what does not fit is lost, not waited for
            for (byte[] d : sent) {
                try {
                    sender.sendTo(d, receiver.getSockName());
                } catch (io.jsock.SocketError e) {
                    if (e.errno() != io.jsock.Errno.EAGAIN) {
                        throw e;
                    }
                }
            }
            receiver.setTimeout(Duration.ofMillis(300));
            int last = -1;
            for (int n = 0; n < sent.size(); n++) {
                byte[] got;
                try {
                    got = receiver.recv(8192);
                } catch (io.jsock.SocketTimeoutError drained) {
                    break;
                }
                assertTrue(got.length >= 4, "a received datagram of " + got.length + " bytes is shorter than any sent");
                int index = ByteBuffer.wrap(got).getInt(0);
                assertTrue(index > last && index < sent.size(), "datagram index " + index + " after " + last + " of " + sent.size());
                assertArrayEquals(sent.get(index), got, "datagram #" + index + " received changed");
                last = index;
            }
        }
    }

    /**
     * Skips a property, with the reason, when the provider has no triple of the semantics its
     * {@link Contract} declares (jqwik would otherwise count every try as rejected and fail the
     * property as exhausted), or when {@value ProviderTck#CASE_PROPERTY} does not name it. Where the
     * JUnit Platform registers {@link ApplicableOnly}, as Surefire's and the IDEs' launchers do, such
     * a property is not even discovered, as a Jupiter case that does not apply is not generated.
     */
    public static final class SkipWithoutTriple implements net.jqwik.api.lifecycle.SkipExecutionHook {
        @Override
        public SkipResult shouldBeSkipped(net.jqwik.api.lifecycle.LifecycleContext context) {
            Contract contract = context.findAnnotation(Contract.class).orElse(null);
            Class<?> container = context.optionalContainerClass().orElse(null);
            if (contract == null || container == null || !ProviderProperties.class.isAssignableFrom(container)) {
                return SkipResult.doNotSkip();
            }
            if (!ProviderTck.casesWanted().test(contract.id())) {
                return SkipResult.skip("-D" + ProviderTck.CASE_PROPERTY + "=" + System.getProperty(ProviderTck.CASE_PROPERTY)
                        + " does not name " + contract.id() + ".");
            }
            ProviderProperties properties = (ProviderProperties) context.newInstance(container);
            ProviderTck.selectedTriples(properties.provider(), properties.triples()); // none: fails, a run that tests nothing
            if (properties.appliesToSomeTriple(contract)) {
                return SkipResult.doNotSkip();
            }
            return SkipResult.skip(properties.provider().name() + " has no triple of " + List.of(contract.semantics()) + ".");
        }
    }

    /** Whether a triple the provider claims and {@link #triples()} keeps has the semantics and family the property declares. */
    final boolean appliesToSomeTriple(Contract contract) {
        for (Contracts.Triple t : Contracts.triplesOf(provider())) {
            if (triples().test(t) && Contracts.propertiesFor(t).stream().anyMatch(c -> c.id().equals(contract.id()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Leaves out of discovery each property of a {@code ProviderProperties} subclass that applies to
     * none of its provider's selected triples, or that {@value ProviderTck#CASE_PROPERTY} does not
     * name: the JUnit Platform finds this filter through {@code ServiceLoader}, so a Surefire run
     * counts the same cases as {@code jsock tck}. A subclass that cannot be instantiated, or whose
     * provider claims no triple, keeps every property, and the properties then fail saying why.
     */
    public static final class ApplicableOnly implements PostDiscoveryFilter {
        /** Registered through {@code ServiceLoader}. */
        public ApplicableOnly() {
        }

        @Override
        public FilterResult apply(TestDescriptor descriptor) {
            try {
                return decide(descriptor);
            } catch (RuntimeException | LinkageError notOurs) {
                return FilterResult.included(null); // it runs, or fails, as it would without this filter
            }
        }

        private static FilterResult decide(TestDescriptor descriptor) {
            if (!(descriptor.getSource().orElse(null) instanceof MethodSource source)) {
                return FilterResult.included(null);
            }
            Class<?> container = descriptor.getParent()
                    .flatMap(TestDescriptor::getSource)
                    .filter(ClassSource.class::isInstance)
                    .map(c -> ((ClassSource) c).getJavaClass())
                    .orElse(null);
            Contract contract;
            try {
                contract = source.getJavaMethod().getAnnotation(Contract.class);
            } catch (RuntimeException notLoadable) {
                return FilterResult.included(null);
            }
            if (contract == null || container == null || !ProviderProperties.class.isAssignableFrom(container)
                    || Modifier.isAbstract(container.getModifiers())) {
                return FilterResult.included(null);
            }
            if (!ProviderTck.casesWanted().test(contract.id())) {
                return FilterResult.excluded("-D" + ProviderTck.CASE_PROPERTY + " does not name it");
            }
            ProviderProperties properties;
            try {
                Constructor<?> ctor = container.getDeclaredConstructor();
                ctor.setAccessible(true);
                properties = (ProviderProperties) ctor.newInstance();
                ProviderTck.selectedTriples(properties.provider(), properties.triples());
            } catch (ReflectiveOperationException | RuntimeException | AssertionError cannotTell) {
                return FilterResult.included("the provider's triples are unknown: the property says why");
            }
            return properties.appliesToSomeTriple(contract)
                    ? FilterResult.included(null)
                    : FilterResult.excluded("applies to none of " + properties.provider().name() + "'s triples");
        }
    }

    // files and batches: sendfile(2), sendmmsg(2), recvmmsg(2)

    @Property(tries = 30, shrinking = ShrinkingMode.BOUNDED)
    @Contract(id = "datagram.properties.batches-keep-order-and-boundaries",
            statement = "Datagrams of random sizes and counts sent with sendMany (again for those it did not take) and read with "
                    + "recvMany of a random batch size arrive each whole, unchanged, in the order sent and with the sender's address.",
            semantics = Semantics.DATAGRAM)
    void batchesKeepOrderAndBoundaries(@ForAll("datagramTriples") Contracts.Triple triple,
                                       @ForAll @Size(min = 1, max = 64) List<@IntRange(min = 0, max = 2048) Integer> sizes,
                                       @ForAll @IntRange(min = 1, max = 16) int batch,
                                       @ForAll long seed) throws Exception {
        try (TckTarget t = target(triple, "datagram")) {
            List<byte[]> sent = randomPayloads(sizes, seed);
            Socket sender = t.bound();
            Socket receiver = t.bound();
            sender.setTimeout(LIMIT);
            receiver.setTimeout(LIMIT);
            java.net.SocketAddress to = receiver.getSockName();
            List<io.jsock.Datagram> all = new ArrayList<>();
            for (byte[] d : sent) {
                all.add(new io.jsock.Datagram(d, to));
            }
            List<io.jsock.Datagram> got = new ArrayList<>();
            int from = 0;
            while (from < all.size()) {
                // a window: what one sendMany takes (AF_UNIX queues at most max_dgram_qlen), then all of it received
                List<io.jsock.Datagram> rest = all.subList(from, all.size());
                int went = t.optional("sendMany", () -> sender.sendMany(rest));
                assertTrue(went >= 1 && went <= rest.size(), "sendMany of " + rest.size() + " in timeout mode returned " + went);
                from += went;
                while (got.size() < from) {
                    List<io.jsock.Datagram> some = t.optional("recvMany", () -> receiver.recvMany(batch, 2048 + 1));
                    assertTrue(!some.isEmpty() && some.size() <= batch, "recvMany(" + batch + ") returned " + some.size());
                    got.addAll(some);
                }
            }
            java.net.SocketAddress source = sender.getSockName();
            for (int i = 0; i < sent.size(); i++) {
                assertArrayEquals(sent.get(i), got.get(i).data(), "bytes of datagram #" + i + " of " + sent.size());
                assertEquals(source, got.get(i).address(), "sender of datagram #" + i);
            }
        }
    }

    @Property(tries = 30, shrinking = ShrinkingMode.BOUNDED)
    @Contract(id = "stream.properties.send-file-arrives-byte-exact",
            statement = "sendFile of a file of random size from a random offset for a random count (0: to the end), from a path "
                    + "or a channel, returns what it sent and the peer receives exactly those bytes of the file.",
            semantics = Semantics.STREAM)
    void sendFileArrivesByteExact(@ForAll("streamTriples") Contracts.Triple triple,
                                  @ForAll @IntRange(min = 0, max = 1 << 20) int size,
                                  @ForAll @IntRange(min = 0, max = (1 << 20) + 16) int offsetSeed,
                                  @ForAll @IntRange(min = 0, max = (1 << 20) + 16) int count,
                                  @ForAll boolean channel,
                                  @ForAll long seed) throws Exception {
        try (TckTarget t = target(triple, "byte-stream")) {
            byte[] content = new byte[size];
            new Random(seed).nextBytes(content);
            int offset = offsetSeed % (size + 17);
            java.nio.file.Path file = java.nio.file.Files.write(t.tempDir().resolve("file"), content);
            int end = count == 0 ? size : (int) Math.min(size, (long) offset + count);
            byte[] expected = offset >= end ? new byte[0] : java.util.Arrays.copyOfRange(content, offset, end);
            TckTarget.Connection c = t.connection();
            c.server().setTimeout(LIMIT);
            c.client().setTimeout(LIMIT);
            TckTarget.Background<byte[]> peer = t.background("the peer reading to the end", () -> {
                ByteArrayCollector received = new ByteArrayCollector(expected.length);
                for (byte[] piece = c.server().recv(65536); piece.length > 0; piece = c.server().recv(65536)) {
                    received.add(piece);
                }
                return received.toArray();
            });
            long sent;
            if (channel) {
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
                    sent = t.optional("sendFile", () -> c.client().sendFile(ch, offset, count));
                    assertEquals(0, ch.position(), "the channel's position after sendFile");
                }
            } else {
                sent = t.optional("sendFile", () -> c.client().sendFile(file, offset, count));
            }
            c.client().shutdown(io.jsock.Shutdown.SHUT_WR);
            assertEquals(expected.length, sent, "sendFile(" + (channel ? "channel" : "path") + ", " + offset + ", " + count
                    + ") of a " + size + "-byte file returns");
            assertArrayEquals(expected, peer.get(LIMIT), "the bytes the peer received");
        }
    }

    private static List<byte[]> randomPayloads(List<Integer> sizes, long seed) {
        Random random = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int size : sizes) {
            byte[] d = new byte[size];
            random.nextBytes(d);
            out.add(d);
        }
        return out;
    }

    private static byte[] recvIntoCopy(Socket s, int want) throws io.jsock.SocketError {
        ByteBuffer direct = ByteBuffer.allocateDirect(want);
        int n = s.recvInto(direct);
        byte[] out = new byte[n];
        direct.flip().get(out);
        return out;
    }

    private static void sendChunked(Socket s, byte[] payload, List<Integer> chunks) {
        try {
            int off = 0;
            int i = 0;
            while (off < payload.length) {
                int n = Math.min(chunks.get(i % chunks.size()), payload.length - off);
                if (i % 3 == 2) {
                    ByteBuffer direct = ByteBuffer.allocateDirect(n);
                    direct.put(payload, off, n).flip();
                    s.sendAll(direct);
                } else {
                    s.sendAll(java.util.Arrays.copyOfRange(payload, off, off + n));
                }
                off += n;
                i++;
            }
            s.shutdown(io.jsock.Shutdown.SHUT_WR);
        } catch (io.jsock.SocketError e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    /** Collects chunks into one array. */
    static final class ByteArrayCollector {
        private byte[] buf;
        private int size;

        ByteArrayCollector(int expected) {
            buf = new byte[Math.max(16, expected)];
        }

        void add(byte[] chunk) {
            if (size + chunk.length > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + chunk.length));
            }
            System.arraycopy(chunk, 0, buf, size, chunk.length);
            size += chunk.length;
        }

        int size() {
            return size;
        }

        byte[] toArray() {
            return java.util.Arrays.copyOf(buf, size);
        }
    }
}
