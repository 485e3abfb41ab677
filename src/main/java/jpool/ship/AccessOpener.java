package jpool.ship;

import java.util.function.Supplier;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Worker side: makes a class of the worker's globals usable from the task loaders that share it.
 *
 * <p>Cell classes are package-private members of package {@code REPL}, and a package at run time is
 * a package name and a defining loader: a task's class defined by its own {@link SnapshotLoader}
 * cannot reach a package-private class, field or method defined by the globals loader
 * ({@code IllegalAccessError}). So the globals loader defines its classes public, with their
 * package-private and protected fields and methods public; private members stay private (only
 * nestmates use them, and a nest is always defined whole by one loader).
 *
 * <p>Changing modifiers changes the default serialVersionUID, so a serializable class without a
 * declared one gets the value the unchanged class has (the kernel's), or values sent from the
 * kernel could not be read on the worker and results could not be read in the kernel.
 */
final class AccessOpener {

    private AccessOpener() {
    }

    /**
     * @param bytes the class file to define (possibly already rewritten for shipped state)
     * @param suid gives the serialVersionUID to pin when the class declares none; it may return null
     *     (not serializable, a record or an enum); only called when needed
     */
    static byte[] open(byte[] bytes, Supplier<Long> suid) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new Visitor(writer, suid), 0);
        return writer.toByteArray();
    }

    /** Package-private and protected become public; private stays. */
    static int widen(int access) {
        if ((access & Opcodes.ACC_PRIVATE) != 0) {
            return access;
        }
        return (access & ~Opcodes.ACC_PROTECTED) | Opcodes.ACC_PUBLIC;
    }

    private static final class Visitor extends ClassVisitor {
        private final Supplier<Long> suid;
        private boolean isInterface;
        private boolean hasSuid;

        Visitor(ClassVisitor next, Supplier<Long> suid) {
            super(Opcodes.ASM9, next);
            this.suid = suid;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                String[] interfaces) {
            isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
            super.visit(version, access | Opcodes.ACC_PUBLIC, name, signature, superName, interfaces);
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            if ((access & Opcodes.ACC_STATIC) != 0 && name.equals("serialVersionUID")) {
                hasSuid = true;
            }
            return super.visitField(widen(access), name, descriptor, signature, value);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                String[] exceptions) {
            int a = name.equals("<clinit>") ? access : widen(access);
            return super.visitMethod(a, name, descriptor, signature, exceptions);
        }

        @Override
        public void visitEnd() {
            if (!hasSuid && !isInterface) {
                Long value = suid.get();
                if (value != null) {
                    FieldVisitor fv = super.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL,
                            "serialVersionUID", "J", null, value);
                    fv.visitEnd();
                }
            }
            super.visitEnd();
        }
    }
}
