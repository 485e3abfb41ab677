package jpool.wire;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

/**
 * HMAC-SHA256 signatures of jpool messages.
 *
 * <p>The signature covers the header frame and every payload frame, in order, each preceded by its
 * length as 8 big-endian bytes (so frames cannot be re-split without changing the signature). It is
 * sent as 64 lowercase hex characters. Instances are not thread-safe: use one per thread.
 */
public final class Signer {

    private static final HexFormat HEX = HexFormat.of();
    private static final int BLOCK = 64;
    // HMAC (RFC 2104) over MessageDigest rather than javax.crypto.Mac: the same SHA-256 code, but a
    // worker JVM starts about 50 ms sooner without initialising the JCE framework.
    private final MessageDigest inner;
    private final MessageDigest outer;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] lengthBuffer = new byte[8];

    /** Creates a signer for the given key (at least 16 bytes). */
    public Signer(byte[] key) {
        if (key.length < 16) {
            throw new IllegalArgumentException("key too short");
        }
        try {
            inner = MessageDigest.getInstance("SHA-256");
            outer = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
        byte[] k = key.length > BLOCK ? inner.digest(key) : key;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i < k.length ? k[i] : 0;
            innerPad[i] = (byte) (b ^ 0x36);
            outerPad[i] = (byte) (b ^ 0x5c);
        }
    }

    /** A fresh random 32-byte key. */
    public static byte[] newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /** Encodes a key as hex, as written to a worker's stdin. */
    public static String keyToHex(byte[] key) {
        return HEX.formatHex(key);
    }

    /** Decodes a hex key. */
    public static byte[] keyFromHex(String hex) {
        return HEX.parseHex(hex.trim());
    }

    /** The hex signature (as ASCII bytes) of the header and payload frames. */
    public byte[] sign(byte[] header, List<byte[]> payload) {
        inner.update(innerPad);
        update(header);
        for (byte[] frame : payload) {
            update(frame);
        }
        outer.update(outerPad);
        outer.update(inner.digest());
        return HEX.formatHex(outer.digest()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** Whether {@code signature} is the signature of the frames; constant time in the signature. */
    public boolean verify(byte[] signature, byte[] header, List<byte[]> payload) {
        byte[] expected = sign(header, payload);
        return MessageDigest.isEqual(expected, signature);
    }

    private void update(byte[] frame) {
        long n = frame.length;
        for (int i = 7; i >= 0; i--) {
            lengthBuffer[i] = (byte) n;
            n >>>= 8;
        }
        inner.update(lengthBuffer);
        inner.update(frame);
    }
}
