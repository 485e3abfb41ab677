package jpool.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jpool.NoWorkersLeft;
import jpool.NotSerializableTaskException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** JProcess with real child JVMs: the tutorials' clock, exit codes, signals, interrupt, current and children. */
@ExtendWith(NoWorkersLeft.class)
@Timeout(180)
class JProcessTest {

    private JProcessOutputTap tap;
    private final List<JProcess> started = new ArrayList<>();

    @BeforeEach
    void tap() {
        tap = new JProcessOutputTap();
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        tap.close();
        for (JProcess p : started) {
            if (p.isAlive()) {
                p.kill();
                p.join(Duration.ofSeconds(30));
            }
        }
    }

    private JProcess start(JProcess p) {
        started.add(p);
        p.start();
        return p;
    }

    /** The first tutorial's clock: five ticks, then "Ending!". */
    static void clock(int intervalMs) throws InterruptedException {
        for (int i = 1; i <= 5; i++) {
            System.out.println("Run >>> " + i);
            Thread.sleep(intervalMs);
        }
        System.out.println("Ending!");
    }

    static String clockLines(String name) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i <= 5; i++) {
            sb.append('[').append(name).append("] Run >>> ").append(i).append(System.lineSeparator());
        }
        return sb.append('[').append(name).append("] Ending!").append(System.lineSeparator()).toString();
    }

    /** The clock as a subclass: its field travels to the child. */
    static final class ClockProcess extends JProcess {
        private final int intervalMs;

        ClockProcess(int intervalMs) {
            this.intervalMs = intervalMs;
        }

        @Override
        public void run() throws Exception {
            clock(intervalMs);
        }
    }

    @Test
    void clockWithATargetPrintsEachTickLabelledAndEndsWithZero() throws Exception {
        JProcess p = new JProcess((Integer ms) -> {
            clock(ms);
            return null;
        }, 20);
        assertNull(p.pid(), "no pid before start");
        assertNull(p.exitCode());
        assertFalse(p.isAlive());
        start(p);
        assertTrue(p.pid() > 0);
        assertTrue(p.isAlive());
        p.join();
        assertEquals(0, p.exitCode());
        assertFalse(p.isAlive());
        assertTrue(tap.out().contains(clockLines(p.name())), tap.out());
    }

    @Test
    void clockAsASubclassRunsItsOwnRunWithItsFields() throws Exception {
        JProcess p = start(new ClockProcess(20));
        assertTrue(p.name().startsWith("ClockProcess-"), p.name());
        p.join();
        assertEquals(0, p.exitCode());
        assertTrue(tap.out().contains(clockLines(p.name())), tap.out());
    }

    @Test
    void exceptionInTheTargetIsExitCodeOneWithItsStackTraceOnStderr() throws Exception {
        JProcess p = start(new JProcess(() -> {
            throw new IllegalStateException("the target failed");
        }));
        p.join();
        assertEquals(1, p.exitCode());
        assertTrue(tap.err().contains("[" + p.name() + "] Process " + p.name() + ":"), tap.err());
        assertTrue(tap.err().contains("IllegalStateException: the target failed"), tap.err());
    }

    @Test
    void systemExitGivesItsCode() throws Exception {
        JProcess p = start(new JProcess(() -> System.exit(3)));
        assertTrue(p.join(Duration.ofSeconds(60)));
        assertEquals(3, p.exitCode());
    }

    @Test
    void joinWithTimeoutTerminateAndKillReportNegativeSignalNumbers() throws Exception {
        JProcess t = start(new JProcess(() -> {
            System.out.println("sleeping");
            Thread.sleep(120_000);
        }).setName("sleeper-t"));
        JProcess k = start(new JProcess(() -> {
            System.out.println("sleeping");
            Thread.sleep(120_000);
        }).setName("sleeper-k"));
        tap.awaitOut(o -> o.contains("[sleeper-t] sleeping") && o.contains("[sleeper-k] sleeping"), "both running");
        assertFalse(t.join(Duration.ofMillis(50)), "still running");
        assertTrue(t.isAlive());
        assertNull(t.exitCode());
        t.terminate();
        k.kill();
        assertTrue(t.join(Duration.ofSeconds(60)));
        assertTrue(k.join(Duration.ofSeconds(60)));
        assertEquals(-15, t.exitCode());
        assertEquals(-9, k.exitCode());
        assertFalse(t.isAlive());
        t.terminate(); // after the end: nothing
        k.kill();
        assertEquals(-15, t.exitCode());
    }

    @Test
    void interruptRunsTheTargetsFinallyBlocks() throws Exception {
        JProcess p = start(new JProcess(() -> {
            try {
                System.out.println("waiting");
                Thread.sleep(120_000);
                System.out.println("woke up by itself");
            } finally {
                System.out.println("finally ran");
            }
        }));
        tap.awaitOut(o -> o.contains("[" + p.name() + "] waiting"), "the target running");
        p.interrupt();
        assertTrue(p.join(Duration.ofSeconds(60)));
        assertEquals(1, p.exitCode(), "the InterruptedException ended run()");
        assertTrue(tap.out().contains("[" + p.name() + "] finally ran"), tap.out());
        assertFalse(tap.out().contains("woke up by itself"));
        assertTrue(tap.err().contains("InterruptedException"), tap.err());
    }

    @Test
    void currentInTheChildIsTheChildAndActiveChildrenListsLiveOnes() throws Exception {
        long me = ProcessHandle.current().pid();
        assertEquals("MainProcess", JProcess.current().name());
        assertEquals(me, JProcess.current().pid());
        JProcess p = start(new JProcess(() -> {
            JProcess.Info i = JProcess.current();
            System.out.println("info " + i.name() + " " + i.pid() + " " + i.parentPid() + " " + i.daemon());
            Thread.sleep(120_000);
        }).setName("child-a"));
        tap.awaitOut(o -> o.contains("[child-a] info "), "the child's current()");
        assertTrue(tap.out().contains("[child-a] info child-a " + p.pid() + " " + me + " false"), tap.out());
        assertTrue(JProcess.activeChildren().contains(p));
        p.terminate();
        p.join();
        assertFalse(JProcess.activeChildren().contains(p));
        assertTrue(JProcess.cpuCount() >= 1);
    }

    @Test
    void aDaemonCannotStartChildren() throws Exception {
        JProcess p = start(new JProcess(() -> {
            try {
                new JProcess(() -> System.out.println("grandchild")).start();
                System.out.println("started a grandchild");
            } catch (IllegalStateException e) {
                System.out.println("refused: " + e.getMessage());
            }
        }).setName("demon").setDaemon(true));
        p.join();
        assertEquals(0, p.exitCode());
        assertTrue(tap.out().contains("[demon] refused: daemon process demon cannot start process"), tap.out());
    }

    @Test
    void aNonDaemonChildWaitsForItsOwnNonDaemonChildren() throws Exception {
        JProcess p = start(new JProcess(() -> {
            JProcess g = new JProcess(() -> {
                Thread.sleep(300);
                System.out.println("grandchild done");
            }).setName("grandchild");
            g.start();
            System.out.println("child returns");
        }).setName("child-b"));
        p.join();
        assertEquals(0, p.exitCode());
        String out = tap.out();
        assertTrue(out.indexOf("[child-b] child returns") >= 0, out);
        assertTrue(out.indexOf("[child-b] [grandchild] grandchild done") > out.indexOf("[child-b] child returns"),
                out);
    }

    @Test
    void misuseIsRefusedWithPreciseExceptions() throws Exception {
        JProcess p = new JProcess(() -> { });
        assertThrows(IllegalStateException.class, p::join);
        assertThrows(IllegalStateException.class, p::terminate);
        assertThrows(IllegalStateException.class, p::interrupt);
        start(p);
        IllegalStateException twice = assertThrows(IllegalStateException.class, p::start);
        assertTrue(twice.getMessage().contains("started already"), twice.getMessage());
        assertThrows(IllegalStateException.class, () -> p.setDaemon(true));
        assertThrows(IllegalStateException.class, () -> p.setName("x"));
        p.join();
        p.close();
        p.close();
        Object notSerializable = new Object();
        JProcess bad = new JProcess(() -> System.out.println(notSerializable));
        assertThrows(NotSerializableTaskException.class, bad::start);
        assertFalse(bad.isAlive());
        assertThrows(NullPointerException.class, () -> new JProcess((jpool.Job) null));
    }

    @Test
    void closeRefusesALiveProcess() throws Exception {
        JProcess p = start(new JProcess(() -> Thread.sleep(120_000)));
        assertThrows(IllegalStateException.class, p::close);
        p.kill();
        p.join();
        p.close();
        assertThrows(IllegalStateException.class, p::start);
    }
}
