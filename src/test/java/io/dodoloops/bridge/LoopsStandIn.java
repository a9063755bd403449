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
 * a key it has already accepted.
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

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Integer>> scripted = new ConcurrentHashMap<>();
    private final Set<String> acceptedKeys = ConcurrentHashMap.newKeySet();
    private volatile long answerDelayMillis;

    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    private LoopsStandIn(HttpServer server) {
        this.server = server;
        server.createContext("/", this::answer);
        server.setExecutor(executor);
        server.start();
    }

    public static LoopsStandIn start() {
        return start(0);
    }

    public static LoopsStandIn start(int port) {
        // Without it the JDK server's small answers wait ~40 ms for Nagle's algorithm: the tests would measure that.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        try {
            return new LoopsStandIn(HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the bridge should use as LOOPS_BASE_URL. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api";
    }

    /** The next answers for requests carrying this Idempotency-Key; after them, 200. */
    public void script(String idempotencyKey, Integer... statuses) {
        scripted.put(idempotencyKey, new ArrayDeque<>(List.of(statuses)));
    }

    /** Answers only after this long: a Loops call that is in flight when the bridge dies. */
    public void answerAfter(long millis) {
        answerDelayMillis = millis;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests for one webhook, found by the Idempotency-Key the bridge derives from its webhook-id. */
    public List<Request> requestsFor(String webhookId) {
        return requests.stream().filter(r -> ("dodo-" + webhookId).equals(r.header("Idempotency-Key"))).toList();
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                Map.copyOf(exchange.getRequestHeaders()), body, System.currentTimeMillis());
        requests.add(request);
        String key = request.header("Idempotency-Key");
        Deque<Integer> next = scripted.get(key);
        Integer status = next == null ? null : next.poll();
        int code = status != null ? status : key != null && !acceptedKeys.add(key) ? 409 : 200;
        pause(answerDelayMillis);
        byte[] response = (code == 200 ? "{\"success\":true}"
                : "{\"success\":false,\"message\":\"stand-in answered " + code + "\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, response.length);
        exchange.getResponseBody().write(response);
        exchange.close();
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
        server.stop(0);
        executor.shutdownNow();
    }
}
