package io.dodoloops.bridge.delivery;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.queue.ExternalBrokerTest;
import io.dodoloops.bridge.reliability.BridgeProcess;
import io.dodoloops.bridge.signature.WebhookSecrets;
import io.dodoloops.bridge.tryit.SendSample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two bridges on one broker and one BRIDGE_CLUSTER_DIR: both accept webhooks, exactly one sends them to Loops (the
 * leader of master:bridge-sender), and after a kill -9 of that one the other takes over within seconds.
 */
class OneSenderTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void oneInstanceSendsForBothAndTheOtherTakesOverAfterAKill9() throws Exception {
        int brokerPort = BridgeProcess.freePort();
        EmbeddedActiveMQ broker = ExternalBrokerTest.startBroker(brokerPort, Files.createTempDirectory("one-sender-broker"));
        String secret = WebhookSecrets.generate(new SecureRandom());
        Path clusterDir = Files.createTempDirectory("one-sender-cluster");
        try (LoopsStandIn loops = LoopsStandIn.start();
             BridgeProcess a = start("a", brokerPort, clusterDir, secret, loops);
             BridgeProcess b = start("b", brokerPort, clusterDir, secret, loops)) {
            a.awaitReady();
            b.awaitReady();
            await().atMost(Duration.ofSeconds(30)).until(() -> isSender(a) || isSender(b));
            BridgeProcess sender = isSender(a) ? a : b;
            BridgeProcess follower = sender == a ? b : a;
            assertThat(isSender(follower)).as("only one sender").isFalse();
            assertThat(follower.manage("/actuator/health/readiness")).as("a follower accepts webhooks").contains("\"UP\"");
            assertThat(health(follower).path("instance").asText()).isIn("a", "b").isNotEqualTo(health(sender).path("instance").asText());

            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add(post(i % 2 == 0 ? a : b, secret));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> ids.stream().allMatch(id -> loops.requestsFor(id).size() == 1));
            assertThat(follower.log()).as("the follower consumed nothing").doesNotContain("sent to Loops");

            sender.kill();
            long killed = System.nanoTime();
            String afterKill = post(follower, secret);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> isSender(follower));
            long takeOverMillis = (System.nanoTime() - killed) / 1_000_000;
            await().atMost(Duration.ofSeconds(20)).until(() -> loops.requestsFor(afterKill).size() == 1);
            System.out.printf("sender failover after kill -9: %d ms until the other instance was the sender%n", takeOverMillis);
            assertThat(takeOverMillis).as("failover in seconds, not the lock service's default minute").isLessThan(15_000);
        } finally {
            broker.stop();
        }
    }

    private static BridgeProcess start(String name, int brokerPort, Path clusterDir, String secret, LoopsStandIn loops)
            throws Exception {
        Path data = Files.createTempDirectory("one-sender-" + name);
        return BridgeProcess.start(data, Map.of(
                "ARTEMIS_URL", "tcp://127.0.0.1:" + brokerPort,
                "BRIDGE_CLUSTER_DIR", clusterDir.toString(),
                "BRIDGE_INSTANCE", name,
                "bridge.webhook.secret", secret,
                "bridge.loops.api-key", "test-loops-key",
                "bridge.loops.base-url", loops.baseUrl()));
    }

    private static String post(BridgeProcess bridge, String secret) throws Exception {
        String id = "msg_" + UUID.randomUUID();
        assertThat(SendSample.post(bridge.webhookUrl(), secret, id, Instant.now().getEpochSecond(),
                SendSample.sample("payment.succeeded")).statusCode()).isEqualTo(202);
        return id;
    }

    private static boolean isSender(BridgeProcess bridge) {
        try {
            return health(bridge).path("sender").asBoolean(false);
        } catch (RuntimeException | AssertionError notAnswering) {
            return false;
        }
    }

    private static JsonNode health(BridgeProcess bridge) {
        try {
            return JSON.readTree(bridge.manage("/actuator/health/sender")).path("details");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
