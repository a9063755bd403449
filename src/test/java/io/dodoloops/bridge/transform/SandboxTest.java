package io.dodoloops.bridge.transform;

import io.dodoloops.bridge.TestSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.dodoloops.bridge.loops.InvalidLoopsRequestException;
import io.dodoloops.bridge.loops.LoopsRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a transform script can and cannot do, and how its failures read in the dead-letter reason. */
class SandboxTest {

    private static final long STATEMENT_LIMIT = 100_000;

    /** Sends a fixed Loops event, after running {@code body} as the first statements of handler. */
    private static String handlerThat(String body) {
        return """
                function handler(webhook) {
                  %s
                  webhook.payload = { eventName: "probe", email: "probe@example.com", eventProperties: { ok: true } };
                  return webhook;
                }
                """.formatted(body);
    }

    @TempDir
    Path dir;
    private JavaScriptTransforms transforms;
    private final DodoEvent event = Samples.event("payment.succeeded");

    @BeforeEach
    void start() {
        transforms = new JavaScriptTransforms(TestSettings.transforms(Map.of("bridge.transforms.directory", dir.toString(), "bridge.transforms.statement-limit", STATEMENT_LIMIT, "bridge.transforms.env.GREETING", "hi")),
                "http://127.0.0.1:8089/api");
    }

    @AfterEach
    void stop() {
        transforms.close();
    }

    @Test
    void scriptsCannotReachJavaClasses() throws IOException {
        write("java.js", handlerThat("Java.type('java.lang.System').exit(1);"));

        assertThatThrownBy(() -> transforms.transform(event, "java.js"))
                .isInstanceOf(TransformException.class)
                .hasMessageStartingWith("transform java.js threw at line 2: ");
    }

    @Test
    void scriptsCannotLoadModulesOrFiles() throws IOException {
        write("require.js", handlerThat("require('fs');"));
        write("load.js", handlerThat("load('/etc/passwd');"));
        write("read.js", handlerThat("read('/etc/passwd');"));

        assertThatThrownBy(() -> transforms.transform(event, "require.js")).hasMessageContaining("require is not defined");
        assertThatThrownBy(() -> transforms.transform(event, "load.js")).isInstanceOf(TransformException.class);
        assertThatThrownBy(() -> transforms.transform(event, "read.js")).isInstanceOf(TransformException.class);
    }

    @Test
    void scriptsCannotUseOtherLanguagesOrStartThreads() throws IOException {
        write("polyglot.js", handlerThat("Polyglot.eval('js', '1');"));
        write("thread.js", handlerThat("new java.lang.Thread(function () {}).start();"));

        assertThatThrownBy(() -> transforms.transform(event, "polyglot.js")).isInstanceOf(TransformException.class);
        assertThatThrownBy(() -> transforms.transform(event, "thread.js")).isInstanceOf(TransformException.class);
    }

    @Test
    void anEndlessLoopIsStoppedAndTheScriptStillServesTheNextEvent() throws IOException {
        write("loop.js", """
                function handler(webhook) {
                  if (webhook.payload.data.total_amount === 0) {
                    while (true) {}
                  }
                  webhook.payload = { eventName: "probe", email: "probe@example.com" };
                  return webhook;
                }
                """);
        DodoEvent endless = Samples.event("payment.succeeded");
        ((com.fasterxml.jackson.databind.node.ObjectNode) endless.data()).put("total_amount", 0);

        assertThat(transforms.transform(event, "loop.js")).isNotNull(); // a context is warm before the loop kills it
        assertThatThrownBy(() -> transforms.transform(endless, "loop.js"))
                .isInstanceOf(TransformException.class)
                .hasMessage("transform loop.js exceeded 100000 statements (bridge.transforms.statement-limit); infinite loop?");
        assertThat(transforms.transform(event, "loop.js").body()).containsEntry("eventName", "probe");
    }

    @Test
    void theDefaultLimitStopsAnEndlessLoop() throws IOException {
        write("forever.js", "function handler(webhook) { while (true) {} }");
        try (JavaScriptTransforms defaults = new JavaScriptTransforms(
                TestSettings.transforms(Map.of("bridge.transforms.directory", dir.toString())),
                "https://app.loops.so/api")) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> defaults.transform(event, "forever.js"))
                    .isInstanceOf(TransformException.class)
                    .hasMessage("transform forever.js exceeded 1000000 statements (bridge.transforms.statement-limit); infinite loop?");
            System.out.printf("while (true) {} stopped after %d ms%n", (System.nanoTime() - start) / 1_000_000);
        }
    }

    @Test
    @Timeout(30) // without a time limit the backtracking below would run for hours
    void aRegexThatBacktracksForeverIsStoppedByTheTimeLimitAndTheScriptStillServesTheNextEvent() throws IOException {
        // A handful of statements: only the clock can stop it. (The backreference keeps GraalJS's regex engine
        // from using an automaton, which would not backtrack.)
        write("regex.js", """
                function handler(webhook) {
                  if (webhook.payload.data.total_amount === 0) {
                    /^(a+)+(?=b)\\1c$/.test("a".repeat(40) + "b");
                  }
                  webhook.payload = { eventName: "probe", email: "probe@example.com" };
                  return webhook;
                }
                """);
        DodoEvent backtracking = Samples.event("payment.succeeded");
        ((com.fasterxml.jackson.databind.node.ObjectNode) backtracking.data()).put("total_amount", 0);
        assertThat(transforms.transform(event, "regex.js")).isNotNull();

        long start = System.nanoTime();
        assertThatThrownBy(() -> transforms.transform(backtracking, "regex.js"))
                .isInstanceOf(TransformException.class)
                .hasMessage("transform regex.js ran longer than 2s (bridge.transforms.time-limit)");
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(2_000L, 5_000L);
        assertThat(transforms.transform(event, "regex.js").body()).containsEntry("eventName", "probe");
    }

    @Test
    void aStringOrBufferTooLargeToAllocateRunsOutOfMemory() throws IOException {
        write("string.js", handlerThat("const s = 'x'.repeat(2 ** 31);"));
        write("buffer.js", handlerThat("const b = new ArrayBuffer(2 ** 33);"));

        assertThatThrownBy(() -> transforms.transform(event, "string.js"))
                .isInstanceOf(TransformException.class)
                .hasMessage("transform string.js ran out of memory at line 2 (RangeError: Invalid string length)");
        assertThatThrownBy(() -> transforms.transform(event, "buffer.js"))
                .isInstanceOf(TransformException.class)
                .hasMessage("transform buffer.js ran out of memory at line 2 (RangeError: Array buffer allocation failed)");
    }

    @Test
    void theStatementCountStartsAfreshForEveryEvent() throws IOException {
        // ~30,000 statements per call: three calls would exceed the limit if the count carried over.
        write("busy.js", handlerThat("let n = 0; for (let i = 0; i < 10000; i++) { n += i; }"));

        for (int i = 0; i < 5; i++) {
            assertThat(transforms.transform(event, "busy.js")).isNotNull();
        }
    }

    @Test
    void aThrowingScriptGivesItsMessageAndLine() throws IOException {
        write("throws.js", """
                function handler(webhook) {
                  const data = webhook.payload.data;

                  throw new Error("no template for " + data.status);
                }
                """);

        assertThatThrownBy(() -> transforms.transform(event, "throws.js"))
                .isInstanceOf(TransformException.class)
                .hasMessage("transform throws.js threw at line 4: Error: no template for succeeded");
    }

    @Test
    void aTypeErrorNamesItsLine() throws IOException {
        write("typo.js", handlerThat("const e = webhook.payload.data.custmer.email;"));

        assertThatThrownBy(() -> transforms.transform(event, "typo.js"))
                .isInstanceOf(TransformException.class)
                .hasMessageStartingWith("transform typo.js threw at line 2: TypeError: ");
    }

    @Test
    void aSyntaxErrorNamesItsLine() throws IOException {
        write("syntax.js", "function handler(webhook) {\n  return webhook\n}}\n");

        assertThatThrownBy(() -> transforms.transform(event, "syntax.js"))
                .isInstanceOf(TransformException.class)
                .hasMessageStartingWith("transform syntax.js has a syntax error at line 3: ");
    }

    @Test
    void aMissingScriptOrHandlerIsReported() throws IOException {
        write("nohandler.js", "function transform(webhook) { return webhook; }");

        assertThatThrownBy(() -> transforms.transform(event, "missing.js"))
                .isInstanceOf(TransformException.class)
                .hasMessageStartingWith("transform script missing.js not found in ");
        assertThatThrownBy(() -> transforms.transform(event, "nohandler.js"))
                .isInstanceOf(TransformException.class)
                .hasMessage("transform nohandler.js defines no function handler(webhook)");
    }

    @Test
    void scriptNamesCannotLeaveTheTransformsDirectory() {
        assertThatThrownBy(() -> transforms.transform(event, "../secret.js"))
                .isInstanceOf(TransformException.class)
                .hasMessageContaining("must be a plain file name");
    }

    @Test
    void aNonLoopsUrlIsRefused() throws IOException {
        write("elsewhere.js", handlerThat("webhook.url = 'https://collector.example.com/v1/events/send';"));

        assertThatThrownBy(() -> transforms.transform(event, "elsewhere.js"))
                .isInstanceOf(TransformException.class)
                .hasMessage("transform elsewhere.js set url to host collector.example.com; this bridge only sends to"
                        + " Loops (it attaches the Loops API key), use http://127.0.0.1:8089/api/v1/events/send");
    }

    @Test
    void propertiesAreMergedIntoEventPropertiesWithoutOverwriting() throws IOException {
        write("both.js", """
                function handler(webhook) {
                  webhook.payload = { eventName: "probe", email: "p@example.com",
                    eventProperties: { amount: "4.00" }, properties: { amount: "400", plan: "pro" } };
                  return webhook;
                }
                """);

        assertThat(transforms.transform(event, "both.js").body())
                .doesNotContainKey("properties")
                .containsEntry("eventProperties", Map.of("amount", "4.00", "plan", "pro"));
    }

    @Test
    void onlyPostIsSent() throws IOException {
        write("get.js", handlerThat("webhook.method = 'GET';"));

        assertThatThrownBy(() -> transforms.transform(event, "get.js"))
                .isInstanceOf(TransformException.class)
                .hasMessage("transform get.js set method to GET; Loops endpoints take POST");
    }

    @Test
    void cancelSendsNothing() throws IOException {
        write("cancel.js", "function handler(webhook) { webhook.cancel = true; return webhook; }");

        assertThat(transforms.transform(event, "cancel.js")).isNull();
    }

    @Test
    void aHandlerThatReturnsNothingHasChangedTheWebhookInPlace() throws IOException {
        write("inplace.js", "function handler(webhook) { webhook.payload = { eventName: 'probe', email: 'p@example.com' }; }");

        assertThat(transforms.transform(event, "inplace.js")).isEqualTo(LoopsRequest.event(Map.of("eventName", "probe", "email", "p@example.com")));
    }

    @Test
    void theHandlerMustReturnAnObject() throws IOException {
        write("string.js", "function handler(webhook) { return 'sent'; }");
        write("nopayload.js", "function handler(webhook) { webhook.payload = null; return webhook; }");

        assertThatThrownBy(() -> transforms.transform(event, "string.js"))
                .isInstanceOf(TransformException.class)
                .hasMessage("transform string.js: handler must return the webhook object, but returned a string");
        assertThatThrownBy(() -> transforms.transform(event, "nopayload.js"))
                .isInstanceOf(TransformException.class)
                .hasMessage("transform nopayload.js must set webhook.payload to the Loops request body object, but it is null");
    }

    @Test
    void aBodyLoopsWouldRejectNamesTheScript() throws IOException {
        write("noname.js", "function handler(webhook) { webhook.payload = { email: 'p@example.com' }; return webhook; }");

        assertThatThrownBy(() -> transforms.transform(event, "noname.js"))
                .isInstanceOf(InvalidLoopsRequestException.class)
                .hasMessage("transform noname.js: Loops event has no eventName");
    }

    @Test
    void scriptsSeeTheWebhookTheDashboardContractDescribes() throws IOException {
        write("echo.js", """
                function handler(webhook) {
                  webhook.payload = { eventName: "echo", email: "p@example.com", eventProperties: {
                    eventType: webhook.eventType, method: webhook.method, url: webhook.url,
                    business: webhook.payload.business_id, type: webhook.payload.type, greeting: webhook.env.GREETING } };
                  return webhook;
                }
                """);

        assertThat(transforms.transform(event, "echo.js").body().get("eventProperties")).isEqualTo(Map.of(
                "eventType", "payment.succeeded",
                "method", "POST",
                "url", "http://127.0.0.1:8089/api/v1/events/send",
                "business", "bus_P3SXLcppjXgagmHS",
                "type", "payment.succeeded",
                "greeting", "hi"));
    }

    @Test
    void helperFunctionsFormatAmountsAndDatesAndRejectNonsense() throws IOException {
        write("helpers.js", handlerThat("""
                if (formatAmount(1234, "KWD") !== "1.234" || formatAmount(-400) !== "-4.00") throw new Error("amount");
                  if (formatDate("2025-08-04T23:30:00-02:00") !== "2025-08-05" || formatDate(null) !== "") throw new Error("date");"""));
        write("badamount.js", handlerThat("formatAmount(4.5, 'USD');"));

        assertThat(transforms.transform(event, "helpers.js")).isNotNull();
        assertThatThrownBy(() -> transforms.transform(event, "badamount.js"))
                .isInstanceOf(TransformException.class)
                .hasMessage("transform badamount.js failed at line 2: formatAmount(amount, currency): amount must be an"
                        + " integer in the currency's smallest unit (e.g. cents), got 4.5");
    }

    @Test
    void scriptsDefiningTheSameHandlerNameDoNotCollide() throws IOException {
        write("a.js", "function handler(webhook) { webhook.payload = { eventName: 'a', email: 'p@example.com' }; return webhook; }");
        write("b.js", "function handler(webhook) { webhook.payload = { eventName: 'b', email: 'p@example.com' }; return webhook; }");

        for (int i = 0; i < 3; i++) {
            assertThat(transforms.transform(event, "a.js").body()).containsEntry("eventName", "a");
            assertThat(transforms.transform(event, "b.js").body()).containsEntry("eventName", "b");
        }
    }

    @Test
    void consoleOutputGoesToTheLog() throws IOException {
        write("console.js", handlerThat("console.log('looking at ' + webhook.eventType);"));

        try (LogCapture log = new LogCapture("io.dodoloops.bridge.transform.console")) {
            transforms.transform(event, "console.js");

            assertThat(log.messages()).contains("transform console.js: looking at payment.succeeded");
        }
    }

    @Test
    void consoleOutputIsMaskedLikeEveryOtherLogLine() throws IOException {
        write("tell.js", handlerThat("console.log('customer ' + webhook.payload.data.customer.email);"
                + " console.error('again: ' + webhook.payload.data.customer.email);"));

        try (LogCapture log = new LogCapture("io.dodoloops.bridge.transform.console")) {
            transforms.transform(event, "tell.js");

            assertThat(log.messages()).containsExactly("transform tell.js: customer t***@acme.com",
                    "transform tell.js: again: t***@acme.com");
        }
    }

    private Path write(String name, String script) throws IOException {
        return Files.writeString(dir.resolve(name), script);
    }
}
