package jpool.ipc;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** On a failed IPC test, prints what this JVM's hub knows (peers, links, counters): lost traffic shows there. */
final class IpcDiagnostics implements TestWatcher {

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Hub hub = Hub.existing();
        System.err.println("[ipc diagnostics after " + context.getDisplayName() + "] "
                + (hub == null ? "no hub in this JVM" : hub.describe()));
    }
}
