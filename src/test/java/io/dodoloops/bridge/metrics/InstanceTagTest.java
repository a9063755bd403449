package io.dodoloops.bridge.metrics;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

import io.dodoloops.bridge.BridgeTest;
import io.dodoloops.bridge.RunningBridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Several bridges scraped by one Prometheus are told apart by the tag bridge_instance on every series. */
class InstanceTagTest extends BridgeTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    @LocalManagementPort
    int managementPort;

    @Test
    void withoutBridgeInstanceEverySeriesIsTaggedWithTheHostName() throws Exception {
        String host = io.dodoloops.bridge.InstanceName.hostName();
        String id = newWebhookId();
        deliverSample(id, "payment.succeeded");
        awaitLoopsRequests(id, 1);

        List<String> samples = samples(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"));
        assertThat(samples).anyMatch(line -> line.startsWith("bridge_webhooks_accepted_total{"))
                .anyMatch(line -> line.startsWith("jvm_memory_used_bytes{"))
                .allMatch(line -> line.contains("bridge_instance=\"" + host + "\""), "tagged bridge_instance=\"" + host + "\"");
    }

    @Test
    void theJmxCountersAreUnchanged() throws Exception {
        ObjectName counters = new ObjectName("io.dodoloops.bridge:type=Counters");
        long before = (Long) JMX.getAttribute(counters, "Accepted");
        deliverSample(newWebhookId(), "payment.succeeded");
        await().until(() -> (Long) JMX.getAttribute(counters, "Accepted") == before + 1);
    }

    @Test
    void bridgeInstanceNamesTheSeries() throws Exception {
        try (RunningBridge bridge = RunningBridge.start(Map.of(
                     "bridge.data-dir", Files.createTempDirectory("bridge-instance").toString(),
                     "BRIDGE_INSTANCE", "bridge-b"))) {
            List<String> samples = samples(bridge.managementUrl("/actuator/prometheus"));
            assertThat(samples).anyMatch(line -> line.startsWith("bridge_webhooks_received_total{"))
                    .allMatch(line -> line.contains("bridge_instance=\"bridge-b\""), "tagged bridge_instance=\"bridge-b\"")
                    // Prometheus would rename it exported_instance: the tag must not be called instance.
                    .noneMatch(line -> line.matches(".*[{,]instance=.*"));
            assertThat(bridge.bean(BridgeInstance.class).name()).isEqualTo("bridge-b");
        }
    }

    /** The sample lines (not the # HELP / # TYPE comments) of a Prometheus scrape. */
    private static List<String> samples(URI prometheus) throws Exception {
        HttpResponse<String> scrape = HTTP.send(HttpRequest.newBuilder(prometheus).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        return scrape.body().lines().filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
    }
}
