package io.dodoloops.bridge.edits;

import java.util.Map;
import java.util.function.Supplier;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The health component of a watched directory: DOWN with {@code {"<name>/<file>": problem}} while a file has a
 * problem (even if its previous version still runs), UP with {@code upDetails} otherwise. It tells an operator to fix
 * a file; readiness does not include it, as the bridge keeps delivering with the last good versions.
 *
 * @param files     the directory whose problems make the status
 * @param upDetails what UP shows, e.g. the loaded scripts
 */
public record DirectoryHealth(WatchedDirectory files, Supplier<Map<String, ?>> upDetails) implements HealthIndicator {

    public DirectoryHealth(WatchedDirectory files) {
        this(files, Map::of);
    }

    @Override
    public Health health() {
        Map<String, String> problems = files.problems();
        return problems.isEmpty() ? Health.up().withDetails(upDetails.get()).build() : Health.down().withDetails(problems).build();
    }
}
