package io.dodoloops.bridge.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class TransformPropertiesTest {

    @Test
    void defaults() {
        TransformProperties properties = bind(Map.of());

        assertThat(properties.directory()).isEqualTo("transforms");
        assertThat(properties.statementLimit()).isEqualTo(1_000_000);
        assertThat(properties.timeLimit()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.env()).isEmpty();
        assertThat(TransformProperties.defaults()).isEqualTo(properties);
    }

    @Test
    void bindsDirectoryLimitAndEnv() {
        TransformProperties properties = bind(Map.of(
                "bridge.transforms.directory", "/etc/bridge/transforms",
                "bridge.transforms.statement-limit", "5000",
                "bridge.transforms.time-limit", "500ms",
                "bridge.transforms.env.RETRY_LINK_BASE", "https://shop.example/retry/"));

        assertThat(properties.directory()).isEqualTo("/etc/bridge/transforms");
        assertThat(properties.statementLimit()).isEqualTo(5000);
        assertThat(properties.timeLimit()).isEqualTo(Duration.ofMillis(500));
        assertThat(properties.env()).containsExactly(Map.entry("RETRY_LINK_BASE", "https://shop.example/retry/"));
    }

    @Test
    void environmentVariablesReachScriptsUnderTheNameTheyRead() {
        var variables = new SystemEnvironmentPropertySource("systemEnvironment",
                Map.of("BRIDGE_TRANSFORMS_ENV_RETRY_LINK_BASE", "https://shop.example/retry/"));
        TransformProperties properties = new Binder(ConfigurationPropertySources.from(variables))
                .bindOrCreate("bridge.transforms", TransformProperties.class);

        assertThat(properties.env()).containsOnlyKeys("retry.link.base"); // Spring's relaxed binding
        assertThat(properties.scriptEnv()).containsEntry("RETRY_LINK_BASE", "https://shop.example/retry/");
    }

    @Test
    void aKeySetAsGivenWinsOverAnAlias() {
        TransformProperties properties = new TransformProperties("transforms", 1, Map.of("a-b", "alias", "A_B", "given"));

        assertThat(properties.scriptEnv()).containsEntry("A_B", "given").containsEntry("a-b", "alias");
    }

    @Test
    void aTimeLimitMustBePositive() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> bind(Map.of("bridge.transforms.time-limit", "0s")))
                .hasRootCauseMessage("bridge.transforms.time-limit must be positive, was PT0S");
    }

    private static TransformProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("bridge.transforms", TransformProperties.class);
    }
}
