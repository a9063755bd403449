package io.dodoloops.bridge.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

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

import io.dodoloops.bridge.signature.SignatureVerifier;
import io.dodoloops.bridge.signature.WebhookSecrets;
import io.dodoloops.bridge.tryit.SendSample;

/**
 * Cost of verifying one webhook signature, as the ingress route does for every request, on the payment.succeeded
 * sample body grown to 2 KB. "rotation" configures the old secret first and the new one second, so the worst case of
 * a rotation (one HMAC that fails, then one that matches) is measured. Run from the project root: the sample is
 * read relative to the working directory.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class SignatureBenchmark {

    private static final String CURRENT = "whsec_" + Base64.getEncoder().encodeToString("bench-current-secret-32-bytes!!!".getBytes(StandardCharsets.UTF_8));
    private static final String PREVIOUS = "whsec_" + Base64.getEncoder().encodeToString("bench-previous-secret-32-bytes!!".getBytes(StandardCharsets.UTF_8));

    static final int BODY_BYTES = 2048;
    private final String id = "msg_2xN5bench0000000000000000";
    private byte[] body;
    private String timestamp;
    private String signature;
    private SignatureVerifier oneSecret;
    private SignatureVerifier rotation;

    @Setup
    public void setUp() throws Exception {
        // The payment.succeeded sample grown to 2 KB with trailing spaces (still valid JSON, bytes are what is signed).
        byte[] sample = Files.readAllBytes(Path.of("src/main/resources/samples/dodo/payment.succeeded.json"));
        body = new byte[BODY_BYTES];
        java.util.Arrays.fill(body, (byte) ' ');
        System.arraycopy(sample, 0, body, 0, sample.length);
        // Signed once at setup, "now": a trial lasts well under the 5-minute tolerance.
        long now = Instant.now().getEpochSecond();
        timestamp = Long.toString(now);
        signature = SendSample.signature(CURRENT, id, now, body);
        oneSecret = new SignatureVerifier(WebhookSecrets.parse(CURRENT), SignatureVerifier.DEFAULT_TOLERANCE, Clock.systemUTC());
        rotation = new SignatureVerifier(WebhookSecrets.parse(PREVIOUS + " " + CURRENT), SignatureVerifier.DEFAULT_TOLERANCE, Clock.systemUTC());
        oneSecret.verify(id, timestamp, signature, body); // fails the trial at once if the setup is wrong
        rotation.verify(id, timestamp, signature, body);
    }

    @Benchmark
    public void oneSecret() {
        oneSecret.verify(id, timestamp, signature, body);
    }

    @Benchmark
    public void rotationSecondSecretMatches() {
        rotation.verify(id, timestamp, signature, body);
    }

}
