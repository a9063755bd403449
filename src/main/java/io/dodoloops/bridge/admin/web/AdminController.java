package io.dodoloops.bridge.admin.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.jms.JMSException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.dodoloops.bridge.admin.DeadLetterQueue;
import io.dodoloops.bridge.admin.DeadLetterQueue.Selection;
import io.dodoloops.bridge.admin.DryRun;
import io.dodoloops.bridge.admin.Preflight;

/**
 * The operator's HTTP interface, on the management port only (see {@link AdminManagementConfiguration}):
 * dry runs, the dead-letter queue and the preflight check.
 */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
public class AdminController {

    private final DryRun dryRun;
    private final DeadLetterQueue deadLetters;
    private final Preflight preflight;

    public AdminController(DryRun dryRun, DeadLetterQueue deadLetters, Preflight preflight) {
        this.dryRun = dryRun;
        this.deadLetters = deadLetters;
        this.preflight = preflight;
    }

    /**
     * The preflight check: {@code {"ok": bool, "checks": [{item, status: pass|fail|warn|info, message, hint}]}}. A GET:
     * it changes nothing, and calls only Loops' read-only endpoints. {@code ok} is false when any item fails.
     */
    @GetMapping("/check")
    public Preflight.Report check() {
        return preflight.run();
    }

    /** The Loops request a Dodo webhook body would produce, or why none; nothing is sent. */
    @PostMapping("/dry-run")
    public Map<String, Object> dryRun(@RequestBody(required = false) byte[] body,
                                      @RequestParam(required = false) String webhookId) {
        return dryRun.run(body == null ? new byte[0] : body, webhookId);
    }

    @GetMapping("/dead-letters")
    public List<DeadLetterQueue.Entry> deadLetters(@RequestParam(required = false) String eventType,
                                                   @RequestParam(required = false) Instant since,
                                                   @RequestParam(required = false) Instant until) {
        return deadLetters.list(new Selection(eventType, since, until));
    }

    @GetMapping("/dead-letters/{webhookId}")
    public ResponseEntity<Map<String, Object>> deadLetter(@PathVariable String webhookId) {
        return deadLetters.show(webhookId).map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.status(404).body(Map.of("error", "no dead letter for webhook " + webhookId)));
    }

    @PostMapping("/dead-letters/{webhookId}/replay")
    public ResponseEntity<Map<String, Object>> replay(@PathVariable String webhookId) throws JMSException {
        return deadLetters.replay(webhookId)
                ? ResponseEntity.ok(Map.of("replayed", List.of(webhookId)))
                : ResponseEntity.status(404).body(Map.of("error", "no dead letter for webhook " + webhookId));
    }

    /** Replays every dead letter of an event type and/or dead-lettered in [since, until). */
    @PostMapping("/dead-letters/replay")
    public Map<String, Object> replayAll(@RequestParam(required = false) String eventType,
                                         @RequestParam(required = false) Instant since,
                                         @RequestParam(required = false) Instant until) throws JMSException {
        return Map.of("replayed", deadLetters.replay(new Selection(eventType, since, until)));
    }

    @ExceptionHandler(DryRun.NotReadyException.class)
    public ResponseEntity<Map<String, Object>> notReady(DryRun.NotReadyException e) {
        return ResponseEntity.status(503).body(Map.of("error", e.getMessage()));
    }
}
