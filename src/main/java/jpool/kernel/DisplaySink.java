package jpool.kernel;

/** Where {@link Display} publishes; the running kernel implements it. */
interface DisplaySink {

    /** display_data (with the display id in {@code transient} when not null). */
    void display(MimeBundle bundle, String displayId);

    /** update_display_data of an existing display id. */
    void update(MimeBundle bundle, String displayId);

    /** clear_output. */
    void clearOutput(boolean wait);

    /** Publishes pending stdout/stderr text, so output stays in the order it was written. */
    void flushStreams();
}
