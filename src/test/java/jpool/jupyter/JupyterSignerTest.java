package jpool.jupyter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JupyterSignerTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void signsLikePythonHmac() {
        // hmac.new(b'secret-key', header+parent+metadata+content, hashlib.sha256).hexdigest()
        JupyterSigner s = new JupyterSigner("hmac-sha256", "secret-key");
        assertEquals("cf91902d477e8b9a31e8154a9f781c352fd929b750ed1763608ba4c2d4a5c996",
                s.sign(b("{\"a\":1}"), b("{}"), b("{}"), b("{\"code\":\"1\"}")));
    }

    @Test
    void verifiesGoodAndRejectsBadSignatures() {
        JupyterSigner s = new JupyterSigner("hmac-sha256", "k");
        String sig = s.sign(b("h"), b("p"), b("m"), b("c"));
        assertTrue(s.verify(sig, b("h"), b("p"), b("m"), b("c")));
        assertTrue(s.verify(sig.toUpperCase(), b("h"), b("p"), b("m"), b("c")));
        assertFalse(s.verify(sig, b("h"), b("p"), b("m"), b("C")));
        assertFalse(s.verify("", b("h"), b("p"), b("m"), b("c")));
        assertFalse(new JupyterSigner("hmac-sha256", "other").verify(sig, b("h"), b("p"), b("m"), b("c")));
    }

    @Test
    void emptyKeyDisablesSigning() {
        JupyterSigner s = new JupyterSigner("hmac-sha256", "");
        assertFalse(s.enabled());
        assertEquals("", s.sign(b("x")));
        assertTrue(s.verify("anything", b("x")));
    }

    @Test
    void unknownSchemeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new JupyterSigner("rot13", "k"));
    }
}
