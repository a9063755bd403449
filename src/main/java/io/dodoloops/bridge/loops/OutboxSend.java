package io.dodoloops.bridge.loops;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;

import io.dodoloops.bridge.BridgeProperties;
import io.dodoloops.bridge.EmailMask;
import io.dodoloops.bridge.Settings;

/**
 * {@code outbox send}: sends what local mode recorded in {@code <data dir>/outbox.jsonl} to Loops, each line with the
 * Idempotency-Key recorded on it, through the Loops client (so at LOOPS_RATE_LIMIT, the key only to the Loops host). Every line Loops took (2xx, or 409: it already had that key)
 * is remembered in {@code outbox.sent}, written and synced before the next line goes, so a second run, or a run
 * after a crash midway, sends each line once; a crash between Loops' answer and that record is Loops' 409 next time.
 * A line Loops refuses (4xx) is reported, remembered in {@code outbox.refused} and left for a later run, which sends
 * it with a key of its own ({@code <key>-r<n>}): Loops may keep a refused request's key, and then the same key would
 * only ever get 409 (as with a replayed dead letter, ReplayCount). Loops unavailable (429, 5xx, no answer) stops the
 * run. It may run while a bridge in local mode keeps appending: it sends the complete lines recorded so far.
 */
public final class OutboxSend {

    static final String SENT_FILE = "outbox.sent";
    static final String REFUSED_FILE = "outbox.refused";
    private static final int MAX_MESSAGE = 300;

    private final ObjectMapper json = new ObjectMapper();
    private final LoopsClient loops;
    private final Path outbox;
    private final Path sentFile;
    private final Path refusedFile;
    private final PrintStream out;
    private int sent;
    private int alreadySent;
    private int failed;
    /** The recorded key of each refusal so far, one entry per refusal. */
    private List<String> refusals;

    OutboxSend(Path dataDir, LoopsClient loops, PrintStream out) {
        this.outbox = LocalOutbox.file(dataDir);
        this.sentFile = outbox.resolveSibling(SENT_FILE);
        this.refusedFile = outbox.resolveSibling(REFUSED_FILE);
        this.loops = loops;
        this.out = out;
    }

    /**
     * The command, configured as the bridge is: {@code bridge.data-dir} and {@code bridge.loops.*} from this
     * environment (BRIDGE_DATA_DIR, LOOPS_API_KEY, LOOPS_BASE_URL, LOOPS_RATE_LIMIT over application.yaml).
     */
    public static int run(ConfigurableEnvironment environment, PrintStream out, PrintStream err) {
        Binder settings = Binder.get(environment);
        LoopsProperties loops;
        Path dataDir;
        try {
            loops = settings.bindOrCreate("bridge.loops", LoopsProperties.class);
            dataDir = settings.bindOrCreate("bridge", BridgeProperties.class).dataDir();
        } catch (RuntimeException e) {
            err.println("outbox send: " + Settings.problem(e));
            return 2;
        }
        if (loops.localMode()) {
            err.println("outbox send needs LOOPS_API_KEY: the outbox is sent to Loops with it");
            return 2;
        }
        try (LoopsClient client = new LoopsClient(loops)) {
            return new OutboxSend(dataDir, client, out).send();
        } catch (IOException e) {
            err.println("outbox send failed: " + EmailMask.mask(e.toString()));
            return 1;
        }
    }

    int send() throws IOException {
        if (!Files.exists(outbox)) {
            out.println("outbox send: nothing to send, no " + outbox);
            return 0;
        }
        try (FileChannel progress = FileChannel.open(sentFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND); FileLock lock = lock(progress)) {
            if (lock == null) {
                out.println("outbox send: another outbox send is running on " + outbox + "; nothing sent");
                return 1;
            }
            Set<String> done = new HashSet<>(Files.readAllLines(sentFile, StandardCharsets.UTF_8));
            refusals = Files.exists(refusedFile) ? Files.readAllLines(refusedFile, StandardCharsets.UTF_8) : new ArrayList<>();
            List<String> lines = completeLines(Files.readString(outbox, StandardCharsets.UTF_8));
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).isBlank() && !sendLine(i + 1, lines.get(i), done, progress)) {
                    out.println("outbox send: Loops is unavailable, stopping; the remaining lines are left for the next run");
                    break;
                }
            }
            out.printf("outbox send: %d sent, %d already sent, %d failed (%d lines in %s)%n", sent, alreadySent, failed,
                    lines.size(), outbox);
            return failed == 0 ? 0 : 1;
        }
    }

    /** One line; false when Loops is unavailable and the run should stop. */
    private boolean sendLine(int number, String line, Set<String> done, FileChannel progress) throws IOException {
        Recorded recorded;
        try {
            recorded = recorded(line);
        } catch (IOException | RuntimeException unreadable) {
            failed++;
            out.printf("line %d: failed, not a recorded Loops request: %s%n", number, EmailMask.mask(unreadable.getMessage()));
            return true;
        }
        if (done.contains(recorded.key())) {
            alreadySent++;
            out.printf("line %d: already sent%n", number);
            return true;
        }
        Answer answer;
        String key = IdempotencyKey.retryOf(recorded.key(), Collections.frequency(refusals, recorded.key()));
        try {
            // Only ever to LOOPS_BASE_URL, whatever host the line was recorded for.
            answer = loops.post(recorded.request().path(), key, json.writeValueAsString(recorded.request().body()),
                    response -> new Answer(response.getCode(), response.getEntity() == null ? ""
                            : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8)));
        } catch (IOException noAnswer) {
            failed++;
            out.printf("line %d: failed, no answer from Loops (%s)%n", number, EmailMask.mask(noAnswer.toString()));
            return false;
        }
        int status = answer.status();
        String what = recorded.request().body().get("eventName") + " for " + EmailMask.mask(recorded.request().recipient());
        if (status / 100 == 2 || status == 409) {
            remember(recorded.key(), done, progress);
            if (status == 409) {
                alreadySent++;
                out.printf("line %d: already sent, Loops had its key (409): %s%n", number, what);
            } else {
                sent++;
                out.printf("line %d: sent %s (Loops %d)%n", number, what, status);
            }
            return true;
        }
        failed++;
        out.printf("line %d: failed, Loops answered %d: %s%s%n", number, status, EmailMask.mask(message(answer.body())),
                LoopsFailures.isRefusal(status) ? " (left for a later run)" : "");
        if (LoopsFailures.isRefusal(status)) {
            Files.writeString(refusedFile, recorded.key() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.SYNC);
            refusals.add(recorded.key());
            return true;
        }
        return false;
    }

    private record Recorded(LoopsRequest request, String key) {
    }

    private record Answer(int status, String body) {
    }

    /** A line as LocalOutbox wrote it, checked again as a Loops request; the URL's /v1/... path under LOOPS_BASE_URL. */
    private Recorded recorded(String line) throws IOException {
        JsonNode node = json.readTree(line);
        String url = node.path("url").asText();
        int api = url.indexOf("/v1/");
        if (api < 0) {
            throw new IllegalArgumentException("URL " + url + " is not a Loops API URL");
        }
        String key = node.path("headers").path("Idempotency-Key").asText("");
        if (key.isBlank()) {
            throw new IllegalArgumentException("no Idempotency-Key recorded");
        }
        Map<String, Object> body = json.convertValue(node.path("body"), new TypeReference<Map<String, Object>>() { });
        return new Recorded(new LoopsRequest(url.substring(api), body), key);
    }

    /** Synced before the next line goes: a line on record is never sent again. */
    private static void remember(String key, Set<String> done, FileChannel progress) throws IOException {
        progress.write(StandardCharsets.UTF_8.encode(key + "\n"));
        progress.force(false);
        done.add(key);
    }

    /** Lines ending in a newline; a last line without one is still being written by the bridge, left for later. */
    private static List<String> completeLines(String text) {
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n", -1));
    }

    private String message(String body) {
        try {
            JsonNode said = json.readTree(body).path("message");
            if (said.isTextual()) {
                return said.asText();
            }
        } catch (IOException notJson) {
            // as it came
        }
        String plain = body == null ? "" : body.strip();
        return plain.length() > MAX_MESSAGE ? plain.substring(0, MAX_MESSAGE) + "..." : plain;
    }

    private static FileLock lock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            return null;
        }
    }
}
