package jpool.ship;

import java.util.LinkedHashMap;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites a shipped class so that its static state comes from the snapshot: the class's own
 * static initializer (if any) is dropped and replaced by one that, for each shipped field, asks
 * {@link ShippedState#value} for the value and stores it. A side effect in the original
 * initializer therefore does not happen again on the worker. Final fields work too, since the
 * stores happen inside the initializer.
 *
 * <p>When the class gains an initializer it did not have and is serializable, the kernel's
 * serialVersionUID is pinned, because the default one depends on whether an initializer exists.
 */
final class ClinitRewriter {

    private static final String STATE = Type.getInternalName(ShippedState.class);
    private static final String VALUE_DESC = "(Ljava/lang/Class;Ljava/lang/String;)Ljava/lang/Object;";

    private ClinitRewriter() {
    }

    static byte[] rewrite(byte[] original, Shipment.ClassState state) {
        ClassReader reader = new ClassReader(original);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new Visitor(writer, state), 0);
        return writer.toByteArray();
    }

    private static final class Visitor extends ClassVisitor {
        private final Shipment.ClassState state;
        private final Map<String, String> staticDescs = new LinkedHashMap<>();
        private String owner;
        private boolean isInterface;
        private boolean hasSuid;

        Visitor(ClassVisitor next, Shipment.ClassState state) {
            super(Opcodes.ASM9, next);
            this.state = state;
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                String[] interfaces) {
            owner = name;
            isInterface = (access & Opcodes.ACC_INTERFACE) != 0;
            super.visit(version, access, name, signature, superName, interfaces);
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            if ((access & Opcodes.ACC_STATIC) != 0) {
                staticDescs.put(name, descriptor);
                hasSuid |= name.equals("serialVersionUID");
            }
            return super.visitField(access, name, descriptor, signature, value);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                String[] exceptions) {
            if (name.equals("<clinit>")) {
                return null; // replaced in visitEnd
            }
            return super.visitMethod(access, name, descriptor, signature, exceptions);
        }

        @Override
        public void visitEnd() {
            if (state.serialVersionUid() != null && !hasSuid && !isInterface) {
                FieldVisitor fv = super.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL,
                        "serialVersionUID", "J", null, state.serialVersionUid());
                fv.visitEnd();
            }
            MethodVisitor mv = super.visitMethod(Opcodes.ACC_STATIC, "<clinit>", "()V", null, null);
            mv.visitCode();
            for (String field : state.values().keySet()) {
                String desc = staticDescs.get(field);
                if (desc == null) {
                    throw new IllegalStateException(owner + " has no static field " + field);
                }
                mv.visitLdcInsn(Type.getObjectType(owner));
                mv.visitLdcInsn(field);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, STATE, "value", VALUE_DESC, false);
                unbox(mv, Type.getType(desc));
                mv.visitFieldInsn(Opcodes.PUTSTATIC, owner, field, desc);
            }
            mv.visitInsn(Opcodes.RETURN);
            mv.visitMaxs(2, 0);
            mv.visitEnd();
            super.visitEnd();
        }

        private static void unbox(MethodVisitor mv, Type t) {
            String box;
            switch (t.getSort()) {
                case Type.BOOLEAN -> box = "java/lang/Boolean";
                case Type.BYTE -> box = "java/lang/Byte";
                case Type.CHAR -> box = "java/lang/Character";
                case Type.SHORT -> box = "java/lang/Short";
                case Type.INT -> box = "java/lang/Integer";
                case Type.LONG -> box = "java/lang/Long";
                case Type.FLOAT -> box = "java/lang/Float";
                case Type.DOUBLE -> box = "java/lang/Double";
                default -> {
                    mv.visitTypeInsn(Opcodes.CHECKCAST, t.getSort() == Type.ARRAY ? t.getDescriptor() : t.getInternalName());
                    return;
                }
            }
            mv.visitTypeInsn(Opcodes.CHECKCAST, box);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, box, t.getClassName() + "Value", "()" + t.getDescriptor(), false);
        }
    }
}
