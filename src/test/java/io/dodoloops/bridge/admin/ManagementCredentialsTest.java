package io.dodoloops.bridge.admin;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.dodoloops.bridge.RunningBridge;
import io.dodoloops.bridge.admin.ManagementHttp.Answer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A management port reachable from the network needs the admin user's credentials, or the bridge does not start. */
@ExtendWith(OutputCaptureExtension.class)
class ManagementCredentialsTest {

    private static final String USER = "operator";
    private static final String PASSWORD = "correct horse battery staple";

    @Test
    void aManagementAddressBeyondLoopbackWithoutCredentialsRefusesToStart(CapturedOutput output) {
        assertThatThrownBy(() -> start(Map.of("management.server.address", "0.0.0.0")).close())
                .rootCause().hasMessageContainingAll("0.0.0.0", "MANAGEMENT_ADDRESS", "BRIDGE_ADMIN_USER", "BRIDGE_ADMIN_PASSWORD");
        // Said as Spring Boot's short failure report, not buried in a stack trace.
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START", "Action:",
                "Set BRIDGE_ADMIN_USER and BRIDGE_ADMIN_PASSWORD (HTTP basic authentication on the management port), "
                        + "or MANAGEMENT_ADDRESS=127.0.0.1.");
    }

    @Test
    void aPasswordWithoutAUserRefusesToStartAndIsNotShown(CapturedOutput output) {
        assertThatThrownBy(() -> start(Map.of("bridge.admin.password", PASSWORD)).close())
                .rootCause().hasMessageContainingAll("BRIDGE_ADMIN_USER", "BRIDGE_ADMIN_PASSWORD")
                .message().doesNotContain(PASSWORD);
        assertThat(output.getAll()).doesNotContain(PASSWORD);
    }

    @Test
    void withCredentialsTheManagementPortNeedsThemAndProbesStillWork(CapturedOutput output) throws Exception {
        try (RunningBridge bridge = start(Map.of("management.server.address", "0.0.0.0",
                "bridge.admin.user", USER, "bridge.admin.password", PASSWORD))) {
            int port = bridge.managementUrl("/").getPort();
            // Reachable from the network: the Host is whatever name or pod IP the caller used.
            Map<String, String> none = Map.of("Host", "10.1.2.3:" + port);
            Map<String, String> wrong = Map.of("Host", "10.1.2.3:" + port, "Authorization", ManagementHttp.basic(USER, "guess"));
            Map<String, String> right = Map.of("Host", "bridge.internal:" + port, "Authorization", ManagementHttp.basic(USER, PASSWORD));

            Answer refused = ManagementHttp.raw(port, "GET", "/admin/dead-letters", none);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.headers().get("www-authenticate")).startsWith("Basic realm=");
            assertThat(refused.body()).contains("BRIDGE_ADMIN_USER").doesNotContain(PASSWORD);
            assertThat(ManagementHttp.raw(port, "GET", "/admin/dead-letters", wrong).status()).isEqualTo(401);
            assertThat(ManagementHttp.raw(port, "GET", "/actuator/health", none).status()).isEqualTo(401);
            assertThat(ManagementHttp.raw(port, "GET", "/actuator/prometheus", wrong).status()).isEqualTo(401);

            assertThat(ManagementHttp.raw(port, "GET", "/admin/dead-letters", right).status()).isEqualTo(200);
            assertThat(ManagementHttp.raw(port, "GET", "/actuator/prometheus", right).status()).isEqualTo(200);
            // Kubernetes probes: the pod IP as Host, and no secret in the pod spec.
            assertThat(ManagementHttp.raw(port, "GET", "/actuator/health/liveness", none).status()).isEqualTo(200);
            assertThat(ManagementHttp.raw(port, "GET", "/actuator/health/readiness", none).status()).isEqualTo(200);

            // Authenticated, a state change still needs the admin header; the CLI sends both.
            assertThat(ManagementHttp.raw(port, "POST", "/admin/dead-letters/replay", right).status()).isEqualTo(403);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BridgeCli cli = new BridgeCli("http://127.0.0.1:" + port, new PrintStream(out), BridgeCli.basicAuthorization(USER, PASSWORD));
            assertThat(cli.execute(List.of("dead-letters", "replay"), Map.of("all", "true"))).as("replay --all: %s", out).isZero();
            assertThat(new BridgeCli("http://127.0.0.1:" + port, new PrintStream(out), null)
                    .execute(List.of("dead-letters", "list"), Map.of())).isEqualTo(1);
        }
        assertThat(output.getAll()).doesNotContain(PASSWORD);
    }

    private static RunningBridge start(Map<String, Object> settings) throws Exception {
        Map<String, Object> all = new HashMap<>(settings);
        all.put("bridge.data-dir", Files.createTempDirectory("bridge-credentials").toString());
        return RunningBridge.start(all);
    }
}
