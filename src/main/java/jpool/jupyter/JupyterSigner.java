package jpool.jupyter;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC signing of Jupyter messages: the signature is the lower-case hex HMAC of the header, parent
 * header, metadata and content frames, in that order. An empty key disables signing (the signature
 * is the empty string and every message verifies). Thread-safe.
 */
public final class JupyterSigner {

    private final String algorithm;
    private final byte[] key;
    private final ThreadLocal<Mac> mac;

    /**
     * @param scheme the connection file's signature scheme, e.g. {@code hmac-sha256}
     * @param key the key; empty for no signing
     * @throws IllegalArgumentException for an unsupported scheme
     */
    public JupyterSigner(String scheme, String key) {
        this.key = key.getBytes(StandardCharsets.UTF_8);
        this.algorithm = switch (scheme.toLowerCase()) {
            case "hmac-sha256" -> "HmacSHA256";
            case "hmac-sha1" -> "HmacSHA1";
            case "hmac-sha512" -> "HmacSHA512";
            case "hmac-md5" -> "HmacMD5";
            default -> throw new IllegalArgumentException("unsupported signature scheme: " + scheme);
        };
        if (this.key.length > 0) {
            newMac(); // fail early on a bad algorithm
        }
        this.mac = ThreadLocal.withInitial(this::newMac);
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance(algorithm);
            m.init(new SecretKeySpec(key, algorithm));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with " + algorithm, e);
        }
    }

    /** Whether messages are signed at all. */
    public boolean enabled() {
        return key.length > 0;
    }

    /** The hex signature of the given frames; empty when signing is disabled. */
    public String sign(byte[]... parts) {
        if (key.length == 0) {
            return "";
        }
        Mac m = mac.get();
        m.reset();
        for (byte[] p : parts) {
            m.update(p);
        }
        return HexFormat.of().formatHex(m.doFinal());
    }

    /** Whether {@code signature} is the signature of {@code parts}; compares in constant time. */
    public boolean verify(String signature, byte[]... parts) {
        if (key.length == 0) {
            return true;
        }
        byte[] expected = sign(parts).getBytes(StandardCharsets.US_ASCII);
        byte[] actual = signature.toLowerCase().getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }
}
