package io.jsock.server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;

/** {@code Thread.ofVirtual().factory()}, found at run time so the module compiles for Java 17. */
final class VirtualThreads {
    private VirtualThreads() {
    }

    /** A factory of virtual threads. @throws UnsupportedOperationException before Java 21 */
    static ThreadFactory factory() {
        int feature = Runtime.version().feature();
        if (feature < 21) {
            throw new UnsupportedOperationException("Threading.VIRTUAL needs Java 21 or later, and this is Java " + feature
                    + ": use Threading.PLATFORM (a platform thread per request) or Threading.NONE");
        }
        try {
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Object ofVirtual = MethodHandles.publicLookup()
                    .findStatic(Thread.class, "ofVirtual", MethodType.methodType(Class.forName("java.lang.Thread$Builder$OfVirtual")))
                    .invoke();
            return (ThreadFactory) MethodHandles.publicLookup()
                    .findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class)).invoke(ofVirtual);
        } catch (Throwable e) {
            throw new IllegalStateException("Thread.ofVirtual().factory() failed on Java " + feature, e);
        }
    }
}
