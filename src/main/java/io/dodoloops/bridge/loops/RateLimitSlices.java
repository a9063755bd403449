package io.dodoloops.bridge.loops;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns LOOPS_RATE_LIMIT (requests per second) into the throttle's slices of about a tenth of a second, e.g. 10/s
 * as 1 per 105 ms and 5/s as 1 per 210 ms: released a second at a time, the requests leave in a burst that Loops
 * may count against its next second. Also the spacing the HTTP client keeps between requests (SendSpacing). YAML
 * cannot compute, hence this step.
 */
public class RateLimitSlices implements EnvironmentPostProcessor {

    static final String REQUESTS = "bridge.loops.throttle.requests";
    static final String PERIOD_MS = "bridge.loops.throttle.period-ms";
    static final String SPACING_US = "bridge.loops.send-spacing-us";
    /** A second plus the 5 % headroom that both the slices and the spacing keep. */
    private static final long SECOND_WITH_HEADROOM_MS = 1050;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty("bridge.loops.rate-limit", "10");
        int perSecond;
        try {
            perSecond = Integer.parseInt(configured.trim());
        } catch (NumberFormatException e) {
            perSecond = 0;
        }
        if (perSecond < 1) {
            throw new IllegalStateException("LOOPS_RATE_LIMIT must be a whole number of requests per second, at least 1; got '"
                    + configured + "'");
        }
        environment.getPropertySources().addLast(new MapPropertySource("bridge-rate-limit-slices", slices(perSecond)));
    }

    /**
     * Requests per slice and the slice length, never more than {@code perSecond} over any whole second, and the
     * spacing the HTTP client keeps between two requests (SendSpacing). Both are 5 % longer than exact: Loops counts
     * arrivals, and a few milliseconds of network jitter would otherwise put one request too many into its second.
     */
    static Map<String, Object> slices(int perSecond) {
        int requests = (perSecond + 9) / 10;
        long periodMs = (SECOND_WITH_HEADROOM_MS * requests + perSecond - 1) / perSecond;
        long spacingMicros = (SECOND_WITH_HEADROOM_MS * 1000 + perSecond - 1) / perSecond;
        return Map.of(REQUESTS, requests, PERIOD_MS, periodMs, SPACING_US, spacingMicros);
    }
}
