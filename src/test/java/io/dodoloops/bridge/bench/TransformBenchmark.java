package io.dodoloops.bridge.bench;

import io.dodoloops.bridge.TestSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;

import io.dodoloops.bridge.loops.LoopsRequest;
import io.dodoloops.bridge.transform.DodoEvent;
import io.dodoloops.bridge.transform.JavaScriptTransforms;
import io.dodoloops.bridge.transform.TransformProperties;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One JavaScript transform call, for each shipped script on its sample event: through the bridge's
 * {@link JavaScriptTransforms} (one shared GraalJS engine, sandboxed contexts pooled and reused), and through Camel's
 * stock {@code js} language (camel-javascript), which builds a new context and engine for every evaluation. Camel's
 * side is measured generously: it skips the bridge's Java-side work (webhook JSON in, Loops request out, sandbox).
 * Run from the project root: {@code transforms/} and the samples are read relative to the working directory.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2) // the JS variants still speed up after 3 (Truffle interpreter warming)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class TransformBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The shipped script and the sample event it transforms. */
    private static final Map<String, String> SAMPLE_OF = Map.of("payment_confirmation.js", "payment.succeeded",
            "subscription_welcome.js", "subscription.active", "payment_failed.js", "payment.failed");
    /**
     * Stand-ins for the bridge's helper functions, in plain JavaScript, for Camel's language which has none
     * ({@code asTransactional} as it behaves with no transactional id set, as here).
     */
    private static final String HELPERS_IN_JS = """
            function formatAmount(a, c) { const d = ({JPY: 0, KRW: 0, KWD: 3, BHD: 3, OMR: 3})[c] ?? 2;
              return (a / Math.pow(10, d)).toFixed(d); }
            function formatDate(t) { return t ? new Date(t).toISOString().slice(0, 10) : ""; }
            function asTransactional(webhook, transactionalId) { return webhook; }
            """;

    @Param({"payment_confirmation.js", "subscription_welcome.js", "payment_failed.js"})
    public String script;

    private DodoEvent event;
    private CamelContext camel;
    private Expression camelJs;
    private Exchange camelExchange;
    private JavaScriptTransforms javascript;
    private String webhookJson;

    @Setup
    public void setUp() throws IOException {
        event = event(SAMPLE_OF.get(script));
        javascript = new JavaScriptTransforms(TestSettings.transforms(Map.of()), "https://app.loops.so/api");

        // The same {eventType, payload, url, method, env} the bridge hands to handler(webhook).
        ObjectNode webhook = JSON.createObjectNode();
        webhook.put("eventType", event.type());
        webhook.set("payload", event.envelope());
        webhook.put("url", "https://app.loops.so/api/v1/events/send");
        webhook.put("method", "POST");
        webhook.set("env", JSON.createObjectNode());
        webhookJson = JSON.writeValueAsString(webhook);
        String text = Files.readString(Path.of("transforms", script));
        // Camel's own js language on the same script: the body is the webhook JSON, the result a string (a JS
        // object would outlive the context Camel closes after each evaluation).
        camel = new DefaultCamelContext();
        camel.start();
        camelJs = camel.resolveLanguage("js").createExpression(HELPERS_IN_JS + text
                + "\nJSON.stringify(handler(JSON.parse(body)));\n");
        camelExchange = new DefaultExchange(camel);
        camelExchange.getMessage().setBody(webhookJson);

        // Fail the trial at once if a variant does not produce the Loops event.
        String expected = javascriptPooled().body().get("eventName").toString();
        check(expected, JSON.readTree(camelJsLanguage()).path("payload").path("eventName").asText());
    }

    @TearDown
    public void tearDown() throws Exception {
        javascript.close();
        camel.close();
    }

    @Benchmark
    public LoopsRequest javascriptPooled() {
        return javascript.transform(event, script);
    }

    @Benchmark
    public String camelJsLanguage() {
        return camelJs.evaluate(camelExchange, String.class);
    }

    private static DodoEvent event(String type) throws IOException {
        JsonNode envelope = JSON.readTree(Path.of("src/main/resources/samples/dodo", type + ".json").toFile());
        return new DodoEvent("msg_bench_" + type, envelope.path("type").asText(), envelope);
    }

    private static void check(String expected, String eventName) {
        if (!expected.equals(eventName)) {
            throw new IllegalStateException("unexpected transform result: eventName " + eventName + ", not " + expected);
        }
    }
}
