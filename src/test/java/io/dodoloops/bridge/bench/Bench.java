package io.dodoloops.bridge.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import io.dodoloops.bridge.reliability.BridgeProcess;
import io.dodoloops.bridge.signature.WebhookSecrets;

/**
 * The benchmark: {@code mvn -Pbench verify} from the project root. JMH for the hot code (signature check, each
 * transform through the bridge's engine, through Camel's stock js language, and the Java bean), then the packaged jar
 * under load from {@link LoadDriver}: the disk's own fsync, start-to-ready, a sequential sender, 32 connections from
 * a cold start and warm, memory, end to end with no rate limit and with the default 10/s. Prints the figures against
 * the targets, with the machine, and writes them to target/bench-report.txt. A figure, not a test: nothing here fails
 * the build.
 */
public final class Bench {

    /** The JVM options docs/deploying.md recommends for running the jar (JVM options), as the Containerfile does. */
    static final List<String> JVM_OPTIONS = jvmOptions(Path.of("deploy/jvm.options"));
    private final List<String> summary = new ArrayList<>();
    private final PrintStream out = System.out;

    public static void main(String[] args) throws Exception {
        Bench bench = new Bench();
        List<String> skip = List.of(args);
        bench.line("machine: " + machine());
        if (!skip.contains("--no-jmh")) {
            bench.hotCode();
        }
        if (!skip.contains("--no-service")) {
            bench.service();
        }
        bench.out.println();
        bench.out.println("== summary ==");
        bench.summary.forEach(bench.out::println);
        Files.write(Path.of("target/bench-report.txt"), bench.summary);
    }

    private void hotCode() throws Exception {
        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include(SignatureBenchmark.class.getName())
                .include(TransformBenchmark.class.getName())
                .include(JavaTransformBenchmark.class.getName())
                .build()).run();
        Map<String, Double> medians = new LinkedHashMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark().replaceAll(".*\\.", "");
            String script = result.getParams().getParam("script");
            medians.put(script == null ? name : name + " " + script, result.getPrimaryResult().getStatistics().getPercentile(50));
        }
        line("");
        line("transform, median µs per call (JMH sample time)   bridge engine   Camel js language   ratio   Java bean");
        double java = medians.getOrDefault("javaBean", Double.NaN);
        for (String script : List.of("payment_confirmation.js", "subscription_welcome.js", "payment_failed.js")) {
            double pooled = medians.get("javascriptPooled " + script);
            double camel = medians.get("camelJsLanguage " + script);
            line(String.format("  %-45s %13.1f %19.1f %7.0fx %11.1f   target ≤ 50 µs and ≥ 50x: %s", script, pooled, camel,
                    camel / pooled, java, verdict(pooled <= 50 && camel / pooled >= 50)));
        }
        double signature = medians.get("oneSecret");
        line(String.format("signature check, 2 KB body: median %.2f µs (rotation, second secret: %.2f µs)   target ≤ 10 µs: %s",
                signature, medians.get("rotationSecondSecretMatches"), verdict(signature <= 10)));
    }

    /**
     * The service rows of issue 12, each against its target. Every load run uses the production way (the extracted
     * jar with its class-data archive and {@link #JVM_OPTIONS}, docs/deploying.md); the plain jar is timed for start-up
     * only. Three fresh bridges: one for a sequential sender (as a team's own handler would be measured), one from a
     * cold start to warm with 32 connections, one at the default rate limit.
     */
    private void service() throws Exception {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            jar = files.filter(f -> f.getFileName().toString().matches("dodo-loops-bridge-.*\\.jar")).findFirst().orElse(null);
        }
        if (jar == null) {
            line("service: no target/dodo-loops-bridge-*.jar; run mvn -Pbench verify (it packages first)");
            return;
        }
        line("");
        line("disk: " + DiskSync.measure(Path.of("target"), 5000) + "   (the journal's fsync before each 202 costs at least this)");
        long fatJarReady = startToReady(List.of("-jar", jar.toString()));
        List<String> launch = extractWithClassDataSharing(jar);
        long[] ready = new long[3];
        for (int i = 0; i < ready.length; i++) {
            ready[i] = startToReady(launch);
        }
        java.util.Arrays.sort(ready);
        line(String.format("start to ready, the production way (extracted, CDS archive, %s): median %.2f s of %d (%.2f–%.2f s);"
                        + " the plain jar %.2f s   target ≤ 5 s: %s", String.join(" ", JVM_OPTIONS), ready[1] / 1e3, ready.length,
                ready[0] / 1e3, ready[2] / 1e3, fatJarReady / 1e3, verdict(ready[1] <= 5000)));

        String secret = WebhookSecrets.generate(new SecureRandom());
        int port = BridgeProcess.freePort();
        try (LoadDriver driver = new LoadDriver(URI.create("http://127.0.0.1:" + port + "/webhooks/dodo"), secret, 32, 0,
                Duration.ofSeconds(60))) {
            Map<String, String> env = Map.of("DODO_WEBHOOK_SECRET", secret, "LOOPS_API_KEY", "bench",
                    "LOOPS_BASE_URL", "http://127.0.0.1:" + driver.loopsPort() + "/api", "LOOPS_RATE_LIMIT", "100000");
            Process fresh = start(launch, port, env);
            try {
                awaitReady(fresh, port);
                driver.send("sequential warm-up", 1000, null, 1);
                sequentialRow("fresh bridge (5,000 after 1,000)", driver.send("sequential", 5000, null, 1));
            } finally {
                stop(fresh);
            }

            Process bridge = start(launch, port, env);
            try {
                awaitReady(bridge, port);
                driver.send("cold warm-up", 4000, null, 32);
                LoadDriver.Report cold = driver.send("cold", 20000, null, 32);
                cold.print(out);
                line(String.format("32 connections from a cold start (20,000 after 4,000): %.0f accepted/s, p99 %.1f ms"
                                + "   target ≥ 2,000/s: %s", cold.acceptedPerSecond(), ms(cold.p99()),
                        verdict(cold.acceptedPerSecond() >= 2000)));
                driver.send("warm-up", 56000, null, 32);
                LoadDriver.Report warm = driver.send("warm", 20000, null, 32);
                warm.print(out);
                line(String.format("32 connections, warm (20,000 after 80,000): %.0f accepted/s, p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms,"
                                + " errors %s   target ≥ 3,000/s, p99 ≤ 30 ms: %s", warm.acceptedPerSecond(), ms(warm.p50()),
                        ms(warm.p99()), ms(warm.p999()), warm.errors().isEmpty() ? "none" : warm.errors(),
                        verdict(warm.acceptedPerSecond() >= 3000 && ms(warm.p99()) <= 30)));
                driver.send("sequential warm-up after warm", 1000, null, 1); // ids of their own, as every phase's
                sequentialRow("warm (5,000 after 105,000)", driver.send("sequential warm", 5000, null, 1));
                long rssMb = rssKb(bridge) / 1024;
                line(String.format("RSS after these runs (%s): %d MB   target ≤ 350 MB: %s", String.join(" ", JVM_OPTIONS), rssMb,
                        verdict(rssMb <= 350)));
                LoadDriver.Report endToEnd = driver.send("end-to-end", 5000, null, 32);
                endToEnd.print(out);
                line(String.format("end to end, 5,000 events, no rate limit: %.1f s from the first POST to the last Loops request"
                        + " (%.0f events/s), exactly once: %s   before issue 12: 4.1 s", endToEnd.endToEndSeconds(),
                        endToEnd.deliveredPerSecond(), endToEnd.exactlyOnce() ? "yes" : "NO"));
            } finally {
                stop(bridge);
            }
            Map<String, String> limited = new LinkedHashMap<>(env);
            limited.remove("LOOPS_RATE_LIMIT");
            Process rated = start(launch, port, limited);
            try {
                awaitReady(rated, port);
                LoadDriver.Report report = driver.send("rate-limited", 300, null);
                report.print(out);
                line(String.format("end to end, 300 events at the default 10/s: %.1f s, at most %d in any second   expected ≈ 30 s,"
                                + " never above the limit: %s", report.endToEndSeconds(), report.peakPerSecond(),
                        verdict(report.endToEndSeconds() >= 29 && report.peakPerSecond() <= 10 && report.exactlyOnce())));
            } finally {
                stop(rated);
            }
        }
    }

    /** A sequential sender, as a team's own handler would be measured: one connection, each POST after the last answer. */
    private void sequentialRow(String what, LoadDriver.Report report) {
        report.print(out);
        line(String.format("1 connection, sequential, %s: %.0f accepted/s, p50 %.2f ms, p99 %.2f ms   target p50 ≤ 1.5 ms,"
                        + " p99 ≤ 5 ms: %s", what, report.acceptedPerSecond(), ms(report.p50()), ms(report.p99()),
                verdict(ms(report.p50()) <= 1.5 && ms(report.p99()) <= 5)));
    }

    /** The options of a {@code java @file} argument file: whitespace-separated, {@code #} to the end of a line a comment. */
    public static List<String> jvmOptions(Path file) {
        try {
            return Files.readAllLines(file).stream().map(line -> line.replaceFirst("#.*", "").strip())
                    .filter(line -> !line.isEmpty()).flatMap(line -> List.of(line.split("\\s+")).stream()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the JVM options in " + file, e);
        }
    }

    /** Starts the bridge with {@code launch} (the JVM options and the jar) and the settings in {@code env}. */
    private static Process start(List<String> launch, int port, Map<String, String> env) throws IOException {
        Path data = Files.createTempDirectory("bench-bridge");
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(JVM_OPTIONS);
        command.addAll(launch);
        command.addAll(List.of("--server.port=" + port, "--management.server.port=" + BridgeProcess.freePort(),
                "--logging.file.name=target/bench-bridge.log", "--logging.pattern.console="));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(env);
        builder.environment().put("BRIDGE_DATA_DIR", data.toString());
        return builder.start();
    }

    private static long startToReady(List<String> launch) throws Exception {
        int port = BridgeProcess.freePort();
        Process bridge = start(launch, port, Map.of());
        try {
            return awaitReady(bridge, port);
        } finally {
            stop(bridge);
        }
    }

    /**
     * The jar extracted (Spring Boot's jarmode tools) and a class-data-sharing archive recorded by one training
     * start: the JVM then maps the classes instead of loading them. The launch arguments for it.
     */
    private static List<String> extractWithClassDataSharing(Path jar) throws Exception {
        Path dir = Path.of("target/bench-app");
        run(java(), "-Djarmode=tools", "-jar", jar.toString(), "extract", "--force", "--destination", dir.toString());
        Path extracted = dir.resolve(jar.getFileName());
        Path archive = dir.resolve("bridge.jsa");
        Files.deleteIfExists(archive);
        Process training = start(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh",
                "-jar", extracted.toString()), BridgeProcess.freePort(), Map.of());
        if (!training.waitFor(120, TimeUnit.SECONDS) || !Files.exists(archive)) {
            training.destroyForcibly();
            throw new IllegalStateException("the CDS training start failed; see target/bench-bridge.log");
        }
        return List.of("-XX:SharedArchiveFile=" + archive, "-jar", extracted.toString());
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("failed: " + String.join(" ", command));
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Milliseconds from process start until the webhook route answers. */
    private static long awaitReady(Process bridge, int port) throws Exception {
        long start = bridge.info().startInstant().map(i -> i.toEpochMilli()).orElse(System.currentTimeMillis());
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest probe = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/dodo")).GET().build();
        while (bridge.isAlive()) {
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 405) {
                    return System.currentTimeMillis() - start;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the bridge exited during start-up; see target/bench-bridge.log");
    }

    private static long rssKb(Process process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static void stop(Process bridge) throws InterruptedException {
        bridge.destroy();
        if (!bridge.waitFor(30, TimeUnit.SECONDS)) {
            bridge.destroyForcibly().waitFor();
        }
    }

    private void line(String text) {
        summary.add(text);
        out.println(text);
    }

    private static String verdict(boolean met) {
        return met ? "met" : "MISSED";
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String machine() {
        String cpu = "unknown cpu";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.replaceFirst(".*:\\s*", "")).orElse(cpu);
        } catch (IOException ignored) {
            // not Linux
        }
        long memoryGb = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize() >> 30;
        return Runtime.getRuntime().availableProcessors() + " cores, " + cpu + ", " + memoryGb + " GiB, Java "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")";
    }
}
