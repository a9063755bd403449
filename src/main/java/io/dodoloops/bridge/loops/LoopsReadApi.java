package io.dodoloops.bridge.loops;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.springframework.stereotype.Component;

/**
 * Loops' read-only endpoints, for the preflight check: {@code GET /v1/api-key} and {@code GET /v1/transactional},
 * through the Loops client: the same key rule (only to the Loops host, added inside the client, so never part of
 * anything this class returns or throws) and the same rate limit as delivery. They are not counted in the delivery
 * metrics.
 */
@Component
public class LoopsReadApi {

    /** The answer to {@code GET /v1/api-key}: its status, the team on 200, Loops' {@code x-ratelimit-limit} if sent. */
    public record KeyCheck(int status, String teamName, Integer rateLimit, String message) {
        public boolean valid() {
            return status == 200 && teamName != null;
        }
    }

    /** One transactional email as {@code GET /v1/transactional} lists it. */
    public record TransactionalEmail(String id, String name, String lastUpdated, List<String> dataVariables) {
    }

    /**
     * A transactional email's declared data variables against those a transform sends: {@code missing} are declared
     * but not sent (Loops refuses the send when a required one is missing), {@code extra} are sent but not declared.
     */
    public record TransactionalComparison(String transactionalId, TransactionalEmail email,
                                          SortedSet<String> missing, SortedSet<String> extra) {
        public boolean found() {
            return email != null;
        }

        public boolean matches() {
            return found() && missing.isEmpty() && extra.isEmpty();
        }
    }

    /** Loops answered something other than 2xx. */
    public static final class LoopsAnswerException extends IOException {
        private final int status;

        LoopsAnswerException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    static final int PER_PAGE = 50;
    /** Loops' pagination is followed at most this far: 1,000 emails. */
    private static final int MAX_PAGES = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoopsClient loops;

    public LoopsReadApi(LoopsClient loops) {
        this.loops = loops;
    }

    /** {@code GET /v1/api-key}; a 401 is an answer, not an exception. @throws IOException when Loops cannot be reached */
    public KeyCheck apiKey() throws IOException {
        return loops.get("/v1/api-key", response -> {
            String body = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
            JsonNode json = parse(body);
            Header limit = response.getFirstHeader("x-ratelimit-limit");
            Integer rateLimit = null;
            if (limit != null) {
                try {
                    rateLimit = Integer.valueOf(limit.getValue().trim());
                } catch (NumberFormatException ignored) {
                    // not a number: as if absent
                }
            }
            String team = json.path("teamName").isTextual() && json.path("success").asBoolean(true) ? json.get("teamName").asText() : null;
            return new KeyCheck(response.getCode(), team, rateLimit, response.getCode() / 100 == 2 ? null : message(json, body));
        });
    }

    /** Every transactional email, following Loops' pagination ({@code perPage}, {@code cursor}, {@code nextCursor}). */
    public List<TransactionalEmail> transactionalEmails() throws IOException {
        List<TransactionalEmail> emails = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < MAX_PAGES; page++) {
            String query = "/v1/transactional?perPage=" + PER_PAGE
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode answer = loops.get(query, response -> {
                String body = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
                if (response.getCode() / 100 != 2) {
                    throw new LoopsAnswerException(response.getCode(), "Loops answered " + response.getCode()
                            + " to GET /v1/transactional: " + message(parse(body), body));
                }
                return parse(body);
            });
            for (JsonNode email : answer.path("data")) {
                List<String> variables = new ArrayList<>();
                email.path("dataVariables").forEach(v -> variables.add(v.asText()));
                emails.add(new TransactionalEmail(email.path("id").asText(null), email.path("name").asText(null),
                        email.path("lastUpdated").asText(null), List.copyOf(variables)));
            }
            JsonNode next = answer.path("pagination").path("nextCursor");
            if (!next.isTextual() || next.asText().isEmpty()) {
                return emails;
            }
            cursor = next.asText();
        }
        return emails;
    }

    /** The email with this id among {@code emails}, compared with the data variables a transform sends. */
    public static TransactionalComparison compare(String transactionalId, Collection<String> sentVariables,
                                                  List<TransactionalEmail> emails) {
        TransactionalEmail email = emails.stream().filter(e -> transactionalId.equals(e.id())).findFirst().orElse(null);
        if (email == null) {
            return new TransactionalComparison(transactionalId, null, new TreeSet<>(), new TreeSet<>());
        }
        Set<String> declared = new LinkedHashSet<>(email.dataVariables());
        TreeSet<String> missing = new TreeSet<>(declared);
        missing.removeAll(sentVariables);
        TreeSet<String> extra = new TreeSet<>(sentVariables);
        extra.removeAll(declared);
        return new TransactionalComparison(transactionalId, email, missing, extra);
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            return json == null ? JSON.createObjectNode() : json;
        } catch (IOException notJson) {
            return JSON.createObjectNode();
        }
    }

    /** Loops' error text: {@code message}, {@code error} as text, or {@code error.message}; else the body's start. */
    private static String message(JsonNode json, String body) {
        if (json.path("message").isTextual()) {
            return json.get("message").asText();
        }
        if (json.path("error").isTextual()) {
            return json.get("error").asText();
        }
        if (json.path("error").path("message").isTextual()) {
            return json.get("error").get("message").asText();
        }
        return body.length() > 200 ? body.substring(0, 200) + "…" : body;
    }
}
