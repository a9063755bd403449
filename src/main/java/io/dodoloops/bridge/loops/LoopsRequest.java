package io.dodoloops.bridge.loops;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One call to the Loops API that a transform asks for: the API path under the configured base URL and the JSON
 * body. Construction checks the body against the Loops schema, so a transform mistake fails its own event with a
 * clear reason instead of reaching Loops as a 400.
 */
public record LoopsRequest(String path, Map<String, Object> body) {

    public static final String EVENTS_SEND = "/v1/events/send";
    public static final String TRANSACTIONAL = "/v1/transactional";

    private static final Set<String> EVENT_FIELDS = Set.of("eventName", "email", "userId", "eventProperties", "mailingLists");
    private static final Set<String> TRANSACTIONAL_FIELDS = Set.of("transactionalId", "email", "dataVariables",
            "addToAudience", "attachments");

    public LoopsRequest {
        if (!EVENTS_SEND.equals(path) && !TRANSACTIONAL.equals(path)) {
            throw new InvalidLoopsRequestException("Loops path " + path + " is not supported; use "
                    + EVENTS_SEND + " or " + TRANSACTIONAL + " (the endpoints that honour Idempotency-Key)");
        }
        if (body == null) {
            throw new InvalidLoopsRequestException("the transform produced no Loops body");
        }
        body = new LinkedHashMap<>(body);
        checkRecipient(body);
        if (EVENTS_SEND.equals(path)) {
            checkEvent(body);
        } else {
            checkTransactional(body);
        }
        body = Collections.unmodifiableMap(body);
    }

    public static LoopsRequest event(Map<String, Object> body) {
        return new LoopsRequest(EVENTS_SEND, body);
    }

    /**
     * This event as the transactional email {@code transactionalId}: same recipient, its {@code eventProperties} as
     * {@code dataVariables}. Contact properties and {@code userId} are dropped: {@code /v1/transactional} takes neither.
     * The JavaScript transforms do the same with {@code asTransactional(webhook, id)} (JsSandbox).
     */
    public LoopsRequest asTransactional(String transactionalId) {
        if (!EVENTS_SEND.equals(path)) {
            return this;
        }
        Map<String, Object> transactional = new LinkedHashMap<>();
        transactional.put("transactionalId", transactionalId);
        transactional.put("email", body.get("email"));
        transactional.put("dataVariables", body.getOrDefault("eventProperties", Map.of()));
        return new LoopsRequest(TRANSACTIONAL, transactional);
    }

    /**
     * The HTTP request this becomes, as the outbox records it and the dry run shows it: method, URL, headers (without
     * the API key) and body.
     */
    public Map<String, Object> asHttpRequest(String baseUrl, String idempotencyKey) {
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", "POST");
        http.put("url", baseUrl + path);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Idempotency-Key", idempotencyKey);
        http.put("headers", headers);
        http.put("body", body);
        return http;
    }

    /** The value Loops matches the contact by, for log lines (masked there). */
    public String recipient() {
        Object email = body.get("email");
        return email != null ? email.toString() : String.valueOf(body.get("userId"));
    }

    /**
     * An {@code email} that is there must be one Loops would take: not blank, exactly one {@code @} with text on both
     * sides, no whitespace or control characters. The reason shows the address masked ({@link #maskInvalid}).
     */
    private static void checkRecipient(Map<String, Object> body) {
        if (!body.containsKey("email") || body.get("email") == null) {
            return;
        }
        String email = body.get("email").toString();
        if (!plausibleEmail(email)) {
            throw new InvalidLoopsRequestException("invalid recipient email: " + maskInvalid(email));
        }
    }

    static boolean plausibleEmail(String email) {
        int at = email.indexOf('@');
        if (at <= 0 || at != email.lastIndexOf('@') || at == email.length() - 1) {
            return false;
        }
        return email.codePoints().noneMatch(c -> Character.isWhitespace(c) || Character.isSpaceChar(c)
                || Character.isISOControl(c) || Character.getType(c) == Character.FORMAT);
    }

    /**
     * An address that is not one, for a reason or a log line: EmailMask only masks what looks like an address, so
     * {@code bob acme.com} would be printed whole. First character (if printable) and {@code ***}; the domain after
     * the last {@code @} stays when it is printable, like EmailMask shows it.
     */
    public static String maskInvalid(String email) {
        if (email == null) {
            return "(none)";
        }
        if (email.isBlank()) {
            return "(blank)";
        }
        int first = email.codePointAt(0);
        String masked = (printable(first) ? new String(Character.toChars(first)) : "?") + "***";
        int at = email.lastIndexOf('@');
        if (at >= 0) {
            String domain = email.substring(at + 1);
            boolean printableDomain = !domain.isEmpty() && domain.length() <= 100 && domain.codePoints().allMatch(LoopsRequest::printable);
            masked += "@" + (printableDomain ? domain : "***");
        }
        return masked;
    }

    private static boolean printable(int c) {
        return !Character.isWhitespace(c) && !Character.isSpaceChar(c) && !Character.isISOControl(c)
                && Character.getType(c) != Character.FORMAT && c != '@';
    }

    private static void checkEvent(Map<String, Object> body) {
        Object eventName = body.get("eventName");
        if (!(eventName instanceof String name) || name.isBlank()) {
            throw new InvalidLoopsRequestException("Loops event has no eventName");
        }
        if (name.contains(":")) {
            throw new InvalidLoopsRequestException("Loops eventName '" + name + "' must not contain ':'");
        }
        if (isBlank(body.get("email")) && isBlank(body.get("userId"))) {
            throw new InvalidLoopsRequestException("Loops event '" + name + "' needs an email or a userId");
        }
        Object props = body.get("eventProperties");
        if (props != null) {
            if (!(props instanceof Map<?, ?> map)) {
                throw new InvalidLoopsRequestException("eventProperties must be an object");
            }
            map.forEach((k, v) -> requireScalar("eventProperties." + k, v));
        }
        Object lists = body.get("mailingLists");
        if (lists != null && !(lists instanceof Map)) {
            throw new InvalidLoopsRequestException("mailingLists must be an object of listId: true|false");
        }
        body.forEach((k, v) -> {
            if (!EVENT_FIELDS.contains(k)) {
                requireScalar("contact property " + k, v);
            }
        });
    }

    /**
     * Loops' {@code TransactionalRequest}. {@code dataVariables} take strings and numbers only: a boolean becomes
     * {@code "true"}/{@code "false"} and a null {@code ""} (how Loops takes an optional variable), so the event
     * properties of a transform fit unchanged; an object is refused, a list only of objects (array variables).
     */
    private static void checkTransactional(Map<String, Object> body) {
        if (isBlank(body.get("transactionalId")) || isBlank(body.get("email"))) {
            throw new InvalidLoopsRequestException("a Loops transactional email needs transactionalId and email");
        }
        body.keySet().stream().filter(k -> !TRANSACTIONAL_FIELDS.contains(k)).sorted().findFirst().ifPresent(k -> {
            throw new InvalidLoopsRequestException("a Loops transactional email has no field '" + k + "' (it takes "
                    + String.join(", ", TRANSACTIONAL_FIELDS.stream().sorted().toList()) + ")");
        });
        Object variables = body.get("dataVariables");
        if (variables == null) {
            return;
        }
        if (!(variables instanceof Map<?, ?> map)) {
            throw new InvalidLoopsRequestException("dataVariables must be an object");
        }
        Map<String, Object> normalised = new LinkedHashMap<>();
        map.forEach((k, v) -> normalised.put(String.valueOf(k), dataVariable("dataVariables." + k, v)));
        body.put("dataVariables", Collections.unmodifiableMap(normalised));
    }

    private static Object dataVariable(String what, Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof String || value instanceof Number) {
            return value;
        }
        if (value instanceof List<?> list && list.stream().allMatch(item -> item instanceof Map)) {
            return value;
        }
        throw new InvalidLoopsRequestException(what + " must be a string or a number (or a list of objects), not "
                + (value instanceof Map ? "an object" : "a list of plain values"));
    }

    private static void requireScalar(String what, Object value) {
        if (value != null && !(value instanceof String) && !(value instanceof Number) && !(value instanceof Boolean)) {
            throw new InvalidLoopsRequestException(what + " must be a string, number, boolean or null, not "
                    + (value instanceof Map ? "an object" : "a list"));
        }
    }

    private static boolean isBlank(Object value) {
        return value == null || value.toString().isBlank();
    }
}
