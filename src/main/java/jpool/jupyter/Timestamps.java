package jpool.jupyter;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** ISO-8601 timestamps as Jupyter messages carry them: UTC with microseconds, e.g. {@code 2024-05-01T12:00:00.123456Z}. */
public final class Timestamps {

    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** The current time. */
    public static String now() {
        return format(Instant.now());
    }

    /** Formats an instant, truncated to microseconds. */
    public static String format(Instant instant) {
        return FORMAT.format(instant.truncatedTo(ChronoUnit.MICROS));
    }

    /** Parses a timestamp with an offset or {@code Z}, with or without fraction; a missing offset means UTC. */
    public static Instant parse(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return java.time.LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        }
    }
}
