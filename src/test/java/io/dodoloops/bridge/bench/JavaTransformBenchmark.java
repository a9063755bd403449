package io.dodoloops.bridge.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import io.dodoloops.bridge.loops.LoopsRequest;
import io.dodoloops.bridge.transform.DodoEvent;
import io.dodoloops.bridge.transform.SubscriptionWelcomeTransform;

/** The Java transform (subscription.active), for comparison with the JavaScript ones. */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class JavaTransformBenchmark {

    private final SubscriptionWelcomeTransform java = new SubscriptionWelcomeTransform();
    private DodoEvent event;

    @Setup
    public void setUp() throws IOException {
        JsonNode envelope = new ObjectMapper().readTree(Path.of("src/main/resources/samples/dodo/subscription.active.json").toFile());
        event = new DodoEvent("msg_bench", "subscription.active", envelope);
    }

    @Benchmark
    public LoopsRequest javaBean() {
        return java.transform(event);
    }
}
