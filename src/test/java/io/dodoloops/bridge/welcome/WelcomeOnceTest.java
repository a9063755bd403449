package io.dodoloops.bridge.welcome;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import javax.sql.DataSource;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;

import io.dodoloops.bridge.BridgeTest;
import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.RunningBridge;
import io.dodoloops.bridge.admin.DeadLetterQueue;
import io.dodoloops.bridge.admin.DryRun;
import io.dodoloops.bridge.tryit.SendSample;

import static io.dodoloops.bridge.welcome.SubscriptionEvents.event;
import static io.dodoloops.bridge.welcome.SubscriptionEvents.eventName;
import static io.dodoloops.bridge.welcome.SubscriptionEvents.eventNames;
import static io.dodoloops.bridge.welcome.SubscriptionEvents.newSubscriptionId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * subscription.active welcomes a subscription once; a later one (the subscription recovered from on_hold) is a
 * subscription_reactivated. The subscription counts as welcomed only once its welcome was sent.
 */
class WelcomeOnceTest extends BridgeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    DryRun dryRun;
    @Autowired
    DeadLetterQueue deadLetters;
    @Autowired
    @Qualifier("welcomedSubscriptions")
    IdempotentRepository welcomed;
    @Autowired
    ApplicationContext context;

    @Test
    void theDefaultFileRepositoryStartsWithoutAnyDatabase() {
        assertThat(welcomed).isInstanceOf(FileIdempotentRepository.class);
        assertThat(context.getBeanNamesForType(DataSource.class)).isEmpty();
        assertThat(context.getBeanNamesForType(PlatformTransactionManager.class)).isEmpty();
    }

    @Test
    void welcomeThenOnHoldThenActiveAgainIsOneWelcomeAndOneReactivation() {
        String subscription = newSubscriptionId();
        String first = newWebhookId();
        String onHold = newWebhookId();
        String again = newWebhookId();

        deliver(first, event("subscription.active", subscription));
        assertThat(eventName(awaitLoopsRequests(first, 1).get(0))).isEqualTo("subscription_welcome");
        deliver(onHold, event("subscription.on_hold", subscription));
        deliver(again, event("subscription.active", subscription));

        JsonNode reactivated = awaitLoopsRequests(again, 1).get(0).json();
        assertThat(reactivated).isEqualTo(json("""
                {"eventName":"subscription_reactivated","email":"test@acme.com","userId":"cus_8VbC6JDZzPEqfBPUdpj0K",
                 "eventProperties":{"subscription_id":"%s","product_id":"pdt_RUST4raxbl0Rfe4VQi1z","amount":"10.00",
                   "currency":"USD","next_billing":"2025-08-23"},
                 "subscriptionStatus":"active","subscriptionProductId":"pdt_RUST4raxbl0Rfe4VQi1z",
                 "subscriptionNextBilling":"2025-08-23"}""".formatted(subscription)));
        assertThat(eventName(awaitLoopsRequests(onHold, 1).get(0))).isEqualTo("subscription_on_hold");
        // One welcome, then (on_hold and the second activation may reach Loops in either order) one reactivation.
        assertThat(eventNames(LOOPS, subscription)).first().isEqualTo("subscription_welcome");
        assertThat(eventNames(LOOPS, subscription))
                .containsExactlyInAnyOrder("subscription_welcome", "subscription_on_hold", "subscription_reactivated");
    }

    @Test
    void aWelcomeLoopsRefusedIsDeadLetteredAndItsReplayStillWelcomes() throws Exception {
        String subscription = newSubscriptionId();
        String id = newWebhookId();
        LOOPS.script("dodo-" + id, 400); // the welcome template is broken in Loops; fixed before the replay

        deliver(id, event("subscription.active", subscription));
        assertThat(awaitDeadLetter(id).getStringProperty("DeadLetterReason")).startsWith("Loops answered 400");
        assertThat(welcomed.contains(subscription)).isFalse();

        deadLetters.replay(id);
        await().atMost(Duration.ofSeconds(20)).until(() -> !LOOPS.requestsWithKey("dodo-" + id + "-r1").isEmpty());
        assertThat(eventName(LOOPS.requestsWithKey("dodo-" + id + "-r1").get(0))).isEqualTo("subscription_welcome");
        await().atMost(Duration.ofSeconds(5)).until(() -> welcomed.contains(subscription));

        String again = newWebhookId();
        deliver(again, event("subscription.active", subscription));
        assertThat(eventName(awaitLoopsRequests(again, 1).get(0))).isEqualTo("subscription_reactivated");
    }

    @Test
    void aWelcomeRetriedAfterLoopsErrorsIsStillAWelcome() {
        String subscription = newSubscriptionId();
        String id = newWebhookId();
        // 3 attempts in the route, a rollback, the broker's redelivery: the 5th is accepted.
        LOOPS.script("dodo-" + id, 500, 502, 503, 504);

        deliver(id, event("subscription.active", subscription));

        assertThat(awaitLoopsRequests(id, 5)).extracting(SubscriptionEvents::eventName).containsOnly("subscription_welcome");
        await().atMost(Duration.ofSeconds(5)).until(() -> welcomed.contains(subscription));
    }

    @Test
    void aDryRunOfSubscriptionActiveMarksNothing() {
        String subscription = newSubscriptionId();
        byte[] event = event("subscription.active", subscription);

        for (int i = 0; i < 2; i++) {
            Map<String, Object> answer = dryRun.run(event, newWebhookId());
            assertThat(answer.get("outcome")).isEqualTo("send");
            assertThat(JSON.valueToTree(answer).at("/request/body/eventName").asText()).isEqualTo("subscription_welcome");
        }
        assertThat(welcomed.contains(subscription)).isFalse();

        String id = newWebhookId();
        deliver(id, event);
        assertThat(eventName(awaitLoopsRequests(id, 1).get(0))).isEqualTo("subscription_welcome");
        await().atMost(Duration.ofSeconds(5)).until(() -> welcomed.contains(subscription));
        // Once welcomed, the dry run shows what the next subscription.active would send.
        assertThat(JSON.valueToTree(dryRun.run(event, newWebhookId())).at("/request/body/eventName").asText())
                .isEqualTo("subscription_reactivated");
    }

    @Test
    void aRestartedBridgeRemembersWhoWasWelcomed() throws Exception {
        String dataDir = tempDir("bridge-welcome");
        String subscription = newSubscriptionId();
        try (LoopsStandIn loops = LoopsStandIn.start()) {
            String first = newWebhookId();
            try (RunningBridge bridge = RunningBridge.start(settings(dataDir, loops))) {
                post(bridge, first, event("subscription.active", subscription));
                await().atMost(Duration.ofSeconds(20)).until(() -> loops.requestsFor(first).size() == 1);
            }
            String onHold = newWebhookId();
            String again = newWebhookId();
            try (RunningBridge restarted = RunningBridge.start(settings(dataDir, loops))) {
                post(restarted, onHold, event("subscription.on_hold", subscription));
                post(restarted, again, event("subscription.active", subscription));
                await().atMost(Duration.ofSeconds(20)).until(() -> loops.requestsFor(again).size() == 1
                        && loops.requestsFor(onHold).size() == 1);
            }
            assertThat(eventNames(loops, subscription)).first().isEqualTo("subscription_welcome");
            assertThat(eventNames(loops, subscription))
                    .containsExactlyInAnyOrder("subscription_welcome", "subscription_on_hold", "subscription_reactivated");
        }
    }

    private static Map<String, Object> settings(String dataDir, LoopsStandIn loops) {
        return Map.of("bridge.data-dir", dataDir, "bridge.webhook.secret", SECRET,
                "bridge.loops.api-key", "test-loops-key", "bridge.loops.base-url", loops.baseUrl());
    }

    private static void post(RunningBridge bridge, String id, byte[] body) throws Exception {
        assertThat(SendSample.post(bridge.webhookUrl(), SECRET, id, Instant.now().getEpochSecond(), body).statusCode())
                .isEqualTo(202);
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
