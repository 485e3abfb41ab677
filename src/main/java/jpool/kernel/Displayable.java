package jpool.kernel;

/** A type that knows how to show itself in a notebook; used when no renderer is registered for it. */
public interface Displayable {

    /** This object as a MIME bundle. */
    MimeBundle toMimeBundle();
}
