package io.dodoloops.bridge.queue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.RunningBridge;
import io.dodoloops.bridge.signature.WebhookSecrets;
import io.dodoloops.bridge.tryit.SendSample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With ARTEMIS_URL set the same routes run against a separate Artemis broker, reached over TCP. */
public class ExternalBrokerTest {

    @Test
    void webhooksGoThroughTheExternalBrokerAndAreDeduplicatedThere() throws Exception {
        int brokerPort = freePort();
        EmbeddedActiveMQ broker = startBroker(brokerPort, Files.createTempDirectory("external-artemis"));
        String secret = WebhookSecrets.generate(new SecureRandom());
        try (LoopsStandIn loops = LoopsStandIn.start();
             RunningBridge bridge = RunningBridge.start(Map.of(
                     "ARTEMIS_URL", "tcp://127.0.0.1:" + brokerPort,
                     "bridge.data-dir", Files.createTempDirectory("bridge-external").toString(),
                     "bridge.webhook.secret", secret,
                     "bridge.loops.api-key", "test-loops-key",
                     "bridge.loops.base-url", loops.baseUrl()))) {
            String id = "msg_" + UUID.randomUUID();
            // The second is Dodo's retry: the broker refuses it at the commit, and the bridge says so.
            for (String status : new String[] {"accepted", "duplicate"}) {
                var response = SendSample.post(bridge.webhookUrl(), secret, id, Instant.now().getEpochSecond(),
                        SendSample.sample("payment.succeeded"));
                assertThat(response.statusCode()).isEqualTo(202);
                assertThat(response.body()).isEqualTo("{\"status\":\"" + status + "\",\"webhookId\":\"" + id + "\"}");
            }

            await().atMost(Duration.ofSeconds(20)).until(() -> loops.requestsFor(id).size() == 1);
            assertThat(broker.getActiveMQServer().locateQueue("dodo.webhooks").getMessagesAdded()).isEqualTo(1);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> loops.requestsFor(id).size() == 1);
        } finally {
            broker.stop();
        }
    }

    @Test
    void whenTheBrokerIsUnreachableDodoGets503AndWillRetry() throws Exception {
        int brokerPort = freePort();
        EmbeddedActiveMQ broker = startBroker(brokerPort, Files.createTempDirectory("external-artemis"));
        String secret = WebhookSecrets.generate(new SecureRandom());
        try (RunningBridge bridge = RunningBridge.start(Map.of(
                "ARTEMIS_URL", "tcp://127.0.0.1:" + brokerPort,
                "bridge.data-dir", Files.createTempDirectory("bridge-external").toString(),
                "bridge.webhook.secret", secret,
                "bridge.loops.api-key", "test-loops-key",
                "bridge.loops.base-url", "http://127.0.0.1:9/api"))) {
            broker.stop();

            var response = SendSample.post(bridge.webhookUrl(), secret, "msg_" + UUID.randomUUID(),
                    Instant.now().getEpochSecond(), SendSample.sample("payment.succeeded"));

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(response.body()).isEqualTo("{\"error\":\"the webhook could not be stored; retry later\"}");
        }
    }

    /** A broker configured the way docs/operating.md (External broker) tells operators to configure theirs. */
    public static EmbeddedActiveMQ startBroker(int port, Path dir) throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        config.setSecurityEnabled(false);
        config.setPersistenceEnabled(true);
        config.setJournalDirectory(dir.resolve("journal").toString());
        config.setBindingsDirectory(dir.resolve("bindings").toString());
        config.setLargeMessagesDirectory(dir.resolve("large").toString());
        config.setPagingDirectory(dir.resolve("paging").toString());
        config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        config.addAddressSetting("dodo.webhooks", new AddressSettings()
                .setRedeliveryDelay(200).setRedeliveryMultiplier(2).setMaxRedeliveryDelay(1000)
                .setDeadLetterAddress(org.apache.activemq.artemis.api.core.SimpleString.of("dodo.webhooks.DLQ")));
        config.setIDCacheSize(100_000);
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.start();
        return broker;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
