/**
 * Communication between processes, across JVMs: queues ({@link jpool.ipc.IpcQueue},
 * {@link jpool.ipc.JoinableIpcQueue}, {@link jpool.ipc.SimpleIpcQueue}), pipes
 * ({@link jpool.ipc.PipeConnection}) and values and arrays in shared memory ({@link jpool.ipc.SharedInt},
 * {@link jpool.ipc.SharedDouble}, {@link jpool.ipc.SharedIntArray}, {@link jpool.ipc.SharedDoubleArray},
 * each with a {@link jpool.ipc.SharedLock}), made by the factories of {@link jpool.ipc.Ipc} in the manner
 * of Python's {@code multiprocessing}.
 *
 * <p>The design in short (docs/IPC.md has the rest): the JVM that makes an object owns its state;
 * each JVM that uses IPC runs one hub, a ZeroMQ ROUTER socket on 127.0.0.1 with a random port and a
 * random HMAC-SHA256 key, and one I/O thread. What travels when an object is serialized is a small
 * reference (endpoint, key, object id, kind); another JVM that deserializes it calls the owner's hub
 * over one DEALER socket per owner, shared by all its threads. A call that must wait waits in the
 * owner, which answers when it can; the caller parks meanwhile. Calls in the owner itself go straight
 * to the object. Heartbeats both ways bound how long a lost owner or peer can go unnoticed.
 *
 * <p>No type here has the simple name of a type in {@code java.lang} or {@code java.util}, so
 * {@code import jpool.ipc.*;} compiles beside {@code import java.util.*;}.
 */
package jpool.ipc;
