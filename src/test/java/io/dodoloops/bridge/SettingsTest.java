package io.dodoloops.bridge;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.dodoloops.bridge.delivery.DeliveryProperties;
import io.dodoloops.bridge.loops.LoopsProperties;
import io.dodoloops.bridge.queue.QueueProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every setting is bound to a typed record with its default from application.yaml, and a wrong value stops the start
 * with Spring Boot's short failure report naming the setting and its variable, before the bridge takes a webhook.
 */
@ExtendWith(OutputCaptureExtension.class)
class SettingsTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "LOOPS_RATE_LIMIT          | 0      | bridge.loops.rate-limit (LOOPS_RATE_LIMIT) must be a whole number of requests per second from 1 to 100000; was 0",
            "LOOPS_RATE_LIMIT          | 2000000000 | bridge.loops.rate-limit (LOOPS_RATE_LIMIT) must be a whole number of requests per second from 1 to 100000",
            "LOOPS_RATE_LIMIT          | ten    | bridge.loops.rate-limit",
            "LOOPS_BASE_URL            | app.loops.so | bridge.loops.base-url (LOOPS_BASE_URL) must be an absolute http(s) URL",
            "JOURNAL_SYNC_WINDOW       | -1ms   | bridge.queue.journal-sync-window (JOURNAL_SYNC_WINDOW) must be a positive duration",
            "WEBHOOK_TIMESTAMP_TOLERANCE | 0s   | bridge.webhook.timestamp-tolerance (WEBHOOK_TIMESTAMP_TOLERANCE) must be a positive duration",
            "WEBHOOK_BODY_BUFFER_LIMIT | 512KB  | bridge.webhook.body-buffer-limit (WEBHOOK_BODY_BUFFER_LIMIT, 524288B) must hold at least one body of",
            "DELIVERY_CONSUMERS        | 0      | bridge.delivery.consumers (DELIVERY_CONSUMERS) must be at least 1, was 0",
            "DELIVERY_RETRY_MAX_DELAY_MS | 10   | bridge.delivery.retry-max-delay-ms (DELIVERY_RETRY_MAX_DELAY_MS, 10) must not be below",
            "WELCOME_REPOSITORY        | redis  | bridge.welcome.repository (WELCOME_REPOSITORY) is 'redis': use 'file' (the default) or 'jdbc'",
            "BRIDGE_PROFILE            | prod   | bridge.profile (BRIDGE_PROFILE) must be 'production' or unset, was 'prod'",
            "TRANSFORM_STATEMENT_LIMIT | 0      | bridge.transforms.statement-limit (TRANSFORM_STATEMENT_LIMIT) must be positive, was 0"})
    void aWrongValueStopsTheStartNamingTheSetting(String variable, String value, String message, CapturedOutput output) {
        assertThatThrownBy(() -> start(Map.of(variable, value)).close()).isInstanceOf(RuntimeException.class);

        assertThat(output.getAll()).contains("APPLICATION FAILED TO START").contains(message);
    }

    @Test
    void theDefaultsComeFromApplicationYamlAlone() {
        LoopsProperties loops = TestSettings.bind("bridge.loops", LoopsProperties.class, Map.of());
        assertThat(loops.base()).isEqualTo("https://app.loops.so/api");
        assertThat(loops.rateLimit()).isEqualTo(10);
        assertThat(loops.localMode()).isTrue();
        assertThat(TestSettings.bind("bridge.delivery", DeliveryProperties.class, Map.of()).consumers()).isEqualTo(4);
        assertThat(TestSettings.bind("bridge.queue", QueueProperties.class, Map.of()).webhooks()).isEqualTo("dodo.webhooks");
    }

    @Test
    void aSecretInAWrongSettingNeverReachesTheReport(CapturedOutput output) {
        String key = "loops-key-" + System.nanoTime();
        assertThatThrownBy(() -> start(Map.of("LOOPS_API_KEY", key, "LOOPS_RATE_LIMIT", "0")).close());

        assertThat(output.getAll()).contains("LOOPS_RATE_LIMIT").doesNotContain(key);
        assertThat(TestSettings.loops("https://app.loops.so/api", key).toString()).doesNotContain(key);
    }

    /** The variables as arguments: application.yaml's ${NAME:default} reads them from any source, as from the environment. */
    private static RunningBridge start(Map<String, Object> settings) throws Exception {
        Map<String, Object> all = new HashMap<>(settings);
        all.put("bridge.data-dir", Files.createTempDirectory("bridge-settings").toString());
        return RunningBridge.start(all);
    }
}
