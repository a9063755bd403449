package io.dodoloops.bridge.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.reliability.DodoSender.Outcome;
import io.dodoloops.bridge.reliability.DodoSender.Webhook;
import io.dodoloops.bridge.signature.WebhookSecrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bridge process is killed (kill -9) in the middle of a burst of webhooks from several senders, with Loops calls
 * in flight, and started again on the same data directory. "A 2xx means stored" and Dodo's retries of everything
 * else together mean: every webhook reaches Loops, none twice.
 */
class CrashUnderLoadTest {

    private static final int WEBHOOKS = 500;
    private static final int DUPLICATES = WEBHOOKS / 10;
    private static final int SENDERS = 8;
    private static final int KILL_AFTER_ANSWERS = 200;
    private static final int CONSUMERS = 4;
    private static final List<String> EVENT_TYPES =
            List.of("payment.succeeded", "subscription.active", "payment.failed", "dispute.opened");
    private static final Set<String> NOT_SENT_TO_LOOPS = Set.of("dispute.opened");

    private final String secret = WebhookSecrets.generate(new SecureRandom());
    private final DodoSender dodo = new DodoSender(secret);

    @Test
    void everyWebhookDodoSentReachesLoopsExactlyOnceAcrossAKill9InTheMiddleOfABurst() throws Exception {
        Path dataDir = Files.createTempDirectory("bridge-crash-load");
        long seed = System.nanoTime();
        List<Webhook> webhooks = webhooksWithDuplicates(new Random(seed));
        Map<String, Webhook> unique = new LinkedHashMap<>();
        webhooks.forEach(w -> unique.putIfAbsent(w.id(), w));

        try (LoopsStandIn loops = LoopsStandIn.start()) {
            // Dodo's first attempts; the bridge dies after answering some of them.
            List<Outcome> firstAttempts;
            try (BridgeProcess first = startBridge(dataDir, loops)) {
                first.awaitReady();
                AtomicInteger answered = new AtomicInteger();
                firstAttempts = dodo.sendAll(first.webhookUrl(), webhooks, SENDERS, outcome -> {
                    if (outcome.status() != 0 && answered.incrementAndGet() == KILL_AFTER_ANSWERS) {
                        first.kill();
                    }
                });
            }
            List<Outcome> notAnswered = firstAttempts.stream().filter(o -> !o.accepted()).toList();
            assertThat(firstAttempts).as("seed %d: every answer the bridge gave before dying", seed)
                    .filteredOn(o -> o.status() != 0).extracting(Outcome::status).containsOnly(202);
            assertThat(notAnswered).as("seed %d: sends the kill cut off", seed).isNotEmpty();
            assertThat(firstAttempts.size() - notAnswered.size()).isGreaterThanOrEqualTo(KILL_AFTER_ANSWERS);

            System.out.printf("seed %d: %d sends, %d answered 202 before the kill, %d cut off; Loops had %d calls%n", seed,
                    firstAttempts.size(), firstAttempts.size() - notAnswered.size(), notAnswered.size(), loops.answers().size());
            try (BridgeProcess second = startBridge(dataDir, loops)) {
                second.awaitReady();
                // Dodo retries whatever got no 2xx: the same webhook-id and body, signed again.
                for (Outcome missed : notAnswered) {
                    Outcome retry = dodo.send(second.webhookUrl(), missed.webhook());
                    assertThat(retry.status()).as("retry of %s: %s", missed.webhook().id(), retry.body()).isEqualTo(202);
                }

                List<String> toSend = unique.values().stream().filter(w -> !NOT_SENT_TO_LOOPS.contains(w.eventType()))
                        .map(Webhook::id).toList();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                        .until(() -> toSend.stream().allMatch(id -> loops.statusesFor(id).contains(200)));
                // Quiet: nothing more arrives at Loops.
                await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofSeconds(1))
                        .until(loops.quiet());

                for (String id : toSend) {
                    List<Integer> statuses = loops.statusesFor(id);
                    assertThat(statuses).as("seed %d: Loops answers for %s", seed, id)
                            .containsOnlyOnce(200).isSubsetOf(200, 409);
                }
                Set<String> expectedKeys = toSend.stream().map(id -> "dodo-" + id).collect(Collectors.toSet());
                assertThat(loops.answers()).extracting(LoopsStandIn.Answer::idempotencyKey)
                        .as("seed %d: only the webhooks of event types with a transform, by their own key", seed)
                        .allMatch(expectedKeys::contains);
                // A repeat (Loops 409) is a call that was in flight when the process died: at most one per consumer.
                assertThat(loops.answers()).filteredOn(a -> a.status() == 409).as("seed %d: repeated calls", seed)
                        .hasSizeLessThanOrEqualTo(CONSUMERS);

                System.out.printf("seed %d: %d webhooks reached Loops, %d calls repeated after the kill%n", seed,
                        toSend.size(), loops.answers().stream().filter(a -> a.status() == 409).count());
                assertThat(second.manage("/admin/dead-letters")).isEqualTo("[]");
                second.kill();
                assertThat(second.log()).doesNotContain("Dead-lettered");
            }
        }
    }

    /** {@value #WEBHOOKS} sends of mixed event types; {@value #DUPLICATES} of them repeat an earlier webhook-id. */
    private static List<Webhook> webhooksWithDuplicates(Random random) {
        List<Webhook> webhooks = new ArrayList<>();
        for (int i = 0; i < WEBHOOKS - DUPLICATES; i++) {
            String type = EVENT_TYPES.get(i % EVENT_TYPES.size());
            webhooks.add(new Webhook("msg_" + UUID.randomUUID().toString().replace("-", ""), type, DodoSender.sample(type)));
        }
        for (int i = 0; i < DUPLICATES; i++) {
            int original = random.nextInt(webhooks.size() - 1);
            int position = original + 1 + random.nextInt(webhooks.size() - original);
            webhooks.add(position, webhooks.get(original));
        }
        return webhooks;
    }


    private BridgeProcess startBridge(Path dataDir, LoopsStandIn loops) {
        return BridgeProcess.start(dataDir, Map.of(
                "bridge.webhook.secret", secret,
                "bridge.loops.api-key", "test-loops-key",
                "bridge.loops.base-url", loops.baseUrl(),
                "bridge.loops.rate-limit", "1000",
                "bridge.delivery.consumers", Integer.toString(CONSUMERS),
                "bridge.delivery.retries", "1",
                "bridge.delivery.retry-delay-ms", "50",
                "bridge.delivery.broker-redelivery-delay", "200ms",
                "bridge.delivery.broker-redelivery-max-delay", "500ms"));
    }
}
