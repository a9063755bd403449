package io.dodoloops.bridge.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;


import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.dodoloops.bridge.tryit.SendSample;

/**
 * Load driver for a running bridge: signs unique payment.succeeded webhooks, POSTs them with N concurrent clients,
 * and plays Loops itself (a stand-in on 127.0.0.1 that answers 200) to see every webhook come out the other end.
 * Run from the project root after {@code mvn -q test-compile}:
 * <pre>
 * java -cp target/test-classes io.dodoloops.bridge.bench.LoadDriver [--url http://127.0.0.1:8080/webhooks/dodo[,http://…]]
 *      [--secret whsec_... | env DODO_WEBHOOK_SECRET] [--requests 5000] [--concurrency 8] [--warmup 1000]
 *      [--seconds N (send for N seconds instead of --requests)] [--loops-port 8099] [--idle-timeout 30]
 * </pre>
 * Start the bridge first, pointed at the stand-in (port = --loops-port), with a fresh data directory and the rate
 * limit lifted (it caps Loops calls per second; keep the default 10 to see the throttle instead):
 * <pre>
 * mvn -o -q package -DskipTests
 * export DODO_WEBHOOK_SECRET=whsec_$(head -c 32 /dev/urandom | base64)
 * LOOPS_API_KEY=bench LOOPS_BASE_URL=http://127.0.0.1:8099/api LOOPS_RATE_LIMIT=100000 BRIDGE_DATA_DIR=$(mktemp -d) \
 *     java -jar target/dodo-loops-bridge-*.jar > /tmp/bridge.log 2>&1 &
 * java -cp target/test-classes io.dodoloops.bridge.bench.LoadDriver --requests 10000 --concurrency 8
 * </pre>
 * Reported: ingress throughput and latency of the 202 answers, errors by status; then end to end, when the
 * stand-in had them all, and every Idempotency-Key that did not arrive exactly once.
 */
public final class LoadDriver implements AutoCloseable {

    private static final Path SAMPLE = Path.of("src/main/resources/samples/dodo/payment.succeeded.json");
    /** Enough room for a timed run at several thousand requests per second. */
    private static final int MAX_REQUESTS = 1_000_000;

    private final URI url;
    // Several bridges (a cluster behind a load balancer): client connection c goes to urls[c % n].
    private final List<URI> urls;
    private final String secret;
    private final byte[] body;
    private final int concurrency;
    private final Duration idleTimeout;
    private final LoopsStandIn loops;
    private final String run = UUID.randomUUID().toString().substring(0, 8); // ids unique across runs on one broker

    /** What one phase measured; latencies in nanoseconds. */
    public record Report(String name, int sent, int accepted, Map<String, Long> errors, double ingressSeconds,
                         long p50, long p90, long p99, long p999, long max, int delivered, double endToEndSeconds,
                         int deliveredDuringIngress, double drainSeconds, int peakPerSecond,
                         int missing, int duplicated, int unexpected) {

        public double acceptedPerSecond() {
            return accepted / ingressSeconds;
        }

        public double deliveredPerSecond() {
            return endToEndSeconds > 0 ? delivered / endToEndSeconds : 0;
        }

        public boolean exactlyOnce() {
            return missing + duplicated + unexpected == 0;
        }

        public void print(PrintStream out) {
            out.printf("%n[%s] %d webhooks%n", name, sent);
            out.printf("  ingress   %.0f accepted/s (%.2f s), 202: %d, errors: %s%n",
                    acceptedPerSecond(), ingressSeconds, accepted, errors.isEmpty() ? "none" : errors);
            out.printf("  latency   p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n",
                    ms(p50), ms(p90), ms(p99), ms(p999), ms(max));
            out.printf("  delivered %d in %.2f s from the first POST: %.0f delivered/s%n", delivered, endToEndSeconds,
                    deliveredPerSecond());
            int backlog = delivered - deliveredDuringIngress;
            out.printf("  backlog   %d left at the last 202, delivered in %.2f s after it (%.0f/s)%n", backlog,
                    drainSeconds, drainSeconds > 0 ? backlog / drainSeconds : 0);
            out.printf("  peak      %d delivered in one 1-s window (LOOPS_RATE_LIMIT caps this)%n", peakPerSecond);
            out.printf("  exactly once: %s (missing %d, duplicated %d, delivered without a 202 %d)%n",
                    exactlyOnce() ? "yes" : "NO", missing, duplicated, unexpected);
        }
    }

    public LoadDriver(URI url, String secret, int concurrency, int loopsPort, Duration idleTimeout) throws IOException {
        this(List.of(url), secret, concurrency, loopsPort, idleTimeout);
    }

    public LoadDriver(List<URI> urls, String secret, int concurrency, int loopsPort, Duration idleTimeout) throws IOException {
        this.url = urls.get(0);
        this.urls = List.copyOf(urls);
        this.secret = secret.strip().split("[\\s,]+")[0]; // the first of several signs, as Dodo signs with its current one
        this.body = Files.readAllBytes(SAMPLE);
        this.concurrency = concurrency;
        this.idleTimeout = idleTimeout;
        this.loops = new LoopsStandIn(loopsPort);
    }

    public int loopsPort() {
        return loops.port();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        String secret = options.getOrDefault("secret", System.getenv("DODO_WEBHOOK_SECRET"));
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("pass --secret whsec_... or set DODO_WEBHOOK_SECRET (the bridge's)");
        }
        List<URI> urls = java.util.Arrays.stream(options.getOrDefault("url", "http://127.0.0.1:8080/webhooks/dodo").split(","))
                .map(String::trim).map(URI::create).toList();
        try (LoadDriver driver = new LoadDriver(urls,
                secret, Integer.parseInt(options.getOrDefault("concurrency", "8")),
                Integer.parseInt(options.getOrDefault("loops-port", "8099")),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("idle-timeout", "30"))))) {
            System.out.printf("bridge %s, stand-in Loops on 127.0.0.1:%d, %d clients%n", driver.urls, driver.loopsPort(),
                    driver.concurrency);
            int warmup = Integer.parseInt(options.getOrDefault("warmup", "1000"));
            if (warmup > 0) {
                driver.send("warm-up", warmup, null).print(System.out); // JIT, connection pools, JS contexts, journal files
            }
            Duration duration = options.containsKey("seconds") ? Duration.ofSeconds(Long.parseLong(options.get("seconds"))) : null;
            driver.send("measured", Integer.parseInt(options.getOrDefault("requests", "5000")), duration).print(System.out);
        }
    }

    /**
     * Sends {@code count} webhooks, or as many as fit in {@code duration} when it is given, waits for them at the
     * stand-in and reports what happened.
     */
    public Report send(String name, int count, Duration duration) throws Exception {
        return send(name, count, duration, concurrency);
    }

    /** As {@link #send(String, int, Duration)}, from {@code clients} connections instead of the driver's own number. */
    public Report send(String name, int count, Duration duration, int clients) throws Exception {
        String prefix = "msg_" + run + "_" + name.replaceAll("[^a-z]", "") + "_";
        loops.expect("dodo-" + prefix);
        int capacity = duration == null ? count : MAX_REQUESTS;
        long[] latencies = new long[capacity];
        boolean[] accepted = new boolean[capacity];
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();

        long start = System.nanoTime();
        long deadline = duration == null ? Long.MAX_VALUE : start + duration.toNanos();
        ExecutorService senders = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            URI target = urls.get(c % urls.size());
            senders.execute(() -> {
                Connection connection = new Connection(target);
                for (int i; System.nanoTime() < deadline && (i = next.getAndIncrement()) < capacity; ) {
                    long sent = System.nanoTime();
                    String outcome = post(connection, prefix + i);
                    latencies[i] = System.nanoTime() - sent;
                    accepted[i] = outcome.equals("202");
                    if (!accepted[i]) {
                        errors.computeIfAbsent(outcome, k -> new LongAdder()).increment();
                    }
                }
                connection.close();
            });
        }
        senders.shutdown();
        senders.awaitTermination(1, TimeUnit.DAYS);
        long ingressEnd = System.nanoTime();
        int sent = Math.min(next.get(), capacity);
        int deliveredDuringIngress = loops.distinct();

        long[] ok = java.util.stream.IntStream.range(0, sent).filter(i -> accepted[i]).mapToLong(i -> latencies[i]).sorted().toArray();
        // End to end: wait until every accepted webhook reached the stand-in, or nothing arrives for idleTimeout.
        while (loops.distinct() < ok.length
                && System.nanoTime() - Math.max(loops.lastArrival(), ingressEnd) < idleTimeout.toNanos()) {
            Thread.sleep(20);
        }
        long lastArrival = loops.lastArrival();
        int delivered = loops.distinct();
        Thread.sleep(2000); // room for a late duplicate to show up

        Map<String, Integer> received = loops.received();
        int missing = 0;
        int duplicated = 0;
        for (int i = 0; i < sent; i++) {
            int times = received.getOrDefault("dodo-" + prefix + i, 0);
            missing += accepted[i] && times == 0 ? 1 : 0;
            duplicated += times > 1 ? 1 : 0;
        }
        int unexpected = (int) received.keySet().stream().filter(k -> !isAccepted(k, prefix, accepted, sent)).count();
        Map<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((k, v) -> errorCounts.put(k, v.sum()));
        return new Report(name, sent, ok.length, errorCounts, (ingressEnd - start) / 1e9,
                percentile(ok, 50), percentile(ok, 90), percentile(ok, 99), percentile(ok, 99.9),
                ok.length == 0 ? 0 : ok[ok.length - 1], delivered, delivered == 0 ? 0 : (lastArrival - start) / 1e9,
                deliveredDuringIngress, Math.max(0, lastArrival - ingressEnd) / 1e9, loops.peakPerSecond(),
                missing, duplicated, unexpected);
    }

    @Override
    public void close() {
        loops.stop();
    }

    /** POSTs one signed webhook; the status code, or the exception's class name if there was no answer. */
    private String post(Connection connection, String id) {
        long timestamp = Instant.now().getEpochSecond();
        String head = "POST " + url.getRawPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":" + url.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                + "\r\nwebhook-id: " + id + "\r\nwebhook-timestamp: " + timestamp
                + "\r\nwebhook-signature: " + SendSample.signature(secret, id, timestamp, body) + "\r\n\r\n";
        try {
            return Integer.toString(connection.exchange(head.getBytes(StandardCharsets.US_ASCII), body));
        } catch (IOException e) {
            connection.close();
            return e.getClass().getSimpleName();
        }
    }

    private static boolean isAccepted(String key, String prefix, boolean[] accepted, int sent) {
        try {
            int i = Integer.parseInt(key.substring(("dodo-" + prefix).length()));
            return i >= 0 && i < sent && accepted[i];
        } catch (RuntimeException e) {
            return false;
        }
    }

    static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1)];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static Map<String, String> parse(String[] args) {
        Set<String> known = Set.of("url", "secret", "requests", "seconds", "concurrency", "warmup", "loops-port", "idle-timeout");
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].replaceFirst("^--", "");
            if (!args[i].startsWith("--") || !known.contains(name) || i + 1 == args.length) {
                throw new IllegalArgumentException("usage: --" + String.join(" <value> | --", known) + " <value>; got " + args[i]);
            }
            options.put(name, args[++i]);
        }
        return options;
    }

    /**
     * One keep-alive HTTP/1.1 connection, written and read with blocking socket calls. The driver shares the cores
     * with the bridge: the JDK's HttpClient spent 0.16 ms of CPU per request against 0.07 ms here (measured under
     * 32 connections; its selector thread hands every answer to the calling thread), CPU the bridge did not get.
     */
    private static final class Connection {
        private final URI url;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Connection(URI url) {
            this.url = url;
        }

        /** Sends one request and reads the whole answer; its status code. */
        int exchange(byte[] head, byte[] body) throws IOException {
            if (socket == null) {
                socket = new Socket(url.getHost(), url.getPort());
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(30_000);
                in = new BufferedInputStream(socket.getInputStream(), 8192);
                out = socket.getOutputStream();
            }
            byte[] request = Arrays.copyOf(head, head.length + body.length);
            System.arraycopy(body, 0, request, head.length, body.length);
            out.write(request);
            String status = line();
            long length = 0;
            boolean chunked = false;
            boolean close = false;
            for (String header; !(header = line()).isEmpty(); ) {
                String name = header.substring(0, Math.max(0, header.indexOf(':'))).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(header.indexOf(':') + 1).trim();
                switch (name) {
                    case "content-length" -> length = Long.parseLong(value);
                    case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                    case "connection" -> close = value.equalsIgnoreCase("close");
                    default -> { }
                }
            }
            if (chunked) {
                for (long size; (size = Long.parseLong(line().split(";")[0].trim(), 16)) > 0; ) {
                    in.skipNBytes(size);
                    line();
                }
                line();
            } else {
                in.skipNBytes(length);
            }
            if (close) {
                close();
            }
            return Integer.parseInt(status.split(" ")[1]);
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new EOFException("connection closed by the bridge");
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                if (socket != null) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing anyway
            } finally {
                socket = null;
            }
        }
    }

    /** Loops, as far as the bridge can tell: 200 {"success":true} to anything, counting Idempotency-Keys. */
    private static final class LoopsStandIn {
        private static final byte[] OK = "{\"success\":true}".getBytes(StandardCharsets.UTF_8);

        private final HttpServer server;
        private final Map<String, Integer> received = new ConcurrentHashMap<>();
        private final AtomicLong lastArrival = new AtomicLong();
        private final Queue<Long> arrivals = new ConcurrentLinkedQueue<>();
        private volatile String expected = "";

        LoopsStandIn(int port) throws IOException {
            // Without TCP_NODELAY the JDK server's separate header and body writes meet the client's delayed ACK:
            // every answer would take ~40 ms and cap delivery at ~25/s per consumer, measuring the stand-in, not the bridge.
            System.setProperty("sun.net.httpserver.nodelay", "true");
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 512);
            server.createContext("/", this::answer);
            server.setExecutor(Executors.newFixedThreadPool(8)); // the bridge sends with 4 consumers by default
            server.start();
            warmUp();
        }

        /**
         * Answers a few hundred requests of its own first, like an always-warm Loops: a cold stand-in answering the
         * bridge's first requests late would timestamp them together, and the rate figures would measure the stand-in.
         */
        private void warmUp() throws IOException {
            HttpClient client = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + "/api/v1/events/send"))
                    .header("Idempotency-Key", "stand-in-warm-up").POST(HttpRequest.BodyPublishers.ofString("{}")).build();
            try {
                for (int i = 0; i < 300; i++) {
                    client.send(request, HttpResponse.BodyHandlers.discarding());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        int port() {
            return server.getAddress().getPort();
        }

        /** Counts only keys of the current phase from now on, so a late warm-up request cannot blur the figures. */
        void expect(String keyPrefix) {
            expected = keyPrefix;
            received.clear();
            lastArrival.set(0);
            arrivals.clear();
        }

        /** The most requests of this phase that arrived within any one second. */
        int peakPerSecond() {
            long[] times = arrivals.stream().mapToLong(Long::longValue).sorted().toArray();
            int peak = 0;
            for (int first = 0, last = 0; last < times.length; last++) {
                while (times[last] - times[first] >= 1_000_000_000L) {
                    first++;
                }
                peak = Math.max(peak, last - first + 1);
            }
            return peak;
        }

        /** Distinct Idempotency-Keys of the current phase received so far. */
        int distinct() {
            return received.size();
        }

        long lastArrival() {
            return lastArrival.get();
        }

        Map<String, Integer> received() {
            return Map.copyOf(received);
        }

        private void answer(HttpExchange exchange) throws IOException {
            exchange.getRequestBody().readAllBytes();
            String key = String.valueOf(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            if (key.startsWith(expected)) {
                received.merge(key, 1, Integer::sum);
                long now = System.nanoTime();
                lastArrival.set(now);
                arrivals.add(now);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, OK.length);
            exchange.getResponseBody().write(OK);
            exchange.close();
        }

        void stop() {
            server.stop(0);
            ((ExecutorService) server.getExecutor()).shutdownNow();
        }
    }
}
