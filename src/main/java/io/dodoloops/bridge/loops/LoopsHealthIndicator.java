package io.dodoloops.bridge.loops;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code loops} health component: where Loops requests go. UP either way (local mode is a choice, not a fault),
 * but an operator looking at health sees {@code mode: local} and the outbox instead of a silent non-delivery.
 * Never the key.
 */
@Component("loopsHealthIndicator")
public class LoopsHealthIndicator implements HealthIndicator {

    private final LoopsMode mode;

    public LoopsHealthIndicator(LoopsMode mode) {
        this.mode = mode;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up().withDetail("mode", mode.getMode());
        return mode.localMode() ? health.withDetail("outbox", mode.outbox().toString()).build()
                : health.withDetail("baseUrl", mode.baseUrl()).build();
    }
}
