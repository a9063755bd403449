package io.dodoloops.bridge.edits;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.dodoloops.bridge.Settings;

/**
 * {@code bridge.live-edits.*}. The default is in application.yaml.
 *
 * @param checkInterval how often the routes and transforms directories are looked at; an edit applies once its file
 *                      looked the same on two checks in a row, so within about two intervals
 */
@ConfigurationProperties("bridge.live-edits")
public record LiveEditsProperties(Duration checkInterval) {

    public LiveEditsProperties {
        Settings.requirePositive(checkInterval, "bridge.live-edits.check-interval");
    }
}
