package io.dodoloops.bridge.transform;

import io.dodoloops.bridge.TestSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.dodoloops.bridge.edits.FileWatcher;
import io.dodoloops.bridge.edits.WatchedDirectory;
import org.awaitility.core.ConditionFactory;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Editing a file in the transforms directory while the bridge runs (watched every 500 ms, the shipped
 * bridge.live-edits.check-interval): a good edit applies within 2 s, event or not; a broken one leaves the last good
 * version serving, is logged once with its line, and is a problem until fixed.
 */
class LiveEditTest {

    @TempDir
    Path dir;
    private JavaScriptTransforms transforms;
    private FileWatcher watcher;
    private LogCapture log;
    private LogCapture problemLog;
    private final DodoEvent event = Samples.event("payment.succeeded");

    /** A script that sends the Loops event {@code eventName}. */
    private static String sending(String eventName) {
        return """
                function handler(webhook) {
                  webhook.payload = { eventName: "%s", email: "p@example.com" };
                  return webhook;
                }
                """.formatted(eventName);
    }

    /** {@link #sending} with a syntax error at line 3. */
    private static final String BROKEN = """
            function handler(webhook) {
              webhook.payload = { eventName: "broken", email: "p@example.com" };
              return webhook;;;)
            }
            """;

    /** The JVM's first script loads GraalJS itself: not what the 2 s bounds are about. */
    @BeforeAll
    static void warmUp() {
        try (JavaScriptTransforms shipped = Samples.shippedTransforms(Map.of())) {
            shipped.transform(Samples.event("payment.succeeded"), "payment_confirmation.js");
        }
    }

    @BeforeEach
    void start() {
        transforms = new JavaScriptTransforms(TestSettings.transforms(Map.of("bridge.transforms.directory", dir.toString(), "bridge.transforms.statement-limit", 100_000)), "https://app.loops.so/api");
        watcher = new FileWatcher(Duration.ofMillis(500));
        watcher.watch(transforms.files());
        log = new LogCapture(JavaScriptTransforms.class);
        problemLog = new LogCapture(WatchedDirectory.class);
    }

    @AfterEach
    void stop() {
        problemLog.close();
        log.close();
        transforms.close();
        watcher.close();
    }

    @Test
    void anEditAppliesWithinTwoSecondsWithoutAnEvent() throws IOException {
        write("edit.js", sending("first"));
        assertThat(eventName("edit.js")).isEqualTo("first");

        write("edit.js", sending("second"));

        within2s().until(() -> log.messages().contains("transform edit.js: edit applied"));
        assertThat(eventName("edit.js")).isEqualTo("second");
        assertThat(problems()).isEmpty();
    }

    @Test
    void aBrokenEditKeepsThePreviousVersionServingAndIsLoggedOnce() throws IOException {
        write("edit.js", sending("first"));
        assertThat(eventName("edit.js")).isEqualTo("first");

        write("edit.js", BROKEN);
        for (int i = 0; i < 5; i++) { // events, and checks meanwhile, all see the broken file
            assertThat(eventName("edit.js")).isEqualTo("first");
        }
        within2s().until(() -> problems().containsKey("transforms/edit.js"));

        assertThat(problems().get("transforms/edit.js"))
                .startsWith("the edit at line 3 does not compile (SyntaxError: ")
                .endsWith("; still running the previous version");
        assertThat(problemLog.warnings()).singleElement().asString()
                .startsWith("transforms/edit.js: the edit at line 3 does not compile (SyntaxError: ")
                .endsWith("; still running the previous version")
                .doesNotContain("\n");
    }

    @Test
    void fixingTheFileAppliesItAndClearsTheProblem() throws IOException {
        write("edit.js", sending("first"));
        assertThat(eventName("edit.js")).isEqualTo("first");
        write("edit.js", BROKEN);
        within2s().until(() -> problems().containsKey("transforms/edit.js"));

        write("edit.js", sending("fixed"));

        within2s().until(() -> problems().isEmpty());
        assertThat(eventName("edit.js")).isEqualTo("fixed");
        assertThat(log.messages()).containsOnlyOnce("transform edit.js: edit applied");
    }

    @Test
    void anEditWithoutHandlerIsRefusedToo() throws IOException {
        write("edit.js", sending("first"));
        assertThat(eventName("edit.js")).isEqualTo("first");

        write("edit.js", "function transform(webhook) { return webhook; }");

        within2s().until(() -> problems().containsKey("transforms/edit.js"));
        assertThat(problems()).containsEntry("transforms/edit.js",
                "the edit defines no function handler(webhook); still running the previous version");
        assertThat(eventName("edit.js")).isEqualTo("first");
    }

    @Test
    void aBrokenNewFileIsReportedBeforeAnyEventUsesIt() throws IOException {
        write("new.js", BROKEN);

        within2s().until(() -> problems().containsKey("transforms/new.js"));
        assertThat(problems().get("transforms/new.js"))
                .startsWith("the script at line 3 does not compile (SyntaxError: ")
                .endsWith("; its events fail until it is fixed");
        assertThatThrownBy(() -> transforms.transform(event, "new.js"))
                .isInstanceOf(TransformException.class)
                .hasMessageStartingWith("transform new.js has a syntax error at line 3: ");
        assertThat(problemLog.warnings()).hasSize(1);
    }

    @Test
    void aDeletedScriptFailsItsEventsAndIsAProblemUntilItIsBack() throws IOException {
        write("gone.js", sending("first"));
        assertThat(eventName("gone.js")).isEqualTo("first");

        Files.delete(dir.resolve("gone.js"));

        within2s().until(() -> problems().containsKey("transforms/gone.js"));
        assertThat(problems().get("transforms/gone.js")).startsWith("not found in ");
        assertThatThrownBy(() -> transforms.transform(event, "gone.js"))
                .isInstanceOf(TransformException.class)
                .hasMessageStartingWith("transform script gone.js not found in ");

        write("gone.js", sending("back"));
        within2s().until(() -> problems().isEmpty());
        assertThat(eventName("gone.js")).isEqualTo("back");
    }

    @Test
    void aDeletedFileNoEventAskedForIsNoProblem() throws IOException {
        write("unused.js", sending("unused"));
        within2s().until(() -> transforms.loadedScripts().contains("unused.js"));

        Files.delete(dir.resolve("unused.js"));

        within2s().until(() -> !transforms.loadedScripts().contains("unused.js"));
        assertThat(problems()).isEmpty();
    }

    @Test
    void anErrorWhileHandlingAnEventIsNotAnEditProblem() throws IOException {
        write("throws.js", "function handler(webhook) { throw new Error('no template'); }");

        assertThatThrownBy(() -> transforms.transform(event, "throws.js")).hasMessageContaining("no template");
        assertThat(problems()).isEmpty();
        assertThat(problemLog.warnings()).isEmpty();
    }

    @Test
    void healthIsUpWithTheLoadedScriptsAndDownWithTheProblems() throws IOException {
        HealthIndicator health = new TransformConfiguration().transformsHealthIndicator(transforms);
        write("a.js", sending("a"));
        eventName("a.js");

        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
        assertThat(health.health().getDetails()).isEqualTo(Map.of("scripts", List.of("a.js")));

        write("b.js", BROKEN);
        within2s().until(() -> health.health().getStatus().getCode().equals("DOWN"));
        assertThat(health.health().getDetails()).containsOnlyKeys("transforms/b.js");
        assertThat((String) health.health().getDetails().get("transforms/b.js")).contains("line 3");

        write("b.js", sending("b"));
        within2s().until(() -> health.health().getStatus().getCode().equals("UP"));
        assertThat(health.health().getDetails()).isEqualTo(Map.of("scripts", List.of("a.js", "b.js")));
    }

    private Map<String, String> problems() {
        return transforms.files().problems();
    }

    private String eventName(String script) {
        return (String) transforms.transform(event, script).body().get("eventName");
    }

    private static ConditionFactory within2s() {
        return await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50));
    }

    /** Writes as editors that save by rename do, so a check never reads a half-written file. */
    private void write(String name, String script) throws IOException {
        Path temporary = Files.writeString(dir.resolve(name + ".saving"), script);
        Files.move(temporary, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
