package io.dodoloops.bridge.welcome;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.PostgresServer;
import io.dodoloops.bridge.RunningBridge;
import io.dodoloops.bridge.delivery.DeliveryLog;
import io.dodoloops.bridge.signature.WebhookSecrets;
import io.dodoloops.bridge.transform.LogCapture;
import io.dodoloops.bridge.tryit.SendSample;

import static io.dodoloops.bridge.welcome.SubscriptionEvents.event;
import static io.dodoloops.bridge.welcome.SubscriptionEvents.eventName;
import static io.dodoloops.bridge.welcome.SubscriptionEvents.eventNames;
import static io.dodoloops.bridge.welcome.SubscriptionEvents.newSubscriptionId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * WELCOME_REPOSITORY=jdbc: bridges sharing one PostgreSQL database welcome a subscription once, whichever of them gets
 * its events, also after they are gone; a database outage delays a welcome, it neither skips remembering it nor sends
 * it twice.
 */
class SharedWelcomeTest {

    private static final String SECRET = WebhookSecrets.generate(new SecureRandom());
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PostgresServer postgres;
    private static String databaseUrl;
    private static LoopsStandIn loops;
    private static RunningBridge bridgeA;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.start();
        databaseUrl = postgres.createDatabase("bridge");
        loops = LoopsStandIn.start();
        bridgeA = RunningBridge.start(settings());
    }

    @AfterAll
    static void stop() {
        if (bridgeA != null) {
            bridgeA.close();
        }
        if (loops != null) {
            loops.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aSubscriptionWelcomedThroughOneBridgeIsReactivatedThroughAnotherAndAfterThemAll() throws Exception {
        String subscription = newSubscriptionId();
        String first = newWebhookId();
        String onHold = newWebhookId();
        String again = newWebhookId();
        try (LogCapture logs = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
            try (RunningBridge bridgeB = RunningBridge.start(settings())) {
                post(bridgeA, first, event("subscription.active", subscription));
                await().atMost(Duration.ofSeconds(20)).until(() -> loops.requestsFor(first).size() == 1);
                // B remembers what A sent: the one database, no copy in either bridge's data directory.
                await().atMost(Duration.ofSeconds(5)).until(() -> bridgeB.bean(JdbcWelcomedSubscriptions.class).contains(subscription));

                post(bridgeB, onHold, event("subscription.on_hold", subscription));
                post(bridgeB, again, event("subscription.active", subscription));
                await().atMost(Duration.ofSeconds(20)).until(() -> loops.requestsFor(again).size() == 1
                        && loops.requestsFor(onHold).size() == 1);
            }
            // A bridge on a new data directory, B gone: the memory is the database's.
            String later = newWebhookId();
            try (RunningBridge bridgeC = RunningBridge.start(settings())) {
                post(bridgeC, later, event("subscription.active", subscription));
                await().atMost(Duration.ofSeconds(20)).until(() -> loops.requestsFor(later).size() == 1);
            }
            assertThat(eventNames(loops, subscription)).first().isEqualTo("subscription_welcome");
            assertThat(eventNames(loops, subscription)).containsExactlyInAnyOrder("subscription_welcome",
                    "subscription_on_hold", "subscription_reactivated", "subscription_reactivated");
            assertThat(logs.everything()).contains("Welcomed subscriptions are remembered in the shared database "
                    + databaseUrl + " as user bridge").doesNotContain(postgres.password());
        }
    }

    @Test
    void aWelcomeWhileTheDatabaseIsDownWaitsForItThenGoesOutOnce() throws Exception {
        String subscription = newSubscriptionId();
        String id = newWebhookId();
        try (LogCapture logs = new LogCapture(DeliveryLog.class)) {
            postgres.stop();
            try {
                post(bridgeA, id, event("subscription.active", subscription));
                awaitHandedBack(logs, id);
                assertThat(loops.requestsFor(id)).as("no welcome without knowing whether it is one").isEmpty();
                // Health says which part is down; readiness stays up, so webhooks are still taken in.
                assertThat(JSON.readTree(get(bridgeA.managementUrl("/actuator/health")).body()).at("/components/db/status").asText())
                        .isEqualTo("DOWN");
                assertThat(get(bridgeA.managementUrl("/actuator/health/readiness")).statusCode()).isEqualTo(200);
            } finally {
                postgres.startAgain();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> loops.requestsFor(id).size() == 1);
            assertThat(eventName(loops.requestsFor(id).get(0))).isEqualTo("subscription_welcome");
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> bridgeA.bean(JdbcWelcomedSubscriptions.class).contains(subscription));
        }
    }

    @Test
    void aWelcomeSentJustBeforeTheDatabaseWentDownIsRememberedWhenItIsBackWithoutASecondEmail() throws Exception {
        String subscription = newSubscriptionId();
        String id = newWebhookId();
        try (LogCapture logs = new LogCapture(DeliveryLog.class)) {
            loops.answerAfter(1_500);
            try {
                post(bridgeA, id, event("subscription.active", subscription));
                await().atMost(Duration.ofSeconds(20)).until(() -> loops.requestsFor(id).size() == 1);
                postgres.stop(); // while Loops is still answering: the welcome is sent, remembering it fails
                loops.answerAfter(0);
                awaitHandedBack(logs, id);
            } finally {
                loops.answerAfter(0);
                postgres.startAgain();
            }
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> bridgeA.bean(JdbcWelcomedSubscriptions.class).contains(subscription));
            // Redelivered as the same welcome with the same Idempotency-Key: Loops' 409, one email.
            List<Integer> statuses = loops.statusesFor(id);
            assertThat(statuses).first().isEqualTo(200);
            assertThat(statuses.subList(1, statuses.size())).containsOnly(409);
            assertThat(loops.requestsFor(id)).extracting(SubscriptionEvents::eventName).containsOnly("subscription_welcome");

            String again = newWebhookId();
            post(bridgeA, again, event("subscription.active", subscription));
            await().atMost(Duration.ofSeconds(20)).until(() -> loops.requestsFor(again).size() == 1);
            assertThat(eventName(loops.requestsFor(again).get(0))).isEqualTo("subscription_reactivated");
        }
    }

    /** The webhook went back to the broker at least once because the database did not answer. */
    private static void awaitHandedBack(LogCapture logs, String id) {
        await().atMost(Duration.ofSeconds(30)).until(() -> logs.warnings().stream().anyMatch(w -> w.contains(id)
                && w.contains("the welcomed-subscriptions database still unavailable")));
    }

    private static Map<String, Object> settings() throws Exception {
        Map<String, Object> settings = new HashMap<>(Map.of(
                "bridge.data-dir", Files.createTempDirectory("bridge-shared-welcome").toString(),
                "bridge.webhook.secret", SECRET,
                "bridge.loops.api-key", "test-loops-key",
                "bridge.loops.base-url", loops.baseUrl(),
                "bridge.welcome.repository", "jdbc",
                "spring.datasource.url", databaseUrl,
                "spring.datasource.username", PostgresServer.USER,
                "spring.datasource.password", postgres.password(),
                // A delivery fails after 1 s without a connection instead of 5 s: the outage tests run quicker.
                "spring.datasource.hikari.connection-timeout", "1000"));
        settings.putAll(Map.of("bridge.delivery.retries", "2", "bridge.delivery.retry-delay-ms", "50",
                "bridge.delivery.retry-max-delay-ms", "200", "bridge.delivery.broker-redelivery-delay", "200ms",
                "bridge.delivery.broker-redelivery-max-delay", "1s"));
        return settings;
    }

    private static void post(RunningBridge bridge, String id, byte[] body) throws Exception {
        assertThat(SendSample.post(bridge.webhookUrl(), SECRET, id, Instant.now().getEpochSecond(), body).statusCode())
                .isEqualTo(202);
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String newWebhookId() {
        return "msg_" + UUID.randomUUID().toString().replace("-", "");
    }
}
