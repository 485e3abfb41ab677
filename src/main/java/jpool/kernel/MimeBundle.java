package jpool.kernel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A value rendered for Jupyter: representations by MIME type ({@code text/plain}, {@code text/html},
 * {@code image/png} as base64, {@code application/json} as a JSON string, a {@code Map} or a {@code List}, ...)
 * plus per-type metadata. A bundle displayed or returned from a cell is shown as it is.
 *
 * <pre>{@code
 * display(MimeBundle.of("text/html", "<b>bold</b>").put("text/plain", "bold"));
 * }</pre>
 */
public final class MimeBundle {

    private final Map<String, Object> data = new LinkedHashMap<>();
    private final Map<String, Object> metadata = new LinkedHashMap<>();

    /** An empty bundle. */
    public MimeBundle() {
    }

    /** A bundle with one representation. */
    public static MimeBundle of(String mimeType, Object value) {
        return new MimeBundle().put(mimeType, value);
    }

    /** A bundle with only a {@code text/plain} representation. */
    public static MimeBundle text(String text) {
        return of("text/plain", text);
    }

    /** Adds or replaces a representation; returns this bundle. */
    public MimeBundle put(String mimeType, Object value) {
        data.put(mimeType, value);
        return this;
    }

    /** Adds metadata for a MIME type (e.g. {@code width} of an image); returns this bundle. */
    public MimeBundle putMetadata(String key, Object value) {
        metadata.put(key, value);
        return this;
    }

    /** The representations, in insertion order (read-only view). */
    public Map<String, Object> data() {
        return Collections.unmodifiableMap(data);
    }

    /** The metadata (read-only view). */
    public Map<String, Object> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    /** Whether the bundle has a representation of this type. */
    public boolean has(String mimeType) {
        return data.containsKey(mimeType);
    }

    /** A copy keeping only the given types (all of them when none are given). */
    public MimeBundle only(String... mimeTypes) {
        MimeBundle copy = new MimeBundle();
        if (mimeTypes == null || mimeTypes.length == 0) {
            copy.data.putAll(data);
        } else {
            for (String m : mimeTypes) {
                if (data.containsKey(m)) {
                    copy.data.put(m, data.get(m));
                }
            }
        }
        copy.metadata.putAll(metadata);
        return copy;
    }

    /** The {@code text/plain} representation, or the first one. */
    @Override
    public String toString() {
        Object plain = data.get("text/plain");
        if (plain != null) {
            return plain.toString();
        }
        return data.isEmpty() ? "" : String.valueOf(data.values().iterator().next());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MimeBundle b && b.data.equals(data) && b.metadata.equals(metadata);
    }

    @Override
    public int hashCode() {
        return data.hashCode() * 31 + metadata.hashCode();
    }
}
