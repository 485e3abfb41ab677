package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The arguments of %%px, %px and %%task: what they mean, and a usage line for every mistake. */
class PxArgsTest {

    private static void assertUsage(String expectedStart, MagicException e, String usage) {
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
        assertTrue(e.getMessage().endsWith("\n" + usage), e.getMessage());
    }

    @Test
    void defaultsAreAllWorkersOfPoolBlockingAndGroupedByWorker() throws Exception {
        PxArgs.Px a = PxArgs.parseCell("");
        assertTrue(a.targets().isAll());
        assertFalse(a.noblock());
        assertEquals(PxArgs.Grouping.WORKER, a.grouping());
        assertNull(a.out());
        assertEquals("pool", a.pool());
        assertNull(a.targets().indexes(4, PxArgs.PX_USAGE));
        assertEquals("jpool.WorkerTargets.all()", PxArgs.Targets.java(null));
    }

    @Test
    void everyOptionInBothSpellings() throws Exception {
        PxArgs.Px a = PxArgs.parseCell("--targets 0,2 --noblock --group-outputs order -o r --pool p2");
        assertEquals(List.of(0, 2), a.targets().indexes(3, PxArgs.PX_USAGE));
        assertTrue(a.noblock());
        assertEquals(PxArgs.Grouping.ORDER, a.grouping());
        assertEquals("r", a.out());
        assertEquals("p2", a.pool());
        PxArgs.Px b = PxArgs.parseCell("--targets=1:3 --group-outputs=worker --pool=big");
        assertEquals(List.of(1, 2), b.targets().indexes(4, PxArgs.PX_USAGE));
        assertEquals(PxArgs.Grouping.WORKER, b.grouping());
        assertEquals("big", b.pool());
        assertEquals("jpool.WorkerTargets.indexes(1, 2)", PxArgs.Targets.java(List.of(1, 2)));
    }

    @Test
    void rangesAreHalfOpenAsInPythonAndMayBeMixedWithIndexes() throws Exception {
        assertEquals(List.of(2, 3), PxArgs.Targets.parse("2:", PxArgs.PX_USAGE).indexes(4, PxArgs.PX_USAGE));
        assertEquals(List.of(0, 1), PxArgs.Targets.parse(":2", PxArgs.PX_USAGE).indexes(4, PxArgs.PX_USAGE));
        assertEquals(List.of(3, 0, 1), PxArgs.Targets.parse("3,0:2", PxArgs.PX_USAGE).indexes(4, PxArgs.PX_USAGE));
        assertEquals(List.of(0, 1, 2), PxArgs.Targets.parse(":", PxArgs.PX_USAGE).indexes(3, PxArgs.PX_USAGE));
    }

    @Test
    void targetsOutsideThePoolOrTwiceAreRefusedNamingThePoolSize() throws Exception {
        String u = PxArgs.PX_USAGE;
        assertUsage("--targets 5: the pool has 2 workers, indexes 0 to 1",
                assertThrows(MagicException.class, () -> PxArgs.Targets.parse("5", u).indexes(2, u)), u);
        assertUsage("--targets 1:4: the pool has 3 workers",
                assertThrows(MagicException.class, () -> PxArgs.Targets.parse("1:4", u).indexes(3, u)), u);
        assertUsage("--targets 0: the pool has 0 workers",
                assertThrows(MagicException.class, () -> PxArgs.Targets.parse("0", u).indexes(0, u)), u);
        assertUsage("--targets 0,0:2: worker index 0 is selected twice",
                assertThrows(MagicException.class, () -> PxArgs.Targets.parse("0,0:2", u).indexes(3, u)), u);
        assertUsage("--targets 3:: the pool has 3 workers",
                assertThrows(MagicException.class, () -> PxArgs.Targets.parse("3:", u).indexes(3, u)), u);
    }

    @Test
    void badTargetsAreRefusedWhenParsed() {
        String u = PxArgs.PX_USAGE;
        for (String bad : new String[] {"x", "1,", "-1", "1:2:3", "one", "1;2"}) {
            MagicException e = assertThrows(MagicException.class, () -> PxArgs.parseCell("--targets " + bad), bad);
            assertUsage("--targets " + bad + ": '", e, u);
        }
        assertUsage("--targets 3:1: the range 3:1 selects no worker",
                assertThrows(MagicException.class, () -> PxArgs.parseCell("--targets 3:1")), u);
        assertUsage("--targets 2:2: the range 2:2 selects no worker",
                assertThrows(MagicException.class, () -> PxArgs.parseCell("--targets 2:2")), u);
    }

    @Test
    void unknownOptionsMissingValuesRepeatsAndBadNamesAreRefused() {
        String u = PxArgs.PX_USAGE;
        assertUsage("unknown option --bogus", assertThrows(MagicException.class, () -> PxArgs.parseCell("--bogus")), u);
        assertUsage("unexpected argument stray", assertThrows(MagicException.class, () -> PxArgs.parseCell("stray")), u);
        assertUsage("-o needs a value", assertThrows(MagicException.class, () -> PxArgs.parseCell("-o")), u);
        assertUsage("-o needs a value", assertThrows(MagicException.class, () -> PxArgs.parseCell("-o --noblock")), u);
        assertUsage("--targets needs a value", assertThrows(MagicException.class, () -> PxArgs.parseCell("--targets=")), u);
        assertUsage("--noblock takes no value", assertThrows(MagicException.class, () -> PxArgs.parseCell("--noblock=1")), u);
        assertUsage("--noblock is given twice",
                assertThrows(MagicException.class, () -> PxArgs.parseCell("--noblock --noblock")), u);
        assertUsage("-o 1r: not a Java variable name", assertThrows(MagicException.class, () -> PxArgs.parseCell("-o 1r")), u);
        assertUsage("-o class: not a Java variable name",
                assertThrows(MagicException.class, () -> PxArgs.parseCell("-o class")), u);
        assertUsage("--pool a.b: not a Java variable name",
                assertThrows(MagicException.class, () -> PxArgs.parseCell("--pool a.b")), u);
        assertUsage("-o pool: that is the pool's variable", assertThrows(MagicException.class,
                () -> PxArgs.parseCell("-o pool")), u);
        assertUsage("-o big: that is the pool's variable", assertThrows(MagicException.class,
                () -> PxArgs.parseCell("--pool big -o big")), u);
        assertUsage("--group-outputs type: say worker",
                assertThrows(MagicException.class, () -> PxArgs.parseCell("--group-outputs type")), u);
    }

    @Test
    void aPxLineIsOptionsThenTheStatementAsWritten() throws Exception {
        PxArgs.Px a = PxArgs.parseLine("--targets 0 -o r  Math.max(1,  2)");
        assertEquals(List.of(0), a.targets().indexes(2, PxArgs.PX_LINE_USAGE));
        assertEquals("r", a.out());
        assertEquals("Math.max(1,  2)", a.statement());
        assertEquals("-x + 1", PxArgs.parseLine("-x + 1").statement(), "-x is Java, not an option");
        assertEquals("x--", PxArgs.parseLine("x--").statement());
        String u = PxArgs.PX_LINE_USAGE;
        assertUsage("--noblock is given twice",
                assertThrows(MagicException.class, () -> PxArgs.parseLine("--noblock --noblock 1")), u);
        assertUsage("no statement to run", assertThrows(MagicException.class, () -> PxArgs.parseLine("--noblock")), u);
        assertUsage("no statement to run", assertThrows(MagicException.class, () -> PxArgs.parseLine("  ")), u);
        assertUsage("unknown option --i", assertThrows(MagicException.class, () -> PxArgs.parseLine("--i")), u);
    }

    @Test
    void taskTakesANameAndAPool() throws Exception {
        PxArgs.Task t = PxArgs.parseTask("--name total --pool big");
        assertEquals("total", t.name());
        assertEquals("big", t.pool());
        PxArgs.Task d = PxArgs.parseTask("");
        assertNull(d.name());
        assertEquals("pool", d.pool());
        String u = PxArgs.TASK_USAGE;
        assertUsage("--name needs a value", assertThrows(MagicException.class, () -> PxArgs.parseTask("--name")), u);
        assertUsage("unknown option --noblock", assertThrows(MagicException.class, () -> PxArgs.parseTask("--noblock")), u);
        assertUsage("--name pool: that is the pool's variable",
                assertThrows(MagicException.class, () -> PxArgs.parseTask("--name pool")), u);
        assertUsage("--name for: not a Java variable name",
                assertThrows(MagicException.class, () -> PxArgs.parseTask("--name for")), u);
    }
}
