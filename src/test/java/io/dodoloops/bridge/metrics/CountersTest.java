package io.dodoloops.bridge.metrics;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

import io.dodoloops.bridge.BridgeTest;
import io.dodoloops.bridge.tryit.SendSample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every webhook outcome is counted, readable over JMX and scraped by Prometheus. */
class CountersTest extends BridgeTest {

    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalManagementPort
    int managementPort;

    @Test
    void eachOutcomeMovesItsCounterInJmx() throws Exception {
        Map<String, Long> before = counters();
        String sent = newWebhookId();
        String retried = newWebhookId();
        String deadLettered = newWebhookId();
        LOOPS.script("dodo-" + retried, 429);
        LOOPS.script("dodo-" + deadLettered, 400);

        deliverSample(sent, "payment.succeeded");
        awaitLoopsRequests(sent, 1);
        deliverSample(sent, "payment.succeeded");
        deliverSample(retried, "payment.succeeded");
        deliverSample(deadLettered, "payment.succeeded");
        deliverSample(newWebhookId(), "dispute.opened");
        SendSample.send(webhookUrl(), newWebhookId(), Long.toString(Instant.now().getEpochSecond()), "v1,AAAA", sample("payment.succeeded"));
        SendSample.send(webhookUrl(), newWebhookId(), "12", "v1,AAAA", sample("payment.succeeded"));
        deliver(newWebhookId(), "{}".getBytes());
        SendSample.send(webhookUrl(), newWebhookId(), "1", "v1,AAAA", new byte[1024 * 1024 + 1]);
        HTTP.send(HttpRequest.newBuilder(webhookUrl()).GET().build(), HttpResponse.BodyHandlers.discarding());
        awaitLoopsRequests(retried, 2);
        awaitDeadLetter(deadLettered);

        await().untilAsserted(() -> {
            Map<String, Long> after = counters();
            assertThat(delta(before, after)).containsAllEntriesOf(Map.ofEntries(
                    Map.entry("Received", 10L), Map.entry("Accepted", 4L), Map.entry("Duplicates", 1L),
                    Map.entry("RejectedSignature", 1L), Map.entry("RejectedTimestamp", 1L),
                    Map.entry("RejectedMalformed", 1L), Map.entry("RejectedTooLarge", 1L), Map.entry("RejectedMethod", 1L),
                    Map.entry("Delivered", 2L), Map.entry("Ignored", 1L), Map.entry("Retried", 1L),
                    Map.entry("DeadLettered", 1L)));
        });
        assertThat(((Map<?, ?>) JMX.getAttribute(counterName(), "IgnoredByEventType")).get("dispute.opened"))
                .isEqualTo(before.getOrDefault("dispute", 0L) + 1);
    }

    @Test
    void camelRoutesStepsAndBrokerQueuesAreInJmxUnderTheirYamlIds() throws Exception {
        ObjectName delivery = new ObjectName("org.apache.camel:context=dodo-loops-bridge,type=routes,name=\"delivery\"");
        assertThat(JMX.getAttribute(delivery, "State")).isEqualTo("Started");
        ObjectName verify = new ObjectName("org.apache.camel:context=dodo-loops-bridge,type=processors,name=\"verify-signature\"");
        ObjectName send = new ObjectName("org.apache.camel:context=dodo-loops-bridge,type=processors,name=\"send-to-loops-at-rate-limit\"");
        long verifiedBefore = (Long) JMX.getAttribute(verify, "ExchangesTotal");
        long sentBefore = (Long) JMX.getAttribute(send, "ExchangesTotal");

        String id = newWebhookId();
        deliverSample(id, "payment.succeeded");
        awaitLoopsRequests(id, 1);

        assertThat((Long) JMX.getAttribute(verify, "ExchangesTotal")).isGreaterThan(verifiedBefore);
        await().untilAsserted(() -> assertThat((Long) JMX.getAttribute(send, "ExchangesTotal")).isGreaterThan(sentBefore));
        ObjectName deadLetters = JMX.queryNames(new ObjectName("org.apache.activemq.artemis:queue=\"dodo.webhooks.DLQ\",*"), null)
                .iterator().next();
        long deadBefore = (Long) JMX.getAttribute(deadLetters, "MessageCount");
        String refused = newWebhookId();
        LOOPS.script("dodo-" + refused, 400);
        deliverSample(refused, "payment.succeeded");
        awaitDeadLetter(refused);
        assertThat((Long) JMX.getAttribute(deadLetters, "MessageCount")).isGreaterThan(deadBefore);
    }

    @Test
    void prometheusScrapesTheCountersLatencyAndLoopsResponseCodes() throws Exception {
        String id = newWebhookId();
        deliverSample(id, "payment.succeeded");
        awaitLoopsRequests(id, 1);

        await().untilAsserted(() -> assertThat(prometheus())
                .contains("bridge_webhooks_accepted_total")
                .containsPattern("bridge_webhooks_rejected_total\\{bridge_instance=\"[^\"]+\",reason=\"signature\"\\}")
                .contains("bridge_delivery_latency_seconds_count")
                .containsPattern("bridge_loops_responses_total\\{bridge_instance=\"[^\"]+\",status=\"200\"\\}"));
    }

    @Test
    void theManagementPortIsNotThePublicOne() throws Exception {
        assertThat(managementPort).isNotEqualTo(port);
        HttpResponse<Void> publicHealth = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(publicHealth.statusCode()).isEqualTo(404);
    }

    private String prometheus() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static ObjectName counterName() throws Exception {
        return new ObjectName("io.dodoloops.bridge:type=Counters");
    }

    private static Map<String, Long> counters() throws Exception {
        Map<String, Long> values = new java.util.TreeMap<>();
        for (String name : new String[] {"Received", "Accepted", "Duplicates", "RejectedSignature", "RejectedTimestamp",
                "RejectedMalformed", "RejectedTooLarge", "RejectedMethod", "Delivered", "Ignored", "Retried", "DeadLettered"}) {
            values.put(name, (Long) JMX.getAttribute(counterName(), name));
        }
        Object disputes = ((Map<?, ?>) JMX.getAttribute(counterName(), "IgnoredByEventType")).get("dispute.opened");
        values.put("dispute", disputes == null ? 0L : (Long) disputes);
        return values;
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> delta = new java.util.TreeMap<>();
        after.forEach((name, value) -> delta.put(name, value - before.get(name)));
        return delta;
    }
}
