package io.jsock.core;

/**
 * The layout of {@code struct mmsghdr} (a {@code struct msghdr} and its {@code msg_len}) on LP64
 * Linux, derived from the sizes of its fields, and of a batch of them in one {@link Mem}: the
 * headers, then one {@code struct iovec} each, then one sockaddr_storage each, then the data.
 * Every pointer in a batch points into the batch's own memory, so one fence covers the call.
 */
final class MmsgHdr {
    private static final int POINTER = 8;
    private static final int SIZE_T = 8;
    private static final int INT_PADDED = 8; // a 4-byte field that the next pointer aligns to 8

    static final int NAME = 0;                              // void *msg_name
    static final int NAMELEN = NAME + POINTER;              // socklen_t msg_namelen
    static final int IOV = NAMELEN + INT_PADDED;            // struct iovec *msg_iov
    static final int IOVLEN = IOV + POINTER;                // size_t msg_iovlen
    static final int CONTROL = IOVLEN + SIZE_T;             // void *msg_control
    static final int CONTROLLEN = CONTROL + POINTER;        // size_t msg_controllen
    static final int FLAGS = CONTROLLEN + SIZE_T;           // int msg_flags
    static final int MSGHDR_SIZE = FLAGS + INT_PADDED;      // sizeof(struct msghdr): 56
    static final int LEN = MSGHDR_SIZE;                     // unsigned int msg_len
    static final int SIZE = LEN + INT_PADDED;               // sizeof(struct mmsghdr): 64

    /** struct iovec { void *iov_base; size_t iov_len; } */
    static final int IOV_BASE = 0;
    static final int IOV_LEN = IOV_BASE + POINTER;
    static final int IOVEC_SIZE = IOV_LEN + SIZE_T;

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
