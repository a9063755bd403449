package io.dodoloops.bridge.delivery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.BridgeTest;
import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.RunningBridge;
import io.dodoloops.bridge.signature.WebhookSecrets;
import io.dodoloops.bridge.tryit.SendSample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A transform that never ends fails its own event, with the reason, and does not stop the others. */
class RunawayTransformTest {

    @Test
    void aTransformThatLoopsForeverIsDeadLetteredWhileOtherEventsAreSent() throws Exception {
        Path transforms = Files.createTempDirectory("transforms");
        for (String script : new String[] {"payment_confirmation.js", "subscription_welcome.js"}) {
            Files.copy(Path.of("transforms", script), transforms.resolve(script));
        }
        Files.writeString(transforms.resolve("payment_failed.js"), "function handler(webhook) { while (true) {} }\n");
        String secret = WebhookSecrets.generate(new SecureRandom());
        String looping = "msg_" + UUID.randomUUID();
        String fine = "msg_" + UUID.randomUUID();

        try (LoopsStandIn loops = LoopsStandIn.start();
             RunningBridge bridge = RunningBridge.start(Map.of(
                     "bridge.data-dir", Files.createTempDirectory("bridge-runaway").toString(),
                     "bridge.transforms.directory", transforms.toString(),
                     "bridge.webhook.secret", secret,
                     "bridge.loops.api-key", "test-loops-key",
                     "bridge.loops.base-url", loops.baseUrl()))) {
            SendSample.post(bridge.webhookUrl(), secret, looping, Instant.now().getEpochSecond(), SendSample.sample("payment.failed"));
            SendSample.post(bridge.webhookUrl(), secret, fine, Instant.now().getEpochSecond(), SendSample.sample("payment.succeeded"));

            await().atMost(Duration.ofSeconds(20)).until(() -> loops.requestsFor(fine).size() == 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> BridgeTest.firstDeadLetter(bridge.jms(), looping) != null);
            assertThat(BridgeTest.firstDeadLetter(bridge.jms(), looping).getStringProperty("DeadLetterReason"))
                    .contains("payment_failed.js").contains("exceeded 1000000 statements");
            assertThat(loops.requestsFor(looping)).isEmpty();
        }
    }
}
