package jpool.ship;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * What capture analysis needs to know about one class file, computed once per content hash:
 * every type name the class refers to (from its constant pool), its supertypes, static fields,
 * whether it has a static initializer, and per method the static fields it reads, the methods it
 * calls or takes handles to, and the classes it instantiates or initializes.
 *
 * <p>Immutable after construction. Names are binary names ({@code REPL.$JShell$3$Point}).
 */
final class ClassFacts {

    /** A method by declaring (or referenced) class binary name, name and descriptor. */
    record MethodRef(String owner, String name, String desc) {
        String key() {
            return name + desc;
        }
    }

    /** A static field by the class named in the instruction and the field name. */
    record FieldRef(String owner, String name) {
    }

    /** One static field's declaration. */
    record StaticField(String name, String desc, int access, boolean constant) {
    }

    /** Summary of one method body. */
    static final class MethodFacts {
        final String name;
        final String desc;
        final int access;
        final List<FieldRef> reads = new ArrayList<>();
        final List<MethodRef> calls = new ArrayList<>();
        final Set<String> instantiates = new HashSet<>();
        final Set<String> initializes = new HashSet<>();
        /** Local variable names by slot, from the LocalVariableTable when present. */
        final Map<Integer, String> localNames = new HashMap<>();

        MethodFacts(String name, String desc, int access) {
            this.name = name;
            this.desc = desc;
            this.access = access;
        }

        boolean isStatic() {
            return (access & Opcodes.ACC_STATIC) != 0;
        }

        boolean isAbstract() {
            return (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0;
        }
    }

    final String name;
    final String hash;
    final int access;
    final String superName;
    final List<String> interfaces;
    final Set<String> referenced;
    final Map<String, StaticField> staticFields;
    final Map<String, MethodFacts> methods;
    final boolean declaresSerialVersionUid;

    private ClassFacts(Builder b, String hash) {
        this.name = b.name;
        this.hash = hash;
        this.access = b.access;
        this.superName = b.superName;
        this.interfaces = List.copyOf(b.interfaces);
        this.referenced = Set.copyOf(b.referenced);
        this.staticFields = Map.copyOf(b.staticFields);
        this.methods = Map.copyOf(b.methods);
        this.declaresSerialVersionUid = b.declaresSuid;
    }

    /** Parses a class file. */
    static ClassFacts of(byte[] bytes, String hash) {
        Builder b = new Builder();
        ClassReader reader = new ClassReader(bytes);
        reader.accept(b, ClassReader.SKIP_FRAMES);
        b.referenced.addAll(constantPoolNames(bytes));
        b.referenced.remove(b.name);
        return new ClassFacts(b, hash);
    }

    boolean isEnum() {
        return (access & Opcodes.ACC_ENUM) != 0;
    }

    boolean isSynthetic() {
        return (access & Opcodes.ACC_SYNTHETIC) != 0;
    }

    boolean hasStaticInitializer() {
        return methods.containsKey("<clinit>()V");
    }

    MethodFacts method(String name, String desc) {
        return methods.get(name + desc);
    }

    /** Supertypes (superclass first, then interfaces), binary names. */
    List<String> supertypes() {
        List<String> out = new ArrayList<>(interfaces.size() + 1);
        if (superName != null) {
            out.add(superName);
        }
        out.addAll(interfaces);
        return out;
    }

    private static String binary(String internalName) {
        return internalName.replace('/', '.');
    }

    private static void addType(Set<String> out, Type t) {
        switch (t.getSort()) {
            case Type.OBJECT -> out.add(binary(t.getInternalName()));
            case Type.ARRAY -> addType(out, t.getElementType());
            default -> {
            }
        }
    }

    /**
     * Every name the constant pool could use for a class: each UTF-8 constant as a whole (class
     * entries) and each {@code L...;} run inside it (descriptors and generic signatures). The set
     * over-approximates; callers keep only names that are in the registry.
     */
    static Set<String> constantPoolNames(byte[] b) {
        Set<String> out = new HashSet<>();
        int count = ((b[8] & 0xff) << 8) | (b[9] & 0xff);
        int off = 10;
        for (int i = 1; i < count; i++) {
            int tag = b[off] & 0xff;
            switch (tag) {
                case 1 -> {
                    int len = ((b[off + 1] & 0xff) << 8) | (b[off + 2] & 0xff);
                    String s = utf(b, off + 1, len);
                    collectNames(s, out);
                    off += 3 + len;
                }
                case 3, 4, 9, 10, 11, 12, 17, 18 -> off += 5;
                case 5, 6 -> {
                    off += 9;
                    i++;
                }
                case 7, 8, 16, 19, 20 -> off += 3;
                case 15 -> off += 4;
                default -> throw new IllegalArgumentException("bad constant pool tag " + tag + " at " + off);
            }
        }
        return out;
    }

    private static String utf(byte[] b, int lengthOffset, int len) {
        try {
            return new DataInputStream(new ByteArrayInputStream(b, lengthOffset, len + 2)).readUTF();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collectNames(String s, Set<String> out) {
        if (s.isEmpty() || s.length() > 4096) {
            return;
        }
        if (s.indexOf(' ') < 0 && s.indexOf(';') < 0) {
            out.add(binary(s.startsWith("[") ? s.substring(s.lastIndexOf('[') + 1) : s));
        }
        int i = s.indexOf('L');
        while (i >= 0) {
            int end = i + 1;
            while (end < s.length() && s.charAt(end) != ';' && s.charAt(end) != '<') {
                end++;
            }
            if (end < s.length() && end > i + 1) {
                out.add(binary(s.substring(i + 1, end)));
            }
            i = s.indexOf('L', i + 1);
        }
    }

    private static final class Builder extends ClassVisitor {
        String name;
        int access;
        String superName;
        final List<String> interfaces = new ArrayList<>();
        final Set<String> referenced = new HashSet<>();
        final Map<String, StaticField> staticFields = new LinkedHashMap<>();
        final Map<String, MethodFacts> methods = new LinkedHashMap<>();
        boolean declaresSuid;

        Builder() {
            super(Opcodes.ASM9);
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                String[] interfaces) {
            this.name = binary(name);
            this.access = access;
            this.superName = superName == null ? null : binary(superName);
            if (interfaces != null) {
                for (String i : interfaces) {
                    this.interfaces.add(binary(i));
                }
            }
        }

        @Override
        public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
            if ((access & Opcodes.ACC_STATIC) != 0) {
                staticFields.put(name, new StaticField(name, descriptor, access, value != null));
                if (name.equals("serialVersionUID") && descriptor.equals("J")) {
                    declaresSuid = true;
                }
            }
            return null;
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                String[] exceptions) {
            MethodFacts m = new MethodFacts(name, descriptor, access);
            methods.put(name + descriptor, m);
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitTypeInsn(int opcode, String type) {
                    if (opcode == Opcodes.NEW) {
                        m.instantiates.add(binary(type));
                        m.initializes.add(binary(type));
                    }
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String fname, String fdesc) {
                    if (opcode == Opcodes.GETSTATIC) {
                        m.reads.add(new FieldRef(binary(owner), fname));
                        m.initializes.add(binary(owner));
                    } else if (opcode == Opcodes.PUTSTATIC) {
                        m.initializes.add(binary(owner));
                    }
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String mname, String mdesc, boolean itf) {
                    if (owner.startsWith("[")) {
                        return;
                    }
                    m.calls.add(new MethodRef(binary(owner), mname, mdesc));
                    if (opcode == Opcodes.INVOKESTATIC) {
                        m.initializes.add(binary(owner));
                    }
                }

                @Override
                public void visitInvokeDynamicInsn(String iname, String idesc, Handle bsm, Object... args) {
                    handle(bsm);
                    for (Object a : args) {
                        constant(a);
                    }
                }

                @Override
                public void visitLdcInsn(Object value) {
                    constant(value);
                }

                private void constant(Object value) {
                    if (value instanceof Handle h) {
                        handle(h);
                    } else if (value instanceof Type t && t.getSort() == Type.OBJECT) {
                        // a class literal: code may instantiate it reflectively
                        Set<String> s = new HashSet<>();
                        addType(s, t);
                        m.instantiates.addAll(s);
                    } else if (value instanceof ConstantDynamic cd) {
                        handle(cd.getBootstrapMethod());
                        for (int i = 0; i < cd.getBootstrapMethodArgumentCount(); i++) {
                            constant(cd.getBootstrapMethodArgument(i));
                        }
                    }
                }

                private void handle(Handle h) {
                    String owner = binary(h.getOwner());
                    switch (h.getTag()) {
                        case Opcodes.H_GETSTATIC -> m.reads.add(new FieldRef(owner, h.getName()));
                        case Opcodes.H_GETFIELD, Opcodes.H_PUTFIELD, Opcodes.H_PUTSTATIC -> {
                        }
                        default -> {
                            m.calls.add(new MethodRef(owner, h.getName(), h.getDesc()));
                            if (h.getTag() == Opcodes.H_NEWINVOKESPECIAL) {
                                m.instantiates.add(owner);
                            }
                        }
                    }
                }

                @Override
                public void visitLocalVariable(String lname, String ldesc, String lsig, Label start, Label end,
                        int index) {
                    m.localNames.putIfAbsent(index, lname);
                }
            };
        }
    }
}
