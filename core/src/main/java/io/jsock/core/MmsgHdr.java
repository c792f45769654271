package io.jsock.core;

/**
 * The layout of {@code struct mmsghdr} (a {@code struct msghdr} and its {@code msg_len}) on LP64
 * Linux, derived from the sizes of its fields, and of a batch of them in one {@link Mem}: the
 * headers, then one {@code struct iovec} each, then one sockaddr_storage each, then the data.
 * Every pointer in a batch points into the batch's own memory, so one fence covers the call.
 */
final class MmsgHdr {
    // struct msghdr and struct iovec as MsgHdr lays them out for sendmsg(2) and recvmsg(2)
    static final int NAME = MsgHdr.Header.NAME;
    static final int NAMELEN = MsgHdr.Header.NAMELEN;
    static final int IOV = MsgHdr.Header.IOV;
    static final int IOVLEN = MsgHdr.Header.IOVLEN;
    static final int CONTROL = MsgHdr.Header.CONTROL;
    static final int CONTROLLEN = MsgHdr.Header.CONTROLLEN;
    static final int FLAGS = MsgHdr.Header.FLAGS;
    static final int LEN = MsgHdr.Header.SIZE;              // unsigned int msg_len, after the msghdr
    static final int SIZE = LEN + 8;                        // sizeof(struct mmsghdr): 64, msg_len padded to 8
    static final int IOV_BASE = MsgHdr.IoVec.BASE;
    static final int IOV_LEN = MsgHdr.IoVec.LEN;
    static final int IOVEC_SIZE = MsgHdr.IoVec.SIZE;

    /** Header, iovec and sockaddr of one entry. */
    static final int PER_ENTRY = SIZE + IOVEC_SIZE + SockAddr.STORAGE;

    private MmsgHdr() {
    }

    static int header(int i) {
        return i * SIZE;
    }

    static int iovec(int n, int i) {
        return n * SIZE + i * IOVEC_SIZE;
    }

    static int name(int n, int i) {
        return n * (SIZE + IOVEC_SIZE) + i * SockAddr.STORAGE;
    }

    /** Where the data of a batch of {@code n} begins. */
    static int data(int n) {
        return n * PER_ENTRY;
    }

    /**
     * Fills entry {@code i} of {@code n}: one iovec over {@code length} bytes at {@code dataOffset},
     * the sockaddr slot as msg_name with {@code nameLength} (0: no name, a null pointer), no control.
     */
    static void put(Mem m, int n, int i, int nameLength, int dataOffset, int length) {
        int h = header(i);
        int v = iovec(n, i);
        if (nameLength > 0) {
            m.putAddressOf(h + NAME, name(n, i));
        } else {
            m.putLong(h + NAME, 0);
        }
        m.putInt(h + NAMELEN, nameLength);
        m.putInt(h + NAMELEN + 4, 0);
        m.putAddressOf(h + IOV, v);
        m.putLong(h + IOVLEN, 1);
        m.putLong(h + CONTROL, 0);
        m.putLong(h + CONTROLLEN, 0);
        m.putInt(h + FLAGS, 0);
        m.putInt(h + FLAGS + 4, 0);
        m.putInt(h + LEN, 0);
        m.putInt(h + LEN + 4, 0);
        m.putAddressOf(v + IOV_BASE, dataOffset);
        m.putLong(v + IOV_LEN, length);
    }

    /** A memory of at least {@code size} bytes: {@code m} when it is big enough, else a new one. */
    static Mem atLeast(Mem m, int size) {
        return m != null && m.size() >= size ? m : Mem.allocate(Math.max(size, m == null ? 0 : Math.min(Integer.MAX_VALUE / 2, m.size()) * 2));
    }
}
