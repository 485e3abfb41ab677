package jpool.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a worker writes into its start record survives the worker's SIGKILL. */
@Timeout(60)
class StartRecordTest {

    /** Child process: attaches to the record, marks unit 41 then 42, says so and waits to be killed. */
    public static void main(String[] args) throws Exception {
        StartRecord record = StartRecord.attach(Path.of(args[0]));
        record.started(41);
        record.started(42);
        System.out.println("started");
        System.out.flush();
        Thread.sleep(60_000);
    }

    @Test
    void lastStartedUnitOutlivesAKilledProcess() throws Exception {
        StartRecord record = StartRecord.create();
        assertEquals(0, record.lastStarted());
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), StartRecordTest.class.getName(), record.path().toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("started", out.readLine());
            assertFalse(Files.exists(record.path()), "the worker removes the file name once mapped");
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            assertEquals(137, child.exitValue());
            assertEquals(42, record.lastStarted());
        } finally {
            child.destroyForcibly();
            record.discard();
        }
    }
}
