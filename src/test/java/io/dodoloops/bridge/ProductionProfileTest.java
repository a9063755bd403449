package io.dodoloops.bridge;

import java.security.SecureRandom;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import io.dodoloops.bridge.signature.WebhookSecrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Local mode and the generated webhook secret are development defaults; the production profile turns them into a
 * refusal to start, with a message naming what is missing and never a secret.
 */
class ProductionProfileTest {

    /** Made up for this run; no secret ships with the tests. */
    private static final String SECRET = WebhookSecrets.generate(new SecureRandom());

    @Test
    void theBridgeRefusesToStartInProductionWithoutTheLoopsKeyAndTheWebhookSecret() {
        assertThatThrownBy(() -> RunningBridge.start(Map.of("bridge.profile", "production", "bridge.data-dir", tempDir())).close())
                .hasMessageContaining("LOOPS_API_KEY").hasMessageContaining("DODO_WEBHOOK_SECRET")
                .hasMessageContaining("refuses to start");
    }

    @Test
    void aSpringProfileNamedProductionIsTheProductionProfileToo() {
        assertThatThrownBy(() -> RunningBridge.start(Map.of("spring.profiles.active", "production",
                "bridge.webhook.secret", SECRET, "bridge.data-dir", tempDir())).close())
                .hasMessageContaining("LOOPS_API_KEY").satisfies(refusal -> assertThat(refusal.getMessage())
                        .doesNotContain("DODO_WEBHOOK_SECRET").doesNotContain(SECRET));
    }

    @Test
    void onlyWhatIsMissingIsNamedAndNoValueIsShown() {
        MockEnvironment environment = new MockEnvironment().withProperty("bridge.profile", "production")
                .withProperty("bridge.loops.api-key", "test-key-value").withProperty("bridge.webhook.secret", " ");

        assertThatThrownBy(() -> new ProductionProfile().postProcessEnvironment(environment, new SpringApplication()))
                .hasMessageContaining("DODO_WEBHOOK_SECRET").satisfies(refusal -> assertThat(refusal.getMessage())
                        .doesNotContain("LOOPS_API_KEY").doesNotContain("test-key-value"));
    }

    @Test
    void withBothSetProductionStarts() {
        MockEnvironment environment = new MockEnvironment().withProperty("bridge.profile", "PRODUCTION")
                .withProperty("bridge.loops.api-key", "test-key-value").withProperty("bridge.webhook.secret", SECRET);

        assertThatCode(() -> new ProductionProfile().postProcessEnvironment(environment, new SpringApplication()))
                .doesNotThrowAnyException();
    }

    @Test
    void withoutTheProductionProfileTheDevelopmentDefaultsApply() {
        assertThatCode(() -> new ProductionProfile().postProcessEnvironment(new MockEnvironment(), new SpringApplication()))
                .doesNotThrowAnyException();
    }

    private static String tempDir() {
        try {
            return java.nio.file.Files.createTempDirectory("bridge-production").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
