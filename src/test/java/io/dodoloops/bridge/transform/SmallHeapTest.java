package io.dodoloops.bridge.transform;

import io.dodoloops.bridge.TestSettings;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transform that allocates more than the heap holds fails its own event and leaves the JVM serving. Run in a JVM of
 * its own with a small heap, where a 1 GiB buffer cannot fit (on the test JVM's heap it could).
 */
class SmallHeapTest {

    @TempDir
    Path dir;

    @Test
    void aGiantBufferFailsItsEventAsOutOfMemoryAndTheNextEventIsServed() throws Exception {
        Files.writeString(dir.resolve("greedy.js"), """
                function handler(webhook) {
                  if (webhook.payload.data.total_amount === 0) {
                    const buffer = new ArrayBuffer(1024 * 1024 * 1024);
                  }
                  webhook.payload = { eventName: "probe", email: "probe@example.com" };
                  return webhook;
                }
                """);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", classpath, SmallHeapTest.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .filter(line -> line.startsWith("> ")).toList();

        assertThat(lines).containsExactly(
                "> transform greedy.js ran out of memory (Java heap space)",
                "> next event: probe");
        assertThat(process.exitValue()).isZero();
    }

    /** The child JVM: one event that allocates too much, then one that does not. */
    public static void main(String[] args) throws IOException {
        try (JavaScriptTransforms transforms = new JavaScriptTransforms(
                TestSettings.transforms(Map.of("bridge.transforms.directory", args[0])), "https://app.loops.so/api")) {
            DodoEvent greedy = Samples.event("payment.succeeded");
            ((com.fasterxml.jackson.databind.node.ObjectNode) greedy.data()).put("total_amount", 0);
            try {
                transforms.transform(greedy, "greedy.js");
                System.out.println("> no failure");
            } catch (TransformException e) {
                System.out.println("> " + e.getMessage());
            }
            System.out.println("> next event: " + transforms.transform(Samples.event("payment.succeeded"), "greedy.js")
                    .body().get("eventName"));
        }
    }
}
