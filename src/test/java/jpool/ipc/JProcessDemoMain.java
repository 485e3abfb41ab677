package jpool.ipc;

/**
 * A small plain Java program for {@link JProcessParentEndTest}: {@code nondaemon} and {@code daemon} start a
 * child and return from main at once; {@code orphan} starts a long child and waits for it (to be killed).
 * Each prints {@code child <pid>} first.
 */
public final class JProcessDemoMain {

    private JProcessDemoMain() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        JProcess child = switch (mode) {
            case "nondaemon" -> new JProcess(() -> {
                Thread.sleep(1_500);
                System.out.println("child done");
            });
            case "daemon" -> new JProcess(() -> {
                Thread.sleep(60_000);
                System.out.println("child done");
            }).setDaemon(true);
            case "orphan" -> new JProcess(() -> Thread.sleep(120_000));
            default -> throw new IllegalArgumentException("mode nondaemon, daemon or orphan, got " + mode);
        };
        child.setName("c").start();
        System.out.println("child " + child.pid());
        if (mode.equals("orphan")) {
            child.join();
        }
        System.out.println("main done");
    }
}
