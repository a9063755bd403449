package io.dodoloops.bridge.admin;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.RunningBridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Readiness means "the routes are running and the broker is reachable": a load balancer sends webhooks only then. */
class ReadinessTest {

    @Test
    void theBridgeIsReadyOnlyWhileItsRoutesRun() throws Exception {
        try (RunningBridge bridge = RunningBridge.start(Map.of(
                "bridge.data-dir", Files.createTempDirectory("bridge-readiness").toString()))) {
            assertThat(readiness(bridge)).isEqualTo(200);
            assertThat(status(bridge, "/actuator/health/liveness")).isEqualTo(200);

            CamelContext camel = bridge.bean(CamelContext.class);
            camel.getRouteController().stopRoute("ingress");
            await().atMost(Duration.ofSeconds(10)).until(() -> readiness(bridge) == 503);
            assertThat(status(bridge, "/actuator/health/liveness")).isEqualTo(200);

            camel.getRouteController().startRoute("ingress");
            await().atMost(Duration.ofSeconds(10)).until(() -> readiness(bridge) == 200);
        }
    }

    private static int readiness(RunningBridge bridge) throws Exception {
        return status(bridge, "/actuator/health/readiness");
    }

    private static int status(RunningBridge bridge, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(bridge.managementUrl(path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
