package jpool.jupyter;

/** The kernel's sockets. */
public enum Channel {
    SHELL, CONTROL, STDIN, IOPUB, HEARTBEAT
}
