package jpool.ship;

import java.util.Set;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The class that JShell's in-process engine on JDK 22 and later calls from cell code to stop it:
 * {@code REPL.$Cancel$}, whose {@code stopCheck()} is called at every method entry and backward branch
 * of instrumented cell bytecode.
 *
 * <p>JShell's own version stops every thread that runs cell code once its flag is set: threads the
 * cell started, and library threads running a callback written in a cell, die with the cell. This
 * version narrows the stop to a set of threads: {@code stopCheck()} throws {@code ThreadDeath} when
 * {@code allStop} is set and either {@code only} is null (every thread, as a worker wants when it stops a
 * task) or {@code only} contains the current thread (the kernel: the threads running the cell now).
 * It uses only {@code java.*} types, so its bytes work wherever they are shipped.
 *
 * <p>The class must be defined before JShell's engine would generate its own, i.e. before the first
 * snippet is invoked; an engine that uses it never calls its base class's {@code invoke} or {@code stop}.
 */
public final class StopCheckClass {

    /** The binary name JShell's instrumentation refers to. */
    public static final String NAME = "REPL.$Cancel$";

    private static final String INTERNAL = "REPL/$Cancel$";

    private StopCheckClass() {
    }

    /** The class file. */
    public static byte[] bytes() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER | Opcodes.ACC_FINAL, INTERNAL, null,
                "java/lang/Object", null);
        int flags = Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE;
        cw.visitField(flags, "allStop", "Z", null, null).visitEnd();
        cw.visitField(flags, "only", "Ljava/util/Set;", null, null).visitEnd();

        MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "stopCheck", "()V", null, null);
        m.visitCode();
        Label carryOn = new Label();
        Label stop = new Label();
        m.visitFieldInsn(Opcodes.GETSTATIC, INTERNAL, "allStop", "Z");
        m.visitJumpInsn(Opcodes.IFEQ, carryOn);
        m.visitFieldInsn(Opcodes.GETSTATIC, INTERNAL, "only", "Ljava/util/Set;");
        m.visitVarInsn(Opcodes.ASTORE, 0);
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitJumpInsn(Opcodes.IFNULL, stop);
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Thread", "currentThread", "()Ljava/lang/Thread;", false);
        m.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/util/Set", "contains", "(Ljava/lang/Object;)Z", true);
        m.visitJumpInsn(Opcodes.IFEQ, carryOn);
        m.visitLabel(stop);
        m.visitTypeInsn(Opcodes.NEW, "java/lang/ThreadDeath");
        m.visitInsn(Opcodes.DUP);
        m.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/ThreadDeath", "<init>", "()V", false);
        m.visitInsn(Opcodes.ATHROW);
        m.visitLabel(carryOn);
        m.visitInsn(Opcodes.RETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * Whether this JDK's in-process JShell engine instruments cell code with stop checks (JDK 22 and
     * later); without them a running cell is stopped with {@code Thread.stop}.
     */
    public static boolean engineInstruments() {
        try {
            jdk.jshell.execution.LocalExecutionControl.class.getDeclaredField("allStop");
            return true;
        } catch (NoSuchFieldException e) {
            return false;
        }
    }

    /**
     * Stops the cell code run by {@code threads} (all threads when null) at its next stop check.
     *
     * @param loaded this class as defined by some loader
     */
    public static void stop(Class<?> loaded, Set<Thread> threads) throws ReflectiveOperationException {
        loaded.getField("only").set(null, threads);
        loaded.getField("allStop").setBoolean(null, true);
    }

    /** Clears the stop request (before cell code runs again). */
    public static void reset(Class<?> loaded) throws ReflectiveOperationException {
        loaded.getField("allStop").setBoolean(null, false);
    }
}
