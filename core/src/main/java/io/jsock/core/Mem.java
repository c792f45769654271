package io.jsock.core;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Native memory that jsock owns: a direct buffer in the machine's byte order and its address.
 * Java code reads and writes it only through the buffer, and {@link Sys} passes its address only
 * while it holds the {@code Mem}, so no address outlives the memory behind it (the use-after-free
 * of the first round's {@code socketPair}, which read a buffer's address after dropping the buffer,
 * cannot be written against this class).
 */
final class Mem {
    final ByteBuffer buffer;
    final long address;

    private Mem(ByteBuffer buffer) {
        this.buffer = buffer;
        this.address = Sys.address(buffer);
    }

    static Mem allocate(int size) {
        return new Mem(ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder()));
    }

    int size() {
        return buffer.capacity();
    }

    int getInt(int offset) {
        return buffer.getInt(offset);
    }

    void putInt(int offset, int value) {
        buffer.putInt(offset, value);
    }

    short getShort(int offset) {
        return buffer.getShort(offset);
    }

    void putShort(int offset, short value) {
        buffer.putShort(offset, value);
    }

    long getLong(int offset) {
        return buffer.getLong(offset);
    }

    void putLong(int offset, long value) {
        buffer.putLong(offset, value);
    }

    byte getByte(int offset) {
        return buffer.get(offset);
    }

    void putByte(int offset, byte value) {
        buffer.put(offset, value);
    }

    void get(int offset, byte[] dst, int dstOffset, int length) {
        buffer.get(offset, dst, dstOffset, length);
    }

    void put(int offset, byte[] src, int srcOffset, int length) {
        buffer.put(offset, src, srcOffset, length);
    }

    /** Copies {@code length} bytes at {@code offset} into {@code dst} from its position on, and advances it. */
    void get(int offset, ByteBuffer dst, int length) {
        dst.put(dst.position(), buffer, offset, length);
        dst.position(dst.position() + length);
    }

    /** Copies {@code length} bytes of {@code src} from its position into this memory at {@code offset}; src stays. */
    void put(int offset, ByteBuffer src, int length) {
        buffer.put(offset, src, src.position(), length);
    }

    /** A 16-bit field in network byte order, as sin_port is. */
    int getPort(int offset) {
        return ((buffer.get(offset) & 0xff) << 8) | (buffer.get(offset + 1) & 0xff);
    }

    void putPort(int offset, int port) {
        buffer.put(offset, (byte) (port >>> 8));
        buffer.put(offset + 1, (byte) port);
    }

    // files and batches: sendfile(2), sendmmsg(2), recvmmsg(2)

    /**
     * Stores at {@code at} the address of this memory's byte at {@code offset}, for a C struct
     * that points into the same memory (an iovec's base, a msghdr's name): the pointer is valid
     * exactly as long as this memory, which a {@link Sys} call keeps reachable while it runs.
     */
    void putAddressOf(int at, int offset) {
        if (offset < 0 || offset > buffer.capacity()) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside " + buffer.capacity() + " bytes");
        }
        buffer.putLong(at, address + offset);
    }
}
