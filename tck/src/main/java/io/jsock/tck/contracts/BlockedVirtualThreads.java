package io.jsock.tck.contracts;

import io.jsock.Errno;
import io.jsock.Socket;
import io.jsock.SocketError;
import io.jsock.tck.TckTarget;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Many more virtual threads than the scheduler has carrier threads, each blocked in one call on
 * its own socket: whether another virtual thread still runs, and whether close() wakes them all.
 * The TCK compiles for Java 17, so virtual threads are reached through method handles.
 */
final class BlockedVirtualThreads implements AutoCloseable {
    /** How soon a fresh virtual thread must run, and every blocked thread must have reached its call. */
    static final Duration RUNS = Duration.ofSeconds(5);
    /** How soon every blocked call must end after its socket is closed. */
    static final Duration ENDS = Duration.ofSeconds(5);

    /** Thread.ofVirtual(), Thread.Builder.name(String, long), Thread.Builder.factory(); null before Java 19. */
    private static final MethodHandle[] BUILDER = builderHandles();

    private final TckTarget target;
    private final String call;
    private final ThreadFactory factory;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<CompletableFuture<Object>> results = new ArrayList<>();
    private final AtomicInteger ran = new AtomicInteger();

    private BlockedVirtualThreads(TckTarget target, String call, ThreadFactory factory) {
        this.target = target;
        this.call = call;
        this.factory = factory;
    }

    /**
     * A set of virtual threads that will block in {@code call} (the Socket method's name, as it
     * shows in their stacks); skips the case on a JVM without virtual threads.
     */
    static BlockedVirtualThreads of(TckTarget target, String call) {
        if (BUILDER == null || Runtime.version().feature() < 21) {
            throw target.skip("Virtual threads need Java 21 or later; this JVM is " + Runtime.version().feature() + ".");
        }
        try {
            Object builder = BUILDER[0].invokeWithArguments();
            builder = BUILDER[1].invokeWithArguments(builder, "jsock-tck " + call + " ", 0L);
            return new BlockedVirtualThreads(target, call, (ThreadFactory) BUILDER[2].invokeWithArguments(builder));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.ofVirtual() failed on Java " + Runtime.version(), e);
        }
    }

    /** The carrier threads of the virtual thread scheduler: its parallelism. */
    static int carriers() {
        return Integer.getInteger("jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
    }

    /** How many threads a case blocks: far more than there are carriers. */
    int count() {
        return Math.max(50, 4 * carriers());
    }

    /** Starts a virtual thread that makes {@code blockingCall}, which should block on {@code socket}. */
    void start(Socket socket, TckTarget.SocketCall<?> blockingCall) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        Thread thread = factory.newThread(() -> {
            ran.incrementAndGet();
            try {
                result.complete(blockingCall.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        sockets.add(socket);
        threads.add(thread);
        results.add(result);
        thread.start();
    }

    /**
     * Waits until every thread is inside its call, then asserts that a new virtual thread runs
     * within {@link #RUNS}, closes every socket and asserts that every call ends with EBADF within
     * {@link #ENDS}.
     */
    void assertSchedulerFreeAndCloseEndsEach() {
        int n = threads.size();
        String subject = n + " virtual threads blocked in " + call + " (the scheduler has " + carriers() + " carrier threads)";
        holds(RUNS, () -> inside() == n);
        int inside = inside();

        CompletableFuture<Long> fresh = new CompletableFuture<>();
        factory.newThread(() -> fresh.complete(sumTo(1000))).start();
        boolean freshRan;
        try {
            freshRan = fresh.get(RUNS.toMillis(), TimeUnit.MILLISECONDS) == 500_500L;
        } catch (TimeoutException e) {
            freshRan = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a fresh virtual thread", e);
        } catch (ExecutionException e) {
            throw new AssertionError("a fresh virtual thread's trivial task failed", e.getCause());
        }
        if (!freshRan) {
            fail("with " + subject + ", a new virtual thread did not run within " + RUNS.toMillis() + " ms; "
                    + ran.get() + " of the " + n + " had run at all and " + inside + " were inside " + call
                    + ": the blocked calls hold their carrier threads");
        }
        if (inside < n) {
            fail("of " + subject + ", only " + inside + " were inside " + call + " after " + RUNS.toMillis() + " ms ("
                    + ran.get() + " had run at all)");
        }

        long start = System.nanoTime();
        for (Socket s : sockets) {
            s.close();
        }
        holds(ENDS, () -> results.stream().allMatch(CompletableFuture::isDone));
        long ms = (System.nanoTime() - start) / 1_000_000;
        TreeMap<String, Integer> outcomes = new TreeMap<>();
        Throwable example = null;
        for (CompletableFuture<Object> r : results) {
            String outcome = outcome(r);
            outcomes.merge(outcome, 1, Integer::sum);
            if (!outcome.equals("EBADF") && example == null && r.isCompletedExceptionally()) {
                example = r.handle((v, e) -> e).join();
            }
        }
        if (outcomes.size() != 1 || !outcomes.containsKey("EBADF")) {
            String message = "close() of the sockets of " + subject + " must end every call with EBADF within "
                    + ENDS.toMillis() + " ms; after " + ms + " ms the calls' outcomes were " + outcomes;
            throw example == null ? new AssertionError(message) : new AssertionError(message + ", for example " + example, example);
        }
    }

    /** Closes every socket and waits (bounded) for every thread, so nothing outlives the case. */
    @Override
    public void close() {
        for (Socket s : sockets) {
            s.close();
        }
        for (Thread th : threads) {
            try {
                th.join(ENDS.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** How many threads are inside {@code call}: a frame of it on the socket's class, with frames above. */
    private int inside() {
        int n = 0;
        for (int i = 0; i < threads.size(); i++) {
            if (results.get(i).isDone() || isInside(threads.get(i).getStackTrace(), sockets.get(i).getClass())) {
                n++; // one that ended early counts; the outcome after close() says whether that was right
            }
        }
        return n;
    }

    private boolean isInside(StackTraceElement[] stack, Class<?> socketClass) {
        for (int i = 1; i < stack.length; i++) {
            if (stack[i].getMethodName().equals(call)) {
                for (Class<?> k = socketClass; k != null; k = k.getSuperclass()) {
                    if (k.getName().equals(stack[i].getClassName())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static String outcome(CompletableFuture<Object> r) {
        if (!r.isDone()) {
            return "still blocked";
        }
        Throwable e = r.handle((v, x) -> x).join();
        if (e == null) {
            return "returned";
        }
        if (e instanceof SocketError s) {
            return s.errno() == Errno.EBADF ? "EBADF" : "SocketError " + s.errno();
        }
        return e.getClass().getName();
    }

    /** Whether {@code condition} comes to hold within {@code limit}, polling as TckTarget.await does. */
    private static boolean holds(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        long pause = 1;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            LockSupport.parkNanos(pause * 1_000_000L);
            pause = Math.min(pause * 2, 20);
        }
        return true;
    }

    private static long sumTo(int n) {
        long sum = 0;
        for (int i = 1; i <= n; i++) {
            sum += i;
        }
        return sum;
    }

    private static MethodHandle[] builderHandles() {
        try {
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            return new MethodHandle[] {
                lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual)),
                lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class, long.class)),
                lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class))};
        } catch (ReflectiveOperationException e) {
            return null; // before Java 19 there is no Thread.Builder
        }
    }
}
