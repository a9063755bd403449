package io.dodoloops.bridge.reliability;

import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.RunningBridge;
import io.dodoloops.bridge.admin.DeadLetterQueue;
import io.dodoloops.bridge.metrics.BridgeCounters;
import io.dodoloops.bridge.reliability.DodoSender.Webhook;
import io.dodoloops.bridge.signature.WebhookSecrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Loops answers 500 for longer than the in-route retries last, then stops listening altogether, then comes back:
 * webhooks accepted before and during the outage wait in the broker and each reaches Loops exactly once afterwards.
 */
class LoopsOutageRecoveryTest {

    private static final List<String> EVENT_TYPES =
            List.of("payment.succeeded", "subscription.active", "payment.failed", "dispute.opened");
    /** Attempts per broker delivery with bridge.delivery.retries=1: more than this means the broker redelivered. */
    private static final int ATTEMPTS_PER_DELIVERY = 2;

    private final String secret = WebhookSecrets.generate(new SecureRandom());
    private final DodoSender dodo = new DodoSender(secret);

    @Test
    void webhooksAcceptedDuringALoopsOutageAreEachDeliveredOnceWhenLoopsRecovers() throws Exception {
        try (LoopsStandIn loops = LoopsStandIn.start();
             RunningBridge bridge = RunningBridge.start(settings(loops))) {
            BridgeCounters counters = bridge.bean(BridgeCounters.class);

            // Loops fails every call with 500.
            loops.failAll(500);
            List<Webhook> beforeRefusal = accept(bridge, 20);
            await().atMost(Duration.ofSeconds(30)).until(() -> sendable(beforeRefusal).stream()
                    .allMatch(w -> loops.statusesFor(w.id()).size() > ATTEMPTS_PER_DELIVERY));
            assertThat(deadLetters(bridge)).isEmpty();

            // Then nothing listens on its port: connection refused.
            loops.refuseConnections();
            int callsBeforeRefusal = loops.answers().size();
            List<Webhook> duringRefusal = accept(bridge, 20);
            long retriedBefore = counters.getRetried();
            int waiting = sendable(beforeRefusal).size() + sendable(duringRefusal).size();
            // Every waiting webhook is tried (and fails to connect) at least once more.
            await().atMost(Duration.ofSeconds(30)).until(() -> counters.getRetried() - retriedBefore >= 2L * waiting);
            assertThat(loops.answers()).hasSize(callsBeforeRefusal);
            assertThat(deadLetters(bridge)).isEmpty();

            // Loops is back.
            loops.answerNormally();
            loops.acceptConnections();
            List<Webhook> all = new ArrayList<>(beforeRefusal);
            all.addAll(duringRefusal);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> sendable(all).stream().allMatch(w -> loops.statusesFor(w.id()).contains(200)));
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                    .until(() -> counters.getDelivered() + counters.getIgnored() >= all.size());

            for (Webhook webhook : all) {
                List<Integer> statuses = loops.statusesFor(webhook.id());
                if (webhook.eventType().equals("dispute.opened")) {
                    assertThat(statuses).as("ignored %s", webhook.id()).isEmpty();
                } else {
                    // Failures until Loops recovered, then one success and nothing after it.
                    assertThat(statuses).as("Loops answers for %s", webhook.id()).endsWith(200).containsOnlyOnce(200)
                            .isSubsetOf(500, 200);
                }
            }
            assertThat(deadLetters(bridge)).isEmpty();
            assertThat(counters.getDeadLettered()).isZero();
        }
    }

    private List<Webhook> accept(RunningBridge bridge, int count) {
        List<Webhook> accepted = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String type = EVENT_TYPES.get(i % EVENT_TYPES.size());
            Webhook webhook = new Webhook("msg_" + UUID.randomUUID().toString().replace("-", ""), type,
                    DodoSender.sample(type));
            assertThat(dodo.send(bridge.webhookUrl(), webhook).status()).isEqualTo(202);
            accepted.add(webhook);
        }
        return accepted;
    }

    private static List<Webhook> sendable(List<Webhook> webhooks) {
        return webhooks.stream().filter(w -> !w.eventType().equals("dispute.opened")).toList();
    }

    private static List<DeadLetterQueue.Entry> deadLetters(RunningBridge bridge) {
        return bridge.bean(DeadLetterQueue.class).list(new DeadLetterQueue.Selection(null, null, null));
    }

    /** Fast retries, as in LoopsOutageTest: one in-route retry after 50 ms, then the broker after 200-500 ms. */
    private Map<String, Object> settings(LoopsStandIn loops) throws Exception {
        Map<String, Object> settings = new HashMap<>();
        settings.put("bridge.data-dir", Files.createTempDirectory("bridge-outage-recovery").toString());
        settings.put("bridge.webhook.secret", secret);
        settings.put("bridge.loops.api-key", "test-loops-key");
        settings.put("bridge.loops.base-url", loops.baseUrl());
        settings.put("bridge.loops.rate-limit", "1000");
        settings.put("bridge.delivery.retries", "1");
        settings.put("bridge.delivery.retry-delay-ms", "50");
        settings.put("bridge.delivery.broker-redelivery-delay", "200ms");
        settings.put("bridge.delivery.broker-redelivery-max-delay", "500ms");
        return settings;
    }
}
