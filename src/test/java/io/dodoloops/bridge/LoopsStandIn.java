package io.dodoloops.bridge;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback standing in for Loops: it records every request and answers 200
 * {@code {"success":true}} unless a test scripted other answers for an Idempotency-Key. Like Loops, it answers 409 to
 * a key it has already accepted. On command it also behaves like Loops on a bad day: every request failing with one
 * status ({@link #failAll}), a rate limit answered with 429 ({@link #enforceRate}), slow answers ({@link #answerAfter})
 * or nothing listening on its port ({@link #refuseConnections}). It remembers what it accepted through all of them.
 * Loops does not say whether a key it refused (4xx) is used up; {@link #useUpKeysOnRefusal} plays a Loops that does.
 */
public final class LoopsStandIn implements AutoCloseable {

    public record Request(String method, String path, Map<String, List<String>> headers, String body, long atMillis) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        public JsonNode json() {
            try {
                return new ObjectMapper().readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Loops request body is not JSON: " + body, e);
            }
        }
    }

    /** The status the stand-in answered a request with (decided on arrival, sent after any {@link #answerAfter}). */
    public record Answer(Request request, int status) {
        public String idempotencyKey() {
            return request.header("Idempotency-Key");
        }
    }

    private static final long ONE_SECOND_NANOS = 1_000_000_000L;

    private volatile HttpServer server;
    private final int port;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();
    private final Set<String> acceptedKeys = ConcurrentHashMap.newKeySet();
    private final Map<String, String> messages = new ConcurrentHashMap<>();
    private volatile boolean useUpKeysOnRefusal;
    private volatile long answerDelayMillis;
    private volatile long answerJitterMillis;
    private volatile int failAllStatus;
    private volatile int ratePerSecond;
    /** Arrival times (nanoTime) of the requests of the trailing second, for the rate limit. */
    private final Deque<Long> recentArrivals = new ArrayDeque<>();

    private final ExecutorService executor = Executors.newFixedThreadPool(16);
    // When the server's dispatcher handed the request on: its arrival, before any wait for a free handler thread (on
    // a busy machine that wait would bunch the recorded arrivals and fake a rate-limit breach).
    private final ThreadLocal<long[]> dispatchedAt = new ThreadLocal<>(); // {currentTimeMillis, nanoTime}

    // Loops' read-only endpoints (GET /v1/api-key, GET /v1/transactional): answered apart, not in requests().
    private final Set<String> apiKeys = ConcurrentHashMap.newKeySet();
    private volatile String teamName = "Acme";
    private volatile Integer rateLimitHeader = 10;
    private volatile List<Map<String, Object>> transactionalEmails = List.of();
    private volatile int transactionalPageSize = 50;
    private final List<Request> reads = new CopyOnWriteArrayList<>();

    private LoopsStandIn(HttpServer server) {
        this.port = server.getAddress().getPort();
        listen(server);
    }

    public static LoopsStandIn start() {
        return start(0);
    }

    public static LoopsStandIn start(int port) {
        return new LoopsStandIn(bind(port));
    }

    private static HttpServer bind(int port) {
        // Without it the JDK server's small answers wait ~40 ms for Nagle's algorithm: the tests would measure that.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            return HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void listen(HttpServer server) {
        server.createContext("/", this::answer);
        server.createContext("/api/v1/api-key", this::answerRead);
        server.createContext("/api/v1/transactional", this::answerRead);
        server.setExecutor(task -> {
            long[] arrived = {System.currentTimeMillis(), System.nanoTime()};
            executor.execute(() -> {
                dispatchedAt.set(arrived);
                task.run();
            });
        });
        server.start();
        this.server = server;
    }

    /** What the bridge should use as LOOPS_BASE_URL. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port + "/api";
    }

    /** The next answers for requests carrying this Idempotency-Key; after them, 200. */
    public void script(String idempotencyKey, Integer... statuses) {
        scripted.put(idempotencyKey, new ArrayDeque<>(List.of(statuses)));
    }

    /** The {@code message} of the stand-in's answers other than 200 to this key (e.g. with an email in it). */
    public void message(String idempotencyKey, String message) {
        messages.put(idempotencyKey, message);
    }

    /**
     * On: like a Loops that stores the key of a request it refused, a key once answered 4xx (but 429) is answered 409
     * ever after, as if it had been sent; nothing was. Off (the default): a refused key can be sent again later.
     */
    public void useUpKeysOnRefusal(boolean on) {
        useUpKeysOnRefusal = on;
    }

    /** Answers only after this long: a Loops call that is in flight when the bridge dies. */
    public void answerAfter(long millis) {
        answerBetween(millis, millis);
    }

    /** Answers after a random time in [min, max] ms, like a real API's spread of response times. */
    public void answerBetween(long minMillis, long maxMillis) {
        answerDelayMillis = minMillis;
        answerJitterMillis = maxMillis - minMillis;
    }

    /** From now on every request is answered with this status (e.g. 500) and nothing is accepted. */
    public void failAll(int status) {
        failAllStatus = status;
    }

    /** Ends {@link #failAll}: requests are accepted (200) or refused as already accepted (409) again. */
    public void answerNormally() {
        failAllStatus = 0;
    }

    /**
     * Like Loops' rate limit: a request arriving when {@code perSecond} requests already arrived in the trailing second
     * is answered 429 (and counts towards the limit itself, as every request does). 0 lifts the limit.
     */
    public void enforceRate(int perSecond) {
        ratePerSecond = perSecond;
    }

    /** Closes the port: the bridge's calls now fail with "connection refused" (and open connections are closed). */
    public synchronized void refuseConnections() {
        HttpServer listening = server;
        if (listening != null) {
            listening.stop(0);
            server = null;
        }
    }

    /** Listens on the same port again, remembering everything it received and accepted before. */
    public synchronized void acceptConnections() {
        if (server == null) {
            listen(bind(port));
        }
    }

    /** Keys {@code GET /v1/api-key} and {@code GET /v1/transactional} accept (as {@code Bearer <key>}); others get 401. */
    public void apiKeys(String... keys) {
        apiKeys.clear();
        apiKeys.addAll(List.of(keys));
    }

    /** The {@code teamName} of the api-key answer. */
    public void teamName(String name) {
        teamName = name;
    }

    /** The {@code x-ratelimit-limit} header on the api-key answer (10 unless set); null sends none. */
    public void rateLimitHeader(Integer perSecond) {
        rateLimitHeader = perSecond;
    }

    /** What {@code GET /v1/transactional} lists: maps of {@code id, name, lastUpdated, dataVariables}. */
    public void transactionalEmails(List<Map<String, Object>> emails) {
        transactionalEmails = List.copyOf(emails);
    }

    /** The most emails one page of {@code GET /v1/transactional} holds, whatever {@code perPage} asks for. */
    public void transactionalPageSize(int size) {
        transactionalPageSize = size;
    }

    /** The read-only requests ({@code GET /v1/api-key}, {@code GET /v1/transactional}), kept apart from {@link #requests}. */
    public List<Request> reads() {
        return List.copyOf(reads);
    }

    private void answerRead(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            answer(exchange); // e.g. POST /v1/transactional: a send like any other
            return;
        }
        exchange.getRequestBody().readAllBytes();
        Request request = new Request("GET", exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()),
                "", System.currentTimeMillis());
        reads.add(request);
        String authorization = request.header("Authorization");
        boolean known = authorization != null && authorization.startsWith("Bearer ")
                && apiKeys.contains(authorization.substring("Bearer ".length()));
        int code;
        Object body;
        if (!known) {
            code = 401;
            body = Map.of("success", false, "message", "Invalid API key", "error", "Invalid API key");
        } else if (request.path().endsWith("/api-key")) {
            code = 200;
            body = Map.of("success", true, "teamName", teamName);
            if (rateLimitHeader != null) {
                exchange.getResponseHeaders().add("x-ratelimit-limit", String.valueOf(rateLimitHeader));
                exchange.getResponseHeaders().add("x-ratelimit-remaining", String.valueOf(rateLimitHeader - 1));
            }
        } else {
            code = 200;
            body = transactionalPage(exchange.getRequestURI().getRawQuery());
        }
        byte[] response = new ObjectMapper().writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, response.length);
        exchange.getResponseBody().write(response);
        exchange.close();
    }

    /** Like Loops: {@code perPage} (10 to 50, default 20) and an opaque {@code cursor}; {@code nextCursor} null at the end. */
    private Map<String, Object> transactionalPage(String query) {
        Map<String, String> parameters = new java.util.HashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    parameters.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        int perPage = Math.min(Math.max(Integer.parseInt(parameters.getOrDefault("perPage", "20")), 10), 50);
        int size = Math.min(perPage, transactionalPageSize);
        String cursor = parameters.get("cursor");
        int from = cursor == null ? 0 : Integer.parseInt(cursor.substring("cur_".length()));
        List<Map<String, Object>> all = transactionalEmails;
        List<Map<String, Object>> page = all.subList(Math.min(from, all.size()), Math.min(from + size, all.size()));
        boolean more = from + size < all.size();
        Map<String, Object> pagination = new java.util.LinkedHashMap<>();
        pagination.put("totalResults", all.size());
        pagination.put("returnedResults", page.size());
        pagination.put("perPage", perPage);
        pagination.put("totalPages", (all.size() + size - 1) / Math.max(size, 1));
        pagination.put("nextCursor", more ? "cur_" + (from + size) : null);
        pagination.put("nextPage", null);
        return Map.of("pagination", pagination, "data", page);
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests with exactly this Idempotency-Key, e.g. a replay's {@code dodo-<id>-r1}. */
    public List<Request> requestsWithKey(String idempotencyKey) {
        return requests.stream().filter(r -> idempotencyKey.equals(r.header("Idempotency-Key"))).toList();
    }

    /** Requests for one webhook, found by the Idempotency-Key the bridge derives from its webhook-id. */
    public List<Request> requestsFor(String webhookId) {
        return requests.stream().filter(r -> ("dodo-" + webhookId).equals(r.header("Idempotency-Key"))).toList();
    }

    /** The most requests that arrived within any 1-s window (sliding), as Loops counts its rate limit. */
    public static int busiestSecond(List<Answer> answers) {
        long[] arrivals = answers.stream().mapToLong(a -> a.request().atMillis()).sorted().toArray();
        int most = 0;
        for (int first = 0, last = 0; last < arrivals.length; last++) {
            while (arrivals[last] - arrivals[first] >= 1000) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
    }

    /** Every answer given, in the order the requests arrived. */
    public List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** The Idempotency-Keys and statuses of the requests for one webhook and its replays, in order: "dodo-x-r1 200". */
    public List<String> keysAndStatusesFor(String webhookId) {
        return answers.stream().filter(a -> a.idempotencyKey() != null && (a.idempotencyKey().equals("dodo-" + webhookId)
                        || a.idempotencyKey().matches(java.util.regex.Pattern.quote("dodo-" + webhookId) + "-r[0-9]+")))
                .map(a -> a.idempotencyKey() + " " + a.status()).toList();
    }

    /** For awaitility: true once no answer was added since the previous call (poll it at an interval). */
    public java.util.concurrent.Callable<Boolean> quiet() {
        int[] seen = {-1};
        return () -> {
            int now = answers.size();
            boolean unchanged = now == seen[0];
            seen[0] = now;
            return unchanged;
        };
    }

    /** The statuses the requests for one webhook were answered with, in order. */
    public List<Integer> statusesFor(String webhookId) {
        return answers.stream().filter(a -> ("dodo-" + webhookId).equals(a.idempotencyKey())).map(Answer::status).toList();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), body, arrival());
        int code;
        String refusal = request.path().endsWith("/v1/transactional") ? transactionalRefusal(request) : null;
        synchronized (recentArrivals) {
            requests.add(request);
            code = decide(request.header("Idempotency-Key"), arrivalNanos(), refusal);
            answers.add(new Answer(request, code));
        }
        long jitter = answerJitterMillis;
        pause(answerDelayMillis + (jitter > 0 ? java.util.concurrent.ThreadLocalRandom.current().nextLong(jitter + 1) : 0));
        String key = request.header("Idempotency-Key");
        String message = key == null ? null : messages.get(key);
        if (message == null && refusal != null && (code == 400 || code == 404)) {
            message = refusal.substring(4);
        }
        byte[] response = (code == 200 ? "{\"success\":true}"
                : "{\"success\":false,\"message\":\"" + (message != null ? message : "stand-in answered " + code) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, response.length);
        exchange.getResponseBody().write(response);
        exchange.close();
    }

    /**
     * Like Loops' {@code POST /v1/transactional}: "404 message" for an id it does not list, "400 message" for no
     * email, a data variable that is not a string or number, or one the email declares that is missing; else null.
     */
    private String transactionalRefusal(Request request) {
        JsonNode body = request.json();
        String id = body.path("transactionalId").asText("");
        Map<String, Object> email = transactionalEmails.stream().filter(e -> id.equals(e.get("id"))).findFirst().orElse(null);
        if (email == null) {
            return "404 Transactional email not found";
        }
        if (body.path("email").asText("").isBlank()) {
            return "400 email is required";
        }
        JsonNode variables = body.path("dataVariables");
        for (var field : (Iterable<Map.Entry<String, JsonNode>>) variables::fields) {
            if (!field.getValue().isTextual() && !field.getValue().isNumber()) {
                return "400 dataVariables." + field.getKey() + " must be a string or a number";
            }
        }
        @SuppressWarnings("unchecked")
        List<String> declared = (List<String>) email.getOrDefault("dataVariables", List.of());
        List<String> missing = declared.stream().filter(name -> !variables.has(name)).toList();
        return missing.isEmpty() ? null : "400 Missing required data variables: " + String.join(", ", missing);
    }

    private long arrival() {
        long[] arrived = dispatchedAt.get();
        return arrived != null ? arrived[0] : System.currentTimeMillis();
    }

    private long arrivalNanos() {
        long[] arrived = dispatchedAt.get();
        return arrived != null ? arrived[1] : System.nanoTime();
    }

    private int decide(String key, long arrival, String refusal) {
        int status = decideStatus(key, arrival, refusal);
        if (useUpKeysOnRefusal && key != null && status >= 400 && status < 500 && status != 429) {
            acceptedKeys.add(key);
        }
        return status;
    }

    /** Scripted answers first, then a general failure, then the rate limit, then the request's own faults, then Loops' idempotency. */
    private int decideStatus(String key, long arrival, String refusal) {
        boolean overRate = overRate(arrival);
        Deque<Integer> next = key == null ? null : scripted.get(key);
        Integer status = next == null ? null : next.poll();
        if (status != null) {
            return status;
        }
        if (failAllStatus != 0) {
            return failAllStatus;
        }
        if (overRate) {
            return 429;
        }
        if (refusal != null) {
            return Integer.parseInt(refusal.substring(0, 3));
        }
        return key != null && !acceptedKeys.add(key) ? 409 : 200;
    }

    private boolean overRate(long arrival) {
        while (!recentArrivals.isEmpty() && arrival - recentArrivals.peekFirst() >= ONE_SECOND_NANOS) {
            recentArrivals.pollFirst();
        }
        boolean over = ratePerSecond > 0 && recentArrivals.size() >= ratePerSecond;
        recentArrivals.addLast(arrival);
        return over;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        refuseConnections();
        executor.shutdownNow();
    }
}
