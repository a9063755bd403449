package io.dodoloops.bridge.transform;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.dodoloops.bridge.Settings;

/**
 * {@code bridge.transforms.*}. Defaults are in application.yaml.
 *
 * @param directory      where the *.js transforms live, relative to the working directory (TRANSFORMS_DIR)
 * @param statementLimit JavaScript statements one transform call may execute before it is stopped
 *                       (TRANSFORM_STATEMENT_LIMIT)
 * @param timeLimit      how long one transform call (or loading a script) may run before it is stopped
 *                       (TRANSFORM_TIME_LIMIT)
 * @param env            values scripts read as webhook.env.NAME, e.g. RETRY_LINK_BASE
 */
@ConfigurationProperties("bridge.transforms")
public record TransformProperties(String directory, Long statementLimit, Duration timeLimit, Map<String, String> env) {

    public TransformProperties {
        Settings.requireText(directory, "bridge.transforms.directory (TRANSFORMS_DIR)");
        Settings.require(statementLimit != null && statementLimit > 0, "bridge.transforms.statement-limit"
                + " (TRANSFORM_STATEMENT_LIMIT) must be positive, was " + statementLimit);
        Settings.requirePositive(timeLimit, "bridge.transforms.time-limit (TRANSFORM_TIME_LIMIT)");
        env = env == null ? Map.of() : Map.copyOf(env);
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
}
