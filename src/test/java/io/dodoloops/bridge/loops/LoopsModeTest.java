package io.dodoloops.bridge.loops;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import javax.management.ObjectName;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;

import io.dodoloops.bridge.BridgeTest;

import static org.assertj.core.api.Assertions.assertThat;

/** With a key the bridge says it sends to Loops, and where, in health, metrics and JMX; never the key itself. */
class LoopsModeTest extends BridgeTest {

    @LocalManagementPort
    int managementPort;

    @Test
    void healthShowsTheLoopsModeAndBaseUrlButNotTheKey() throws Exception {
        String health = get("/actuator/health");
        JsonNode loops = new ObjectMapper().readTree(health).at("/components/loops");

        assertThat(loops.get("status").asText()).isEqualTo("UP");
        assertThat(loops.at("/details/mode").asText()).isEqualTo("loops");
        assertThat(loops.at("/details/baseUrl").asText()).isEqualTo(LOOPS.baseUrl());
        assertThat(health).doesNotContain("test-loops-key");
    }

    @Test
    void theLocalModeGaugeAndJmxAttributeSayNotLocal() throws Exception {
        assertThat(get("/actuator/prometheus")).containsPattern("bridge_loops_local_mode\\{bridge_instance=\"[^\"]+\"\\} 0.0")
                .contains("bridge_webhooks_conflicts_first_attempt_total");
        ObjectName loopsMode = new ObjectName("io.dodoloops.bridge:type=LoopsMode");
        assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(loopsMode, "Local")).isEqualTo(false);
        assertThat(ManagementFactory.getPlatformMBeanServer().getAttribute(loopsMode, "Mode")).isEqualTo("loops");
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
