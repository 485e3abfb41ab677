package jpool.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The arguments of {@code %pool}: what each line means, and a usage error for every bad one. */
class PoolMagicsTest {

    private static PoolMagics.Command parse(String args) throws MagicException {
        return PoolMagics.parse(args);
    }

    /** The message of the usage error for {@code args}, which must say how the command is written. */
    private static String refused(String args) {
        MagicException e = assertThrows(MagicException.class, () -> parse(args), args);
        assertTrue(e.getMessage().contains("\nusage: %pool"), args + " -> " + e.getMessage());
        return e.getMessage().substring(0, e.getMessage().indexOf('\n'));
    }

    @Test
    void noArgumentsIsTheStatusOfPool() throws Exception {
        assertEquals(new PoolMagics.Command(PoolMagics.Action.STATUS, "pool", null, 0, false), parse(""));
        assertEquals(new PoolMagics.Command(PoolMagics.Action.STATUS, "pool", null, 0, false), parse("status"));
        assertEquals(new PoolMagics.Command(PoolMagics.Action.STATUS, "p2", null, 0, false), parse("  status   p2 "));
        assertEquals(PoolMagics.Action.HELP, parse("help").action());
    }

    @Test
    void startTakesEachSettingWithASpaceOrAnEqualsSign() throws Exception {
        PoolMagics.Command c = parse("start");
        assertEquals(PoolMagics.Action.START, c.action());
        assertEquals("pool", c.variable());
        assertEquals(PoolMagics.Settings.DEFAULT, c.settings());

        c = parse("start -n 3 --name workers --max-tasks-per-child 5 --retries 1 --timeout 30s"
                + " --jvm-opts \"-Xmx256m '-Dgreeting=hello world'\"");
        assertEquals("workers", c.variable());
        assertEquals(new PoolMagics.Settings(3, 5, 1, Duration.ofSeconds(30), List.of("-Xmx256m", "-Dgreeting=hello world")),
                c.settings());

        c = parse("start -n=2 --name=p --timeout=1.5s --jvm-opts='-Xss2m'");
        assertEquals(new PoolMagics.Settings(2, 0, 0, Duration.ofMillis(1500), List.of("-Xss2m")), c.settings());
        assertEquals("p", c.variable());
    }

    @Test
    void durationsHaveAUnitOrAreZero() throws Exception {
        String usage = "usage: x";
        assertEquals(Duration.ofMillis(500), PoolMagics.duration("--timeout", "500ms", usage));
        assertEquals(Duration.ofMinutes(5), PoolMagics.duration("--timeout", "5m", usage));
        assertEquals(Duration.ofHours(1), PoolMagics.duration("--timeout", "1H", usage));
        assertEquals(Duration.ZERO, PoolMagics.duration("--timeout", "0", usage));
        assertEquals(Duration.ofSeconds(30), parse("start --timeout 30s").settings().timeout());
    }

    @Test
    void theOtherCommands() throws Exception {
        assertEquals(new PoolMagics.Command(PoolMagics.Action.STOP, "pool", null, 0, false), parse("stop"));
        assertEquals(new PoolMagics.Command(PoolMagics.Action.STOP, "p2", null, 0, true), parse("stop --now p2"));
        assertEquals(new PoolMagics.Command(PoolMagics.Action.STOP, "p2", null, 0, true), parse("stop p2 --now"));
        assertEquals(new PoolMagics.Command(PoolMagics.Action.RESTART, "pool", null, 0, false), parse("restart"));
        assertEquals(new PoolMagics.Command(PoolMagics.Action.RESTART, "p", null, 0, false), parse("restart p"));
        assertEquals(new PoolMagics.Command(PoolMagics.Action.SCALE, "pool", null, 4, false), parse("scale 4"));
        assertEquals(new PoolMagics.Command(PoolMagics.Action.SCALE, "p", null, 1, false), parse("scale 1 p"));
    }

    @Test
    void everyBadArgumentIsAUsageErrorThatSaysWhatWasWrong() {
        assertEquals("unknown command 'strat'; the commands are start, status, stop, restart, scale and help",
                refused("strat"));
        assertEquals("unknown flag --workers", refused("start --workers 3"));
        assertEquals("unknown flag -x", refused("start -n 2 -x"));
        assertEquals("bad number for -n: 'two' (a whole number is needed)", refused("start -n two"));
        assertEquals("-n must be at least 1, got 0", refused("start -n 0"));
        assertEquals("bad number for --retries: '1.5' (a whole number is needed)", refused("start --retries 1.5"));
        assertEquals("--max-tasks-per-child must be at least 0, got -1", refused("start --max-tasks-per-child -1"));
        assertEquals("bad duration for --timeout: '30' (a number and a unit: 500ms, 30s, 5m or 1h; 0 for no limit)",
                refused("start --timeout 30"));
        assertEquals("bad duration for --timeout: 'soon' (a number and a unit: 500ms, 30s, 5m or 1h; 0 for no limit)",
                refused("start --timeout soon"));
        assertEquals("-n needs a value", refused("start -n"));
        assertEquals("--jvm-opts needs a value", refused("start --jvm-opts"));
        assertEquals("--jvm-opts needs at least one option, e.g. --jvm-opts \"-Xmx1g\"", refused("start --jvm-opts \"\""));
        assertEquals("unbalanced double quote in: start --jvm-opts \"-Xmx1g", refused("start --jvm-opts \"-Xmx1g"));
        assertEquals("unbalanced single quote in: start --jvm-opts '-Xmx1g", refused("start --jvm-opts '-Xmx1g"));
        assertEquals("unbalanced single quote in: -Xmx1g '-Da=b", refused("start --jvm-opts \"-Xmx1g '-Da=b\""));
        assertEquals("--name needs a Java variable name, got '2pool'", refused("start --name 2pool"));
        assertEquals("--name needs a Java variable name, got 'class'", refused("start --name class"));
        assertEquals("unexpected argument 'p2' (the variable is given with --name VAR)", refused("start p2"));
        assertEquals("too many arguments: p q", refused("status p q"));
        assertEquals("unknown flag --all", refused("status --all"));
        assertEquals("unknown flag --force", refused("stop --force"));
        assertEquals("'a-b' is not a Java variable name", refused("restart a-b"));
        assertEquals("the number of workers is missing", refused("scale"));
        assertEquals("bad number for the number of workers: 'many' (a whole number is needed)", refused("scale many"));
        assertEquals("the number of workers must be at least 1, got 0", refused("scale 0"));
        assertEquals("too many arguments: p q", refused("scale 2 p q"));
    }

    @Test
    void theUsageLineOfStartIsShownForItsErrors() {
        MagicException e = assertThrows(MagicException.class, () -> parse("start --timeout 30"));
        assertTrue(e.getMessage().endsWith("\nusage: " + PoolMagics.START_USAGE), e.getMessage());
        e = assertThrows(MagicException.class, () -> parse("scale"));
        assertTrue(e.getMessage().endsWith("\nusage: %pool scale N [VAR]"), e.getMessage());
    }

    @Test
    void splitKeepsQuotedBlanksAndEscapes() throws Exception {
        assertEquals(List.of("a", "b c", "d\"e", "f g"), PoolMagics.split(" a \"b c\"  \"d\\\"e\" f' 'g "));
        assertEquals(List.of(), PoolMagics.split("   "));
        assertEquals(List.of(""), PoolMagics.split("''"));
    }

    @Test
    void handedOverValuesAreTakenOnceAndNamesAreChecked() {
        Object value = new Object();
        CellHandoff.Handed h = CellHandoff.declaration("java.lang.Object", "thing", value);
        assertEquals("java.lang.Object thing = (java.lang.Object) jpool.kernel.CellHandoff.take(" + h.ticket() + "L);",
                h.code());
        assertEquals(value, CellHandoff.take(h.ticket()));
        IllegalStateException twice = assertThrows(IllegalStateException.class, () -> CellHandoff.take(h.ticket()));
        assertEquals("nothing was handed over under ticket " + h.ticket(), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CellHandoff.declaration("Object", "x y", value));
        assertFalse(CellHandoff.isVariableName("_"));
        assertFalse(CellHandoff.isVariableName("int"));
        assertTrue(CellHandoff.isVariableName("pool2"));
    }
}
