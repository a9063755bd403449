package io.dodoloops.bridge.admin;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;

import io.dodoloops.bridge.BridgeTest;

import static org.assertj.core.api.Assertions.assertThat;

/** A dry run needs the real transform route: while it is not running the answer is "not ready", not a verdict. */
class DryRunNotReadyTest extends BridgeTest {

    @Autowired
    CamelContext camel;
    @LocalManagementPort
    int managementPort;

    @Test
    void aDryRunWhileTheTransformRouteIsStoppedIs503NotReady() throws Exception {
        camel.getRouteController().stopRoute("transform");
        HttpResponse<String> answer;
        try {
            answer = dryRun();
        } finally {
            camel.getRouteController().startRoute("transform");
        }

        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.body()).isEqualTo("{\"error\":\"not ready: the routes have not started\"}");
        assertThat(dryRun().statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> dryRun() throws Exception {
        return ManagementHttp.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/admin/dry-run"))
                .header("Content-Type", "application/json").header("X-Bridge-Admin", "1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(sample("payment.succeeded"))).build(), HttpResponse.BodyHandlers.ofString());
    }
}
