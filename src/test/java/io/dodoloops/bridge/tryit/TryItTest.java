package io.dodoloops.bridge.tryit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.RunningBridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The README's "Try it": no keys at all, a sample signed with the generated secret, the request in the outbox. */
class TryItTest {

    @Test
    void withoutKeysTheBridgeSignsWithItsOwnSecretAndWritesLoopsRequestsToTheOutbox() throws Exception {
        Path dataDir = Files.createTempDirectory("bridge-try-it");
        try (RunningBridge bridge = RunningBridge.start(Map.of(
                "bridge.data-dir", dataDir.toString(),
                "bridge.webhook.secret", "",
                "bridge.loops.api-key", ""))) {
            String secret = Files.readString(dataDir.resolve("dev-webhook-secret")).trim();
            assertThat(secret).startsWith("whsec_");

            assertThat(SendSample.post(bridge.webhookUrl(), secret, "msg_try_it", Instant.now().getEpochSecond(),
                    SendSample.sample("payment.succeeded")).statusCode()).isEqualTo(202);

            Path outbox = dataDir.resolve("outbox.jsonl");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(outbox) && !Files.readAllLines(outbox).isEmpty());
            List<String> lines = Files.readAllLines(outbox);
            assertThat(lines).hasSize(1);
            JsonNode line = new ObjectMapper().readTree(lines.get(0));
            assertThat(line.get("method").asText()).isEqualTo("POST");
            assertThat(line.get("url").asText()).isEqualTo("https://app.loops.so/api/v1/events/send");
            assertThat(line.at("/headers/Idempotency-Key").asText()).isEqualTo("dodo-msg_try_it");
            assertThat(line.at("/headers/Content-Type").asText()).isEqualTo("application/json");
            assertThat(line.has("Authorization")).isFalse();
            assertThat(line.at("/body/eventName").asText()).isEqualTo("payment_confirmation");
            assertThat(line.at("/body/eventProperties/amount").asText()).isEqualTo("4.00");
        }
    }
}
