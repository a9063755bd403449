package io.dodoloops.bridge.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dodoloops.bridge.BridgeApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bridge in a JVM of its own, so it can be killed like a real process ({@code kill -9}) and started again on the
 * same data directory. Its output is appended to {@code <data dir>/bridge.log}.
 */
public final class BridgeProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final int managementPort;
    private final Path log;

    private BridgeProcess(Process process, int port, int managementPort, Path log) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
        this.log = log;
    }

    /** Starts the bridge on free ports with these settings (as command-line arguments), without waiting for it. */
    public static BridgeProcess start(Path dataDir, Map<String, String> settings) {
        return start(dataDir, settings, List.of());
    }

    /** The same, with these JVM options (e.g. a small heap). */
    public static BridgeProcess start(Path dataDir, Map<String, String> settings, List<String> jvmOptions) {
        return start(dataDir, settings, jvmOptions, Map.of());
    }

    /** The same, with these environment variables set for the process (the way users configure it). */
    public static BridgeProcess start(Path dataDir, Map<String, String> settings, List<String> jvmOptions,
                                      Map<String, String> environment) {
        try {
            int port = freePort();
            int managementPort = freePort();
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.addAll(List.of("-cp", classpath, BridgeApplication.class.getName(),
                    "--server.port=" + port,
                    "--management.server.port=" + managementPort,
                    "--bridge.data-dir=" + dataDir));
            settings.forEach((name, value) -> command.add("--" + name + "=" + value));
            Path log = dataDir.resolve("bridge.log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            Process process = builder.start();
            return new BridgeProcess(process, port, managementPort, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the webhook route answers (405 to a GET), which is after the broker and the routes started. */
    public BridgeProcess awaitReady() {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            assertThat(process.isAlive()).as("bridge process running").isTrue();
            return HTTP.send(HttpRequest.newBuilder(webhookUrl()).GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 405;
        });
        return this;
    }

    public URI webhookUrl() {
        return URI.create("http://127.0.0.1:" + port + "/webhooks/dodo");
    }

    /** Health, metrics and the admin endpoints of this process. */
    public URI managementUrl(String path) {
        return URI.create("http://127.0.0.1:" + managementPort + path);
    }

    /** GET on the management port; the body of a 200 answer. */
    public String manage(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(managementUrl(path)).GET()
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Everything the process logged so far (all processes sharing its data directory). */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kill -9}: no shutdown hook, no graceful stop, nothing flushed that was not already on disk. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
