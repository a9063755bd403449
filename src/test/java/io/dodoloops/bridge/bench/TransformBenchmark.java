package io.dodoloops.bridge.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dodoloops.bridge.loops.LoopsRequest;
import io.dodoloops.bridge.transform.Amounts;
import io.dodoloops.bridge.transform.DodoEvent;
import io.dodoloops.bridge.transform.IsoDates;
import io.dodoloops.bridge.transform.JavaScriptTransforms;
import io.dodoloops.bridge.transform.SubscriptionWelcomeTransform;
import io.dodoloops.bridge.transform.TransformProperties;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One transform call, as the delivery route makes it:
 * <ul>
 * <li>{@code javascriptPooled}: the bridge's {@link JavaScriptTransforms} (sandboxed GraalJS, a pooled context that
 *     has already evaluated the script), payment.succeeded with the shipped {@code transforms/payment_confirmation.js};</li>
 * <li>{@code javaBean}: {@link SubscriptionWelcomeTransform} on subscription.active;</li>
 * <li>{@code javascriptNewContextSharedEngine}: a fresh context per call on one shared engine (no pool);</li>
 * <li>{@code javascriptNewContextPerCall}: what camel-javascript's {@code js} language does per evaluation, a new
 *     context with its own engine, eval of the script, call, close.</li>
 * </ul>
 * The two unpooled variants skip the bridge's Java-side work (webhook JSON in, Loops request out, sandbox options),
 * so their comparison with {@code javascriptPooled} is, if anything, in their favour. Run from the project root:
 * {@code transforms/} and the samples are read relative to the working directory.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 5, time = 2) // the JS variants still speed up after 3 (Truffle interpreter warming)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class TransformBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "payment_confirmation.js";
    // The two helpers the bridge gives every script, without its argument checks.
    private static final ProxyExecutable FORMAT_AMOUNT = args -> Amounts.format(args[0].asLong(), args[1].asString());
    private static final ProxyExecutable FORMAT_DATE = args -> IsoDates.utcDate(args[0].asString());

    private DodoEvent paymentSucceeded;
    private DodoEvent subscriptionActive;
    private JavaScriptTransforms javascript;
    private SubscriptionWelcomeTransform java;
    private String webhookJson;
    private Source scriptThenCall;
    private Engine sharedEngine;

    @Setup
    public void setUp() throws IOException {
        paymentSucceeded = event("payment.succeeded");
        subscriptionActive = event("subscription.active");
        javascript = new JavaScriptTransforms(TransformProperties.defaults(), "https://app.loops.so/api");
        java = new SubscriptionWelcomeTransform();

        // The same {eventType, payload, url, method, env} the bridge hands to handler(webhook).
        ObjectNode webhook = JSON.createObjectNode();
        webhook.put("eventType", paymentSucceeded.type());
        webhook.set("payload", paymentSucceeded.envelope());
        webhook.put("url", "https://app.loops.so/api/v1/events/send");
        webhook.put("method", "POST");
        webhook.set("env", JSON.createObjectNode());
        webhookJson = JSON.writeValueAsString(webhook);
        String script = Files.readString(Path.of("transforms", SCRIPT));
        scriptThenCall = Source.create("js", script + "\nJSON.stringify(handler(JSON.parse(webhookJson)));\n");
        sharedEngine = Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build();

        // Fail the trial at once if a variant does not produce the Loops event.
        check(javascriptPooled().body().get("eventName"));
        check(java.transform(subscriptionActive).body().get("eventName"));
        check(JSON.readTree(javascriptNewContextPerCall()).path("payload").path("eventName").asText());
        check(JSON.readTree(javascriptNewContextSharedEngine()).path("payload").path("eventName").asText());
    }

    @TearDown
    public void tearDown() {
        javascript.close();
        sharedEngine.close();
    }

    @Benchmark
    public LoopsRequest javascriptPooled() {
        return javascript.transform(paymentSucceeded, SCRIPT);
    }

    @Benchmark
    public LoopsRequest javaBean() {
        return java.transform(subscriptionActive);
    }

    @Benchmark
    public String javascriptNewContextSharedEngine() {
        try (Context context = Context.newBuilder("js").engine(sharedEngine).build()) {
            return run(context);
        }
    }

    @Benchmark
    public String javascriptNewContextPerCall() {
        try (Context context = Context.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build()) {
            return run(context);
        }
    }

    private String run(Context context) {
        Value bindings = context.getBindings("js");
        bindings.putMember("formatAmount", FORMAT_AMOUNT);
        bindings.putMember("formatDate", FORMAT_DATE);
        bindings.putMember("webhookJson", webhookJson);
        return context.eval(scriptThenCall).asString();
    }

    private static DodoEvent event(String type) throws IOException {
        JsonNode envelope = JSON.readTree(Path.of("src/test/resources/samples/dodo", type + ".json").toFile());
        return new DodoEvent("msg_bench_" + type, envelope.path("type").asText(), envelope);
    }

    private static void check(Object eventName) {
        if (!"payment_confirmation".equals(eventName) && !"subscription_welcome".equals(eventName)) {
            throw new IllegalStateException("unexpected transform result: eventName " + eventName);
        }
    }
}
