package io.dodoloops.bridge.admin;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.RunningBridge;
import io.dodoloops.bridge.signature.WebhookSecrets;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code check} and {@code GET /admin/check} against bridges talking to a Loops stand-in over loopback HTTP. */
class PreflightTest {

    private static final String KEY = "preflight-test-key";

    record Run(int exit, String output) {
        List<String> lines() {
            return output.lines().toList();
        }
    }

    @Test
    void aGoodKeyPassesEveryItemAndABadKeyFailsTheKeyLine() throws Exception {
        try (LoopsStandIn loops = LoopsStandIn.start()) {
            loops.apiKeys(KEY);
            loops.teamName("Acme");
            try (RunningBridge bridge = RunningBridge.start(properties(loops, KEY, Map.of()))) {
                Run good = check(bridge, "good-key");

                assertThat(good.exit()).as(good.output()).isZero();
                assertThat(good.lines()).contains("✓ Loops API key is valid (team Acme)",
                        "✓ LOOPS_RATE_LIMIT 10/s is within Loops' limit of 10/s",
                        "✓ transform payment_confirmation.js loads",
                        "✓ payment.succeeded → payment_confirmation for t***@acme.com",
                        "✓ subscription.renewed → subscription_renewed for t***@acme.com",
                        "✓ refund.succeeded → refund_confirmation for j***@example.com",
                        "– no transactional emails configured: every email is a Loops event (LOOPS_TRANSACTIONAL_<EVENTNAME>=<transactionalId> "
                                + "sends one as a transactional email)",
                        "– Loops has no API to tell whether a loop listens to event payment_confirmation; check it in the Loops dashboard",
                        "check: passed");
                assertThat(good.lines().subList(0, good.lines().size() - 1)).allMatch(line -> line.startsWith("✓ ") || line.startsWith("– "));
                assertThat(good.output()).doesNotContain(KEY).doesNotContain("test@acme.com");
                // The key went to Loops' read-only endpoint, as a bearer token, and nothing was sent.
                assertThat(loops.reads()).extracting(LoopsStandIn.Request::path).containsExactly("/api/v1/api-key");
                assertThat(loops.reads().get(0).header("Authorization")).isEqualTo("Bearer " + KEY);
                assertThat(loops.requests()).isEmpty();

                JsonNode json = new ObjectMapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        bridge.managementUrl("/admin/check")).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
                assertThat(json.get("ok").asBoolean()).isTrue();
                assertThat(json.at("/checks/0").fieldNames()).toIterable().containsExactly("item", "status", "message", "hint");
                assertThat(json.get("checks").findValuesAsText("status")).allMatch(s -> s.equals("pass") || s.equals("info"));

                loops.apiKeys("another-key"); // the bridge's key is revoked
                Run bad = check(bridge, "bad-key");

                assertThat(bad.exit()).isEqualTo(1);
                assertThat(bad.lines()).anyMatch(line -> line.startsWith("✗ the Loops API key is not valid or not active"));
                assertThat(bad.output()).doesNotContain(KEY);

                loops.refuseConnections(); // Loops unreachable
                Run unreachable = check(bridge, "loops-unreachable");

                assertThat(unreachable.exit()).isEqualTo(1);
                assertThat(unreachable.lines()).anyMatch(line -> line.startsWith("✗ cannot reach Loops at " + loops.baseUrl() + ": ")
                        && line.endsWith("→ check LOOPS_BASE_URL and this machine's network access to it"));
            }
        }
    }

    @Test
    void aRateLimitAboveLoopsIsAWarningAndABrokenTransformFailsByName() throws Exception {
        Path transforms = Files.createTempDirectory("preflight-transforms");
        try (Stream<Path> shipped = Files.list(Path.of("transforms"))) {
            for (Path file : shipped.toList()) {
                Files.copy(file, transforms.resolve(file.getFileName()));
            }
        }
        Files.writeString(transforms.resolve("payment_failed.js"), "function handler(webhook) {\n  return webhook.;\n}\n");
        try (LoopsStandIn loops = LoopsStandIn.start()) {
            loops.apiKeys(KEY);
            loops.transactionalEmails(List.of(Map.of("id", "tx_welcome", "name", "Welcome", "lastUpdated", "2026-11-01T00:00:00.000Z",
                    "dataVariables", List.of("customer_name", "subscription_id", "product_id", "amount", "frequency", "plan_name"))));
            try (RunningBridge bridge = RunningBridge.start(properties(loops, KEY, Map.of(
                    "bridge.loops.rate-limit", "20", "bridge.transforms.directory", transforms.toString(),
                    // the Java transform's properties (SubscriptionWelcomeTransform) against an email that differs
                    "LOOPS_TRANSACTIONAL_SUBSCRIPTION_WELCOME", "tx_welcome",
                    "LOOPS_TRANSACTIONAL_TRIAL_ENDING", "tx_trial")))) {
                Run run = check(bridge, "rate-limit-and-broken-transform");

                assertThat(run.exit()).isEqualTo(1);
                assertThat(run.lines()).contains("! LOOPS_RATE_LIMIT is 20/s but Loops allows 10/s (x-ratelimit-limit): expect 429s "
                        + "and retries  → set LOOPS_RATE_LIMIT=10 or lower");
                assertThat(run.lines()).anyMatch(line -> line.startsWith("✗ transform payment_failed.js: "));
                assertThat(run.lines()).anyMatch(line -> line.startsWith("✗ payment.failed: dead-letter: ") && line.contains("payment_failed.js"));
                assertThat(run.lines()).contains("✓ payment.succeeded → payment_confirmation for t***@acme.com");
                assertThat(run.lines()).contains("✗ transactional email Welcome (tx_welcome, LOOPS_TRANSACTIONAL_SUBSCRIPTION_WELCOME): "
                        + "missing plan_name (declared by the email, not sent); extra next_billing (sent, not declared by the email)  → make "
                        + "the transform and the email's data variables agree");
                assertThat(run.lines()).contains("! subscription.active is sent as transactional email tx_welcome, which does not update "
                        + "the contact: subscriptionStatus, subscriptionProductId and subscriptionNextBilling stay as they were  → unset "
                        + "LOOPS_TRANSACTIONAL_SUBSCRIPTION_WELCOME if segments or loops use these contact properties");
                assertThat(run.lines()).anyMatch(line -> line.startsWith("✗ LOOPS_TRANSACTIONAL_TRIAL_ENDING is set, but no transform "
                        + "reads it  → name it after an event the transforms send: LOOPS_TRANSACTIONAL_PAYMENT_CONFIRMATION, "));
                assertThat(loops.reads()).extracting(LoopsStandIn.Request::path).containsExactly("/api/v1/api-key", "/api/v1/transactional");
                assertThat(run.lines()).as("one line per item").allMatch(line -> line.matches("[✓✗!–] .*|check: .*"));
            }
        }
    }

    @Test
    void aTransactionalReceiptIsComparedWithTheEmailLoopsHasAndAnUnknownIdFails() throws Exception {
        try (LoopsStandIn loops = LoopsStandIn.start()) {
            loops.apiKeys(KEY);
            loops.transactionalEmails(List.of(Map.of("id", "cm_receipt", "name", "Receipt", "lastUpdated", "2026-11-01T00:00:00.000Z",
                    "dataVariables", List.of("customer_name", "payment_id", "amount", "currency", "payment_method", "payment_date"))));
            try (RunningBridge bridge = RunningBridge.start(properties(loops, KEY, Map.of(
                    "LOOPS_TRANSACTIONAL_PAYMENT_CONFIRMATION", "cm_receipt",
                    "LOOPS_TRANSACTIONAL_REFUND_CONFIRMATION", "cm_gone",
                    "LOOPS_TRANSACTIONAL_SUBSCRIPTION_REACTIVATED", "cm_back")))) {
                Run run = check(bridge, "transactional");

                assertThat(run.exit()).isEqualTo(1);
                assertThat(run.lines()).contains("✓ payment.succeeded → transactional cm_receipt for t***@acme.com");
                assertThat(run.lines()).contains("✓ transactional email Receipt (cm_receipt, LOOPS_TRANSACTIONAL_PAYMENT_CONFIRMATION) "
                        + "declares exactly the data variables the transform sends");
                assertThat(run.lines()).contains("✗ no transactional email with id cm_gone in Loops (LOOPS_TRANSACTIONAL_REFUND_CONFIRMATION)"
                        + "  → copy the id of a published email from the Loops dashboard");
                // No sample is a second activation, but subscription_reactivated.js reads the variable.
                assertThat(run.lines()).contains("! LOOPS_TRANSACTIONAL_SUBSCRIPTION_REACTIVATED=cm_back: no sample's dry run sends it, "
                        + "so the email and its data variables were not compared");
                assertThat(run.lines()).contains("✓ payment.failed → payment_failed for t***@acme.com");
            }
        }
    }

    @Test
    void localModeFailsTheKeyLineAndSaysSo() throws Exception {
        try (LoopsStandIn loops = LoopsStandIn.start()) {
            Map<String, Object> properties = properties(loops, "", Map.of());
            properties.remove("bridge.webhook.secret");
            try (RunningBridge bridge = RunningBridge.start(properties)) {
                Run run = check(bridge, "local-mode");

                assertThat(run.exit()).isEqualTo(1);
                assertThat(run.lines()).contains("✗ no Loops API key is configured (LOOPS_API_KEY is not set)  → local mode: set LOOPS_API_KEY to send");
                assertThat(run.lines()).anyMatch(line -> line.startsWith("– local mode: nothing is sent to Loops"));
                assertThat(run.lines()).anyMatch(line -> line.startsWith("! DODO_WEBHOOK_SECRET is not set: webhooks are verified with the development secret in ")
                        && line.contains("dev-webhook-secret"));
                assertThat(run.lines()).contains("✓ payment.succeeded → payment_confirmation for t***@acme.com");
                assertThat(loops.reads()).isEmpty();
            }
        }
    }

    @Test
    void withoutABridgeTheCheckExits2() throws Exception {
        int unused;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            unused = socket.getLocalPort();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = new BridgeCli("http://127.0.0.1:" + unused, new PrintStream(out, true, StandardCharsets.UTF_8), null)
                .execute(List.of("check"), Map.of());
        assertThat(exit).isEqualTo(2);
    }

    private static Map<String, Object> properties(LoopsStandIn loops, String key, Map<String, Object> more) throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("bridge.data-dir", Files.createTempDirectory("preflight").toString());
        properties.put("bridge.webhook.secret", WebhookSecrets.generate(new SecureRandom()));
        properties.put("bridge.loops.base-url", loops.baseUrl());
        properties.put("bridge.loops.api-key", key);
        properties.putAll(more);
        return properties;
    }

    private static Run check(RunningBridge bridge, String name) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String url = bridge.managementUrl("").toString();
        int exit = new BridgeCli(url, new PrintStream(out, true, StandardCharsets.UTF_8), null).execute(List.of("check"), Map.of());
        String output = out.toString(StandardCharsets.UTF_8);
        // Kept for the example output in docs/operating.md (Preflight: check).
        Files.writeString(Path.of("target", "check-" + name + ".txt"), output + "exit " + exit + "\n");
        return new Run(exit, output);
    }
}
