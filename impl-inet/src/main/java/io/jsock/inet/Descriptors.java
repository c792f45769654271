package io.jsock.inet;

import io.jsock.Errno;
import io.jsock.SocketError;

import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.channels.Channel;

/**
 * Reads the OS descriptor out of a JDK NIO channel. The JDK keeps it in {@code sun.nio.ch}
 * ({@code SelChImpl.getFDVal()}), which reflection may only touch when that package is opened to
 * this module; without it every read is {@link Errno#EOPNOTSUPP} with the flag that opens it.
 */
final class Descriptors {
    /** How {@code getFDVal} is looked up and made accessible; a parameter so tests can fake a closed JDK. */
    @FunctionalInterface
    interface Lookup {
        Method find() throws ReflectiveOperationException;
    }

    private static final Descriptors JDK = probe(Descriptors::jdkGetter, Descriptors.class.getModule());

    private final Method getter;
    private final String unavailable;

    private Descriptors(Method getter, String unavailable) {
        this.getter = getter;
        this.unavailable = unavailable;
    }

    /** The descriptors of the running JDK. */
    static Descriptors jdk() {
        return JDK;
    }

    /**
     * Tries {@code lookup} once; a failure is kept as the reason every later {@link #of} gives.
     *
     * @param module the module that would need {@code sun.nio.ch} opened to it, for the message
     */
    static Descriptors probe(Lookup lookup, Module module) {
        try {
            return new Descriptors(lookup.find(), null);
        } catch (InaccessibleObjectException | IllegalAccessException | SecurityException e) {
            return new Descriptors(null, "JDK NIO keeps the descriptor private; run java with " + addOpensFlag(module)
                    + " to let jsock read it (" + e.getMessage() + ")");
        } catch (ReflectiveOperationException e) {
            return new Descriptors(null, "this JDK has no sun.nio.ch.SelChImpl.getFDVal() to read the descriptor from (" + e + ")");
        }
    }

    /** The JVM flag that opens the descriptor to {@code module}: ALL-UNNAMED on the class path. */
    static String addOpensFlag(Module module) {
        return "--add-opens java.base/sun.nio.ch=" + (module.isNamed() ? module.getName() : "ALL-UNNAMED");
    }

    /** Whether descriptors can be read at all. */
    boolean available() {
        return getter != null;
    }

    /**
     * The descriptor of {@code channel}.
     *
     * @param operation for the message
     * @throws SocketError {@link Errno#EOPNOTSUPP} naming the missing flag when the JDK hides it
     */
    int of(Channel channel, String operation) throws SocketError {
        if (getter == null) {
            throw new SocketError(Errno.EOPNOTSUPP, operation + ": " + Errno.EOPNOTSUPP.description() + ": " + unavailable);
        }
        try {
            return (Integer) getter.invoke(channel);
        } catch (IllegalAccessException e) {
            throw new SocketError(Errno.EOPNOTSUPP, operation + ": " + Errno.EOPNOTSUPP.description() + ": " + e.getMessage(), e);
        } catch (InvocationTargetException e) {
            throw new SocketError(Errno.EOPNOTSUPP, operation + ": " + Errno.EOPNOTSUPP.description()
                    + ": the JDK failed to give the descriptor: " + e.getCause(), e.getCause());
        } catch (IllegalArgumentException e) {
            throw new SocketError(Errno.EOPNOTSUPP, operation + ": " + Errno.EOPNOTSUPP.description() + ": "
                    + channel.getClass().getName() + " is no sun.nio.ch selectable channel", e);
        }
    }

    private static Method jdkGetter() throws ReflectiveOperationException {
        Method m = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFDVal");
        m.setAccessible(true);
        return m;
    }
}
