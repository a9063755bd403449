package io.dodoloops.bridge.transform;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code bridge.transforms.*}.
 *
 * @param directory      where the {@code *.js} transforms live, relative to the working directory
 * @param statementLimit JavaScript statements one transform call may execute before it is stopped
 * @param timeLimit      how long one transform call (or loading a script) may run before it is stopped
 * @param env            values scripts read as {@code webhook.env.NAME}, e.g. {@code RETRY_LINK_BASE}
 */
@ConfigurationProperties("bridge.transforms")
public record TransformProperties(
        @DefaultValue("transforms") String directory,
        @DefaultValue("1000000") long statementLimit,
        @DefaultValue("2s") Duration timeLimit,
        Map<String, String> env) {

    private static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(2);

    @ConstructorBinding // the one Spring binds; the other is for code that keeps the default time limit
    public TransformProperties {
        directory = directory == null || directory.isBlank() ? "transforms" : directory;
        if (statementLimit <= 0) {
            throw new IllegalArgumentException("bridge.transforms.statement-limit must be positive, was " + statementLimit);
        }
        timeLimit = timeLimit == null ? DEFAULT_TIME_LIMIT : timeLimit;
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("bridge.transforms.time-limit must be positive, was " + timeLimit);
        }
        env = env == null ? Map.of() : Map.copyOf(env);
    }

    public TransformProperties(String directory, long statementLimit, Map<String, String> env) {
        this(directory, statementLimit, DEFAULT_TIME_LIMIT, env);
    }

    /**
     * {@link #env} as scripts see it: every key also in UPPER_SNAKE_CASE, because Spring binds the environment
     * variable {@code BRIDGE_TRANSFORMS_ENV_RETRY_LINK_BASE} to the key {@code retry.link.base}, yet scripts read
     * {@code webhook.env.RETRY_LINK_BASE}. A key set as given wins over an alias.
     */
    public Map<String, String> scriptEnv() {
        Map<String, String> scriptEnv = new LinkedHashMap<>(env);
        env.forEach((key, value) -> scriptEnv.putIfAbsent(key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT), value));
        return Map.copyOf(scriptEnv);
    }

    /** The defaults, for tests and tools that run without Spring. */
    public static TransformProperties defaults() {
        return new TransformProperties("transforms", 1_000_000, DEFAULT_TIME_LIMIT, Map.of());
    }
}
