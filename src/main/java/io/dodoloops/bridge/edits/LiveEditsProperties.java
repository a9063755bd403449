package io.dodoloops.bridge.edits;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code bridge.live-edits.*}.
 *
 * @param checkInterval how often the routes and transforms directories are looked at; an edit applies once its file
 *                      looked the same on two checks in a row, so within about two intervals
 */
@ConfigurationProperties("bridge.live-edits")
public record LiveEditsProperties(Duration checkInterval) {

    public LiveEditsProperties {
        if (checkInterval == null || checkInterval.isZero() || checkInterval.isNegative()) {
            throw new IllegalArgumentException("bridge.live-edits.check-interval must be positive, was " + checkInterval);
        }
    }
}
