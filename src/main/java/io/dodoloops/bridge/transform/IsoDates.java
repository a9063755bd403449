package io.dodoloops.bridge.transform;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * Dodo timestamps ({@code 2025-08-04T05:30:45.182629Z}) as the calendar date emails show, {@code 2025-08-04} in UTC,
 * so neither the JVM's nor JavaScript's locale and time zone leak into customer emails. Scripts reach it as
 * {@code formatDate}.
 */
public final class IsoDates {

    private IsoDates() {
    }

    /** The UTC calendar date of an ISO-8601 timestamp; {@code ""} for null or blank (optional Dodo fields). */
    public static String utcDate(String timestamp) {
        if (timestamp == null || timestamp.isBlank()) {
            return "";
        }
        String text = timestamp.trim();
        try {
            return OffsetDateTime.parse(text).atZoneSameInstant(ZoneOffset.UTC).toLocalDate().toString();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDateTime.parse(text).toLocalDate().toString(); // no offset: already UTC by Dodo's convention
            } catch (DateTimeParseException notLocal) {
                try {
                    return LocalDate.parse(text).toString();
                } catch (DateTimeParseException notDate) {
                    throw new IllegalArgumentException("'" + text + "' is not an ISO-8601 timestamp");
                }
            }
        }
    }
}
