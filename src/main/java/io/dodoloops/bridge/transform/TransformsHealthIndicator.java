package io.dodoloops.bridge.transform;

import java.util.Map;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code transforms} health component: DOWN with {@code {script: problem}} while a transform file is broken,
 * missing or unreadable (even if its previous version still serves), UP with the loaded {@code scripts} otherwise.
 * It tells an operator to fix a file; it is not a reason to restart or to stop routing traffic to the bridge.
 */
@Component("transformsHealthIndicator")
public class TransformsHealthIndicator implements HealthIndicator {

    private final JavaScriptTransforms transforms;

    public TransformsHealthIndicator(JavaScriptTransforms transforms) {
        this.transforms = transforms;
    }

    @Override
    public Health health() {
        Map<String, String> problems = transforms.problems();
        if (!problems.isEmpty()) {
            return Health.down().withDetails(problems).build();
        }
        return Health.up().withDetail("scripts", transforms.loadedScripts()).build();
    }
}
