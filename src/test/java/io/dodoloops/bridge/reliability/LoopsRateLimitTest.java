package io.dodoloops.bridge.reliability;

import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.RunningBridge;
import io.dodoloops.bridge.reliability.DodoSender.Outcome;
import io.dodoloops.bridge.reliability.DodoSender.Webhook;
import io.dodoloops.bridge.signature.WebhookSecrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A burst far above Loops' 10 requests per second: the bridge accepts it at once and feeds it to Loops at the default
 * LOOPS_RATE_LIMIT (10/s), so a Loops that enforces 10/s hardly ever has to answer 429. Takes about 30 s by nature.
 */
class LoopsRateLimitTest {

    private static final int BURST = 300;
    private static final int LOOPS_LIMIT_PER_SECOND = 10;
    private static final List<String> EVENT_TYPES = List.of("payment.succeeded", "subscription.active", "payment.failed");

    private final String secret = WebhookSecrets.generate(new SecureRandom());

    @Test
    void aBurstIsAcceptedAtOnceAndReachesLoopsAtTheConfiguredRate() throws Exception {
        List<Webhook> burst = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            String type = EVENT_TYPES.get(i % EVENT_TYPES.size());
            burst.add(new Webhook("msg_" + UUID.randomUUID().toString().replace("-", ""), type, DodoSender.sample(type)));
        }

        try (LoopsStandIn loops = LoopsStandIn.start();
             RunningBridge bridge = RunningBridge.start(Map.of(
                     "bridge.data-dir", Files.createTempDirectory("bridge-rate").toString(),
                     "bridge.webhook.secret", secret,
                     "bridge.loops.api-key", "test-loops-key",
                     "bridge.loops.base-url", loops.baseUrl()))) {
            loops.enforceRate(LOOPS_LIMIT_PER_SECOND);

            // Accepted without waiting for Loops: delivering them takes 30 s, accepting them a fraction of that.
            long start = System.nanoTime();
            List<Outcome> outcomes = new DodoSender(secret).sendAll(bridge.webhookUrl(), burst, 8, outcome -> { });
            Duration accepting = Duration.ofNanos(System.nanoTime() - start);
            assertThat(outcomes).extracting(Outcome::status).containsOnly(202);
            assertThat(accepting).isLessThan(Duration.ofSeconds(10));

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> burst.stream().allMatch(w -> loops.statusesFor(w.id()).contains(200)));

            List<LoopsStandIn.Answer> answers = loops.answers();
            System.out.printf("%d webhooks accepted in %d ms; %d Loops requests over %d ms, %d answered 429, at most %d"
                            + " in one second%n", BURST, accepting.toMillis(), answers.size(),
                    answers.get(answers.size() - 1).request().atMillis() - answers.get(0).request().atMillis(),
                    answers.stream().filter(a -> a.status() == 429).count(), LoopsStandIn.busiestSecond(answers));
            // Requests leave 105 ms apart as they are written (SendSpacing), so no second can hold an eleventh.
            assertThat(LoopsStandIn.busiestSecond(answers)).as("most Loops requests arriving within one second")
                    .isLessThanOrEqualTo(LOOPS_LIMIT_PER_SECOND);
            List<LoopsStandIn.Answer> limited = answers.stream().filter(a -> a.status() == 429).toList();
            assertThat(limited).as("Loops requests answered 429").hasSizeLessThanOrEqualTo(answers.size() / 100);
            for (Webhook webhook : burst) {
                assertThat(loops.statusesFor(webhook.id())).as("Loops answers for %s", webhook.id())
                        .containsOnlyOnce(200).isSubsetOf(200, 429);
            }
        }
    }
}
