package io.dodoloops.bridge.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.reliability.BridgeProcess;
import io.dodoloops.bridge.reliability.DodoSender;
import io.dodoloops.bridge.reliability.DodoSender.Outcome;
import io.dodoloops.bridge.reliability.DodoSender.Webhook;
import io.dodoloops.bridge.signature.WebhookSecrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped deploy/artemis configuration as a real replication pair, a bridge (its own JVM) on the failover URL,
 * real HTTP on loopback: the primary is killed (kill -9) while webhooks stream in and deliveries are in flight.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class ArtemisPairTest {

    private static final int WEBHOOKS = 300;
    private static final int SENDERS = 8;
    private static final int KILL_AFTER_ANSWERS = 100;

    private static final String SECRET = WebhookSecrets.generate(new SecureRandom());
    private static final DodoSender DODO = new DodoSender(SECRET);
    private static ArtemisPair pair;
    private static LoopsStandIn loops;
    private static BridgeProcess bridge;

    @BeforeAll
    static void startPairAndBridge() throws Exception {
        pair = ArtemisPair.start(Files.createTempDirectory("artemis-pair"));
        loops = LoopsStandIn.start();
        Path dataDir = Files.createTempDirectory("bridge-on-pair");
        bridge = BridgeProcess.start(dataDir, Map.of(
                        "bridge.webhook.secret", SECRET,
                        "bridge.loops.api-key", "test-loops-key",
                        "bridge.loops.base-url", loops.baseUrl(),
                        "bridge.loops.rate-limit", "1000",
                        "bridge.delivery.retry-delay-ms", "50"),
                List.of("-Xmx256m", "-XX:+UseSerialGC"),
                // As an operator sets it: the environment.
                Map.of("ARTEMIS_URL", pair.failoverUrl(),
                        "SPRING_ARTEMIS_USER", pair.user(),
                        "SPRING_ARTEMIS_PASSWORD", pair.password()))
                .awaitReady();
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable running : new AutoCloseable[] {bridge, loops, pair}) {
            try {
                if (running != null) {
                    running.close();
                }
            } catch (Exception e) {
                // closing the rest matters more
            }
        }
    }

    @Test
    void aDodoRetryOfAStoredWebhookIsAnsweredAsADuplicateByThePair() {
        Webhook webhook = webhook("payment.succeeded");

        Outcome first = DODO.send(bridge.webhookUrl(), webhook);
        Outcome retry = DODO.send(bridge.webhookUrl(), webhook);

        assertThat(first.status()).isEqualTo(202);
        assertThat(first.body()).contains("\"status\":\"accepted\"");
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.body()).isEqualTo("{\"status\":\"duplicate\",\"webhookId\":\"" + webhook.id() + "\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> loops.statusesFor(webhook.id()).contains(200));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> loops.requestsFor(webhook.id()).size() == 1);
        assertThat(bridge.manage("/actuator/prometheus")).containsPattern("(?m)^bridge_webhooks_duplicates_total(\\{[^}]*\\})? [1-9]");
    }

    @Test
    void aKill9OfThePrimaryLosesNoAcceptedWebhookAndRefusesTheRestWith503() {
        // Loops answers slowly, so deliveries are mid-transaction when the primary dies.
        loops.answerAfter(20);
        List<Webhook> webhooks = new ArrayList<>();
        for (int i = 0; i < WEBHOOKS; i++) {
            webhooks.add(webhook(i % 3 == 0 ? "subscription.renewed" : "payment.succeeded"));
        }
        AtomicInteger answered = new AtomicInteger();
        AtomicLong killedAt = new AtomicLong();
        AtomicLong firstAcceptedAfterKill = new AtomicLong();
        AtomicLong lastRefused = new AtomicLong();
        List<Outcome> outcomes = DODO.sendAll(bridge.webhookUrl(), webhooks, SENDERS, outcome -> {
            if (answered.incrementAndGet() == KILL_AFTER_ANSWERS) {
                pair.killPrimary();
                killedAt.set(System.nanoTime());
            } else if (killedAt.get() != 0 && outcome.status() == 202) {
                firstAcceptedAfterKill.compareAndSet(0, System.nanoTime());
            } else if (outcome.status() == 503) {
                lastRefused.set(System.nanoTime());
            }
        });
        pair.awaitBackupActive();

        // Never a 500, never a refused connection: a 202 (stored on the pair) or a 503 (Dodo retries).
        assertThat(outcomes).extracting(Outcome::status).as(pair.logs()).isSubsetOf(202, 503);
        List<Outcome> refused = outcomes.stream().filter(o -> o.status() == 503).toList();
        assertThat(firstAcceptedAfterKill.get()).as("a webhook accepted after the kill, on the backup").isNotZero();
        System.out.printf("primary killed after %d answers: %d of %d webhooks answered 503, the last %d ms after the kill;"
                        + " first 202 %d ms after the kill%n", KILL_AFTER_ANSWERS, refused.size(), outcomes.size(),
                (lastRefused.get() - killedAt.get()) / 1_000_000, (firstAcceptedAfterKill.get() - killedAt.get()) / 1_000_000);
        assertThat(refused).allSatisfy(o -> assertThat(o.body()).contains("retry later"));

        // Dodo retries every 503, now on the backup: accepted, or a duplicate when the first attempt was stored after all.
        for (Outcome miss : refused) {
            Outcome retry = DODO.send(bridge.webhookUrl(), miss.webhook());
            assertThat(retry.status()).as("retry of %s: %s", miss.webhook().id(), retry.body()).isEqualTo(202);
        }

        // Each webhook reached Loops once: one 200 per Idempotency-Key, a repeat answered 409 (the stand-in, as Loops).
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> webhooks.stream().allMatch(w -> loops.statusesFor(w.id()).contains(200)));
        loops.answerNormally();
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(1))
                .until(loops.quiet());
        for (Webhook webhook : webhooks) {
            assertThat(loops.statusesFor(webhook.id())).as("Loops answers for %s", webhook.id())
                    .containsOnlyOnce(200).isSubsetOf(200, 409);
            assertThat(loops.requestsFor(webhook.id())).extracting(r -> r.header("Idempotency-Key"))
                    .containsOnly("dodo-" + webhook.id());
        }
        System.out.printf("after the failover: %d Loops calls repeated (409)%n",
                loops.answers().stream().filter(a -> a.status() == 409).count());

        // The primary comes back and takes over again (failback); the bridge follows.
        pair.restartPrimary();
        Webhook afterFailback = webhook("payment.succeeded");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> DODO.send(bridge.webhookUrl(), afterFailback).status() == 202);
        await().atMost(Duration.ofSeconds(30)).until(() -> loops.statusesFor(afterFailback.id()).contains(200));

        assertThat(bridge.manage("/admin/dead-letters")).isEqualTo("[]");
        assertThat(bridge.log()).doesNotContain(pair.password()).doesNotContain(SECRET)
                .doesNotContain("Dead-lettered");
    }

    private static Webhook webhook(String eventType) {
        return new Webhook("msg_" + UUID.randomUUID().toString().replace("-", ""), eventType, DodoSender.sample(eventType));
    }
}
