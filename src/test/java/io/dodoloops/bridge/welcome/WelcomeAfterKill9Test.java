package io.dodoloops.bridge.welcome;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.reliability.BridgeProcess;
import io.dodoloops.bridge.signature.WebhookSecrets;
import io.dodoloops.bridge.tryit.SendSample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A subscription welcomed just before a kill -9 is still welcomed for the next process. */
class WelcomeAfterKill9Test {

    private final String secret = WebhookSecrets.generate(new SecureRandom());

    @Test
    void aWelcomeSentBeforeAKill9IsRememberedByTheNextProcess() throws Exception {
        Path dataDir = Files.createTempDirectory("bridge-welcome-kill");
        String subscription = SubscriptionEvents.newSubscriptionId();
        String first = "msg_" + UUID.randomUUID();
        String again = "msg_" + UUID.randomUUID();
        try (LoopsStandIn loops = LoopsStandIn.start()) {
            try (BridgeProcess bridge = start(dataDir, loops)) {
                post(bridge.awaitReady().webhookUrl(), first, subscription);
                await().atMost(Duration.ofSeconds(30)).until(() -> loops.requestsFor(first).size() == 1);
                Path file = dataDir.resolve(WelcomeRepositoryConfiguration.FILE_NAME);
                await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file) && Files.readString(file).contains(subscription));
                bridge.kill();
            }
            try (BridgeProcess next = start(dataDir, loops)) {
                post(next.awaitReady().webhookUrl(), again, subscription);
                await().atMost(Duration.ofSeconds(30)).until(() -> loops.requestsFor(again).size() == 1);
            }
            assertThat(loops.requestsFor(first).get(0).json().path("eventName").asText()).isEqualTo("subscription_welcome");
            assertThat(loops.requestsFor(again).get(0).json().path("eventName").asText()).isEqualTo("subscription_reactivated");
        }
    }

    private BridgeProcess start(Path dataDir, LoopsStandIn loops) {
        return BridgeProcess.start(dataDir, Map.of("bridge.webhook.secret", secret, "bridge.loops.api-key", "test-loops-key",
                "bridge.loops.base-url", loops.baseUrl()));
    }

    private void post(URI url, String id, String subscription) throws Exception {
        byte[] body = SubscriptionEvents.event("subscription.active", subscription);
        assertThat(SendSample.post(url, secret, id, Instant.now().getEpochSecond(), body).statusCode()).isEqualTo(202);
    }
}
