package jpool.kernel;

/** A magic was used wrongly (bad arguments, unknown name); shown to the user as a usage error, the kernel goes on. */
public class MagicException extends Exception {

    public MagicException(String message) {
        super(message);
    }

    public MagicException(String message, Throwable cause) {
        super(message, cause);
    }
}
