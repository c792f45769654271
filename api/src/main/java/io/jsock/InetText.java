package io.jsock;

import java.util.Arrays;

/**
 * Text and packed forms of IPv4 and IPv6 addresses, written after glibc's inet_pton(3) and
 * inet_ntop(3) so that jsock accepts and prints exactly what CPython's {@code socket} does on Linux.
 */
final class InetText {
    private InetText() {
    }

    /** inet_pton4: four decimal octets, none above 255, no leading zero; null when {@code text} is not one. */
    static byte[] pton4(String text) {
        byte[] out = new byte[4];
        return pton4(text, 0, out, 0) ? out : null;
    }

    private static boolean pton4(String s, int from, byte[] dst, int at) {
        int octets = 0;
        int value = 0;
        boolean sawDigit = false;
        for (int i = from; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= '0' && ch <= '9') {
                if (sawDigit && value == 0) {
                    return false;
                }
                value = value * 10 + (ch - '0');
                if (value > 255) {
                    return false;
                }
                if (!sawDigit) {
                    if (++octets > 4) {
                        return false;
                    }
                    sawDigit = true;
                }
                dst[at + octets - 1] = (byte) value;
            } else if (ch == '.' && sawDigit) {
                if (octets == 4) {
                    return false;
                }
                value = 0;
                sawDigit = false;
            } else {
                return false;
            }
        }
        return octets == 4 && sawDigit;
    }

    /** inet_pton6: the forms glibc accepts, an IPv4 tail included; null when {@code text} is not one. */
    static byte[] pton6(String s) {
        byte[] tmp = new byte[16];
        int tp = 0;
        int colonp = -1;
        int i = 0;
        int n = s.length();
        if (n == 0) {
            return null;
        }
        if (s.charAt(0) == ':') {
            i++;
            if (i == n || s.charAt(i) != ':') {
                return null;
            }
        }
        int curtok = i;
        int xdigits = 0;
        int value = 0;
        while (i < n) {
            char ch = s.charAt(i++);
            int digit = Character.digit(ch, 16);
            if (digit >= 0 && ch < 0x80) {
                if (xdigits == 4) {
                    return null;
                }
                value = value << 4 | digit;
                xdigits++;
                continue;
            }
            if (ch == ':') {
                curtok = i;
                if (xdigits == 0) {
                    if (colonp >= 0) {
                        return null;
                    }
                    colonp = tp;
                    continue;
                } else if (i == n) {
                    return null;
                }
                if (tp + 2 > 16) {
                    return null;
                }
                tmp[tp++] = (byte) (value >> 8);
                tmp[tp++] = (byte) value;
                xdigits = 0;
                value = 0;
                continue;
            }
            if (ch == '.' && tp + 4 <= 16 && pton4(s, curtok, tmp, tp)) {
                tp += 4;
                xdigits = 0;
                break;
            }
            return null;
        }
        if (xdigits > 0) {
            if (tp + 2 > 16) {
                return null;
            }
            tmp[tp++] = (byte) (value >> 8);
            tmp[tp++] = (byte) value;
        }
        if (colonp >= 0) {
            if (tp == 16) {
                return null; // glibc: "::" may not stand for no group at all
            }
            int moved = tp - colonp;
            System.arraycopy(tmp, colonp, tmp, 16 - moved, moved);
            Arrays.fill(tmp, colonp, 16 - moved, (byte) 0);
            tp = 16;
        }
        return tp == 16 ? tmp : null;
    }

    /** inet_ntop4: dotted decimal. */
    static String ntop4(byte[] a, int from) {
        return (a[from] & 0xff) + "." + (a[from + 1] & 0xff) + "." + (a[from + 2] & 0xff) + "." + (a[from + 3] & 0xff);
    }

    /**
     * inet_ntop6: RFC 5952 (the first longest run of two or more zero groups becomes {@code ::},
     * lower-case hex), with a dotted tail for {@code ::ffff:a.b.c.d} and {@code ::a.b.c.d}, as glibc.
     */
    static String ntop6(byte[] a) {
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
        }
        int bestBase = -1;
        int bestLen = 0;
        int curBase = -1;
        int curLen = 0;
        for (int i = 0; i < 8; i++) {
            if (words[i] == 0) {
                if (curBase == -1) {
                    curBase = i;
                    curLen = 1;
                } else {
                    curLen++;
                }
            } else if (curBase != -1) {
                if (bestBase == -1 || curLen > bestLen) {
                    bestBase = curBase;
                    bestLen = curLen;
                }
                curBase = -1;
            }
        }
        if (curBase != -1 && (bestBase == -1 || curLen > bestLen)) {
            bestBase = curBase;
            bestLen = curLen;
        }
        if (bestBase != -1 && bestLen < 2) {
            bestBase = -1;
        }
        StringBuilder out = new StringBuilder(46);
        for (int i = 0; i < 8; i++) {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLen) {
                if (i == bestBase) {
                    out.append(':');
                }
                continue;
            }
            if (i != 0) {
                out.append(':');
            }
            if (i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff))) {
                out.append(ntop4(a, 12));
                break;
            }
            out.append(Integer.toHexString(words[i]));
        }
        if (bestBase != -1 && bestBase + bestLen == 8) {
            out.append(':');
        }
        return out.toString();
    }
}
