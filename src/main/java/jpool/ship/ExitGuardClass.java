package jpool.ship;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Keeps {@code System.exit} in cell code from ending the kernel's JVM.
 *
 * <p>{@link #rewrite(byte[])} turns the calls {@code System.exit(int)}, {@code Runtime.exit(int)} and
 * {@code Runtime.halt(int)} in a cell class (also as method references) into calls of the same-shaped
 * static methods of {@code REPL.$Exit$}, the class {@link #bytes()} makes. Those throw
 * {@code UnsupportedOperationException} with the message in the static field {@code refuse} when it is
 * set (the kernel sets it), and otherwise exit as asked: a worker that runs shipped cell code gets the
 * class with the field unset, so a task's {@code System.exit} still ends its worker as it would anywhere.
 * The class uses only {@code java.*} types; its state is never shipped.
 */
public final class ExitGuardClass {

    /** The binary name of the guard. */
    public static final String NAME = "REPL.$Exit$";

    private static final String INTERNAL = "REPL/$Exit$";
    private static final byte[] EXIT = {'e', 'x', 'i', 't'};
    private static final byte[] HALT = {'h', 'a', 'l', 't'};

    private ExitGuardClass() {
    }

    /** The guard's class file. */
    public static byte[] bytes() {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER | Opcodes.ACC_FINAL, INTERNAL, null,
                "java/lang/Object", null);
        cw.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_VOLATILE, "refuse", "Ljava/lang/String;",
                null, null).visitEnd();
        guard(cw, "exit", "(I)V", "System.exit(", false);
        guard(cw, "exit", "(Ljava/lang/Runtime;I)V", "Runtime.exit(", true);
        guard(cw, "halt", "(Ljava/lang/Runtime;I)V", "Runtime.halt(", true);
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** {@code static void name(...)}: throws when {@code refuse} is set, else does what the original call does. */
    private static void guard(ClassWriter cw, String name, String desc, String shown, boolean onRuntime) {
        MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, name, desc, null, null);
        int status = onRuntime ? 1 : 0;
        m.visitCode();
        Label really = new Label();
        m.visitFieldInsn(Opcodes.GETSTATIC, INTERNAL, "refuse", "Ljava/lang/String;");
        m.visitJumpInsn(Opcodes.IFNULL, really);
        m.visitTypeInsn(Opcodes.NEW, "java/lang/UnsupportedOperationException");
        m.visitInsn(Opcodes.DUP);
        m.visitTypeInsn(Opcodes.NEW, "java/lang/StringBuilder");
        m.visitInsn(Opcodes.DUP);
        m.visitLdcInsn(shown);
        m.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/StringBuilder", "<init>", "(Ljava/lang/String;)V", false);
        m.visitVarInsn(Opcodes.ILOAD, status);
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/StringBuilder", "append", "(I)Ljava/lang/StringBuilder;", false);
        m.visitLdcInsn(") ");
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/StringBuilder", "append",
                "(Ljava/lang/String;)Ljava/lang/StringBuilder;", false);
        m.visitFieldInsn(Opcodes.GETSTATIC, INTERNAL, "refuse", "Ljava/lang/String;");
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/StringBuilder", "append",
                "(Ljava/lang/String;)Ljava/lang/StringBuilder;", false);
        m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/StringBuilder", "toString", "()Ljava/lang/String;", false);
        m.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/UnsupportedOperationException", "<init>",
                "(Ljava/lang/String;)V", false);
        m.visitInsn(Opcodes.ATHROW);
        m.visitLabel(really);
        if (onRuntime) {
            m.visitVarInsn(Opcodes.ALOAD, 0);
            m.visitVarInsn(Opcodes.ILOAD, 1);
            m.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/Runtime", name, "(I)V", false);
        } else {
            m.visitVarInsn(Opcodes.ILOAD, 0);
            m.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/System", "exit", "(I)V", false);
        }
        m.visitInsn(Opcodes.RETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
    }

    /** The class file with its exit calls sent through the guard; the same bytes when it has none. */
    public static byte[] rewrite(byte[] classFile) {
        if (!contains(classFile, EXIT) && !contains(classFile, HALT)) {
            return classFile;
        }
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(reader, 0); // same stack shapes: no frames to recompute
        boolean[] changed = new boolean[1];
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, desc, signature, exceptions)) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String mname, String mdesc, boolean itf) {
                        String guarded = guardedDescriptor(opcode == Opcodes.INVOKESTATIC, owner, mname, mdesc);
                        if (guarded != null) {
                            changed[0] = true;
                            super.visitMethodInsn(Opcodes.INVOKESTATIC, INTERNAL, mname, guarded, false);
                        } else {
                            super.visitMethodInsn(opcode, owner, mname, mdesc, itf);
                        }
                    }

                    @Override
                    public void visitInvokeDynamicInsn(String iname, String idesc, Handle bsm, Object... args) {
                        for (int i = 0; i < args.length; i++) {
                            if (args[i] instanceof Handle h) {
                                boolean isStatic = h.getTag() == Opcodes.H_INVOKESTATIC;
                                boolean isVirtual = h.getTag() == Opcodes.H_INVOKEVIRTUAL;
                                String guarded = isStatic || isVirtual
                                        ? guardedDescriptor(isStatic, h.getOwner(), h.getName(), h.getDesc()) : null;
                                if (guarded != null) {
                                    changed[0] = true;
                                    args[i] = new Handle(Opcodes.H_INVOKESTATIC, INTERNAL, h.getName(), guarded, false);
                                }
                            }
                        }
                        super.visitInvokeDynamicInsn(iname, idesc, bsm, args);
                    }
                };
            }
        }, 0);
        return changed[0] ? writer.toByteArray() : classFile;
    }

    /** The guard's descriptor for a call it replaces, or null when the call is not an exit. */
    private static String guardedDescriptor(boolean isStatic, String owner, String name, String desc) {
        if (!"(I)V".equals(desc)) {
            return null;
        }
        if (isStatic && owner.equals("java/lang/System") && name.equals("exit")) {
            return "(I)V";
        }
        if (!isStatic && owner.equals("java/lang/Runtime") && (name.equals("exit") || name.equals("halt"))) {
            return "(Ljava/lang/Runtime;I)V";
        }
        return null;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** Makes the guard refuse, with {@code message} after "System.exit(n) ". */
    public static void refuse(Class<?> loaded, String message) throws ReflectiveOperationException {
        loaded.getField("refuse").set(null, message);
    }
}
