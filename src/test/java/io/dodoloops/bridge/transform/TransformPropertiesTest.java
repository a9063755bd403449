package io.dodoloops.bridge.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import io.dodoloops.bridge.TestSettings;

class TransformPropertiesTest {

    @Test
    void theDefaultsAreApplicationYamls() {
        TransformProperties properties = TestSettings.transforms(Map.of());

        assertThat(properties.directory()).isEqualTo("transforms");
        assertThat(properties.statementLimit()).isEqualTo(1_000_000);
        assertThat(properties.timeLimit()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.scriptEnv()).containsEntry("RETRY_LINK_BASE", "");
    }

    @Test
    void bindsDirectoryLimitAndEnv() {
        TransformProperties properties = TestSettings.transforms(Map.of(
                "bridge.transforms.directory", "/etc/bridge/transforms",
                "bridge.transforms.statement-limit", "5000",
                "bridge.transforms.time-limit", "500ms",
                "bridge.transforms.env.RETRY_LINK_BASE", "https://shop.example/retry/"));

        assertThat(properties.directory()).isEqualTo("/etc/bridge/transforms");
        assertThat(properties.statementLimit()).isEqualTo(5000);
        assertThat(properties.timeLimit()).isEqualTo(Duration.ofMillis(500));
        assertThat(properties.env()).containsEntry("RETRY_LINK_BASE", "https://shop.example/retry/");
    }

    @Test
    void environmentVariablesReachScriptsUnderTheNameTheyRead() {
        ConfigurableEnvironment environment = TestSettings.environment(Map.of());
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource("test-systemEnvironment",
                Map.of("BRIDGE_TRANSFORMS_ENV_SHOP_URL", "https://shop.example/")));
        TransformProperties properties = Binder.get(environment).bindOrCreate("bridge.transforms", TransformProperties.class);

        assertThat(properties.env()).containsKey("shop.url"); // Spring's relaxed binding
        assertThat(properties.scriptEnv()).containsEntry("SHOP_URL", "https://shop.example/");
    }

    @Test
    void aKeySetAsGivenWinsOverAnAlias() {
        TransformProperties properties = new TransformProperties("transforms", 1L, Duration.ofSeconds(1),
                Map.of("a-b", "alias", "A_B", "given"));

        assertThat(properties.scriptEnv()).containsEntry("A_B", "given").containsEntry("a-b", "alias");
    }

    @Test
    void aTimeLimitMustBePositive() {
        assertThatThrownBy(() -> TestSettings.transforms(Map.of("bridge.transforms.time-limit", "0s")))
                .hasRootCauseMessage("bridge.transforms.time-limit (TRANSFORM_TIME_LIMIT) must be a positive duration (such as"
                        + " 5s or 500ms), was PT0S");
    }
}
