package io.dodoloops.bridge.admin;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.dodoloops.bridge.Settings;
import io.dodoloops.bridge.loops.OutboxSend;

/**
 * The operator's command line: asks a running bridge, over its management port, for a dry run or about its dead
 * letters. {@code java -jar dodo-loops-bridge.jar help} lists the commands.
 */
public final class BridgeCli {

    private static final Set<String> COMMANDS = Set.of("check", "dry-run", "dead-letters", "outbox", "help");
    private static final String USAGE = """
            usage: java -jar dodo-loops-bridge.jar <command>      (against a running bridge's management port)
              check           preflight: the Loops key, transforms, a dry run of each customer-facing event type,
                              rate limit, mode, webhook secret; exit 0 nothing failed, 1 something failed, 2 no bridge
              dry-run <file | sample event type> [--webhook-id ID]   what the bridge would send to Loops, nothing sent
              dead-letters list [--event-type T] [--since ISO-8601] [--until ISO-8601]
              dead-letters show <webhook-id>
              dead-letters replay <webhook-id>
              dead-letters replay --all [--event-type T] [--since ISO-8601] [--until ISO-8601]
              outbox send     sends what local mode recorded in $BRIDGE_DATA_DIR/outbox.jsonl (default ./data) to Loops:
                              needs LOOPS_API_KEY; LOOPS_BASE_URL, LOOPS_RATE_LIMIT as for the bridge; each line once,
                              also over several runs (progress in outbox.sent); no management port needed
            options: --management-url URL (default $BRIDGE_MANAGEMENT_URL, else http://127.0.0.1:$MANAGEMENT_PORT, port 8081)
            credentials, when the bridge has them: $BRIDGE_ADMIN_USER, $BRIDGE_ADMIN_PASSWORD
            """;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final PrintStream out;
    private final String managementUrl;

    private final String authorization;

    BridgeCli(String managementUrl, PrintStream out) {
        this(managementUrl, out, basicAuthorization(System.getenv("BRIDGE_ADMIN_USER"), System.getenv("BRIDGE_ADMIN_PASSWORD")));
    }

    /** @param authorization the Authorization header for the management port, or null when it needs none */
    BridgeCli(String managementUrl, PrintStream out, String authorization) {
        this.managementUrl = managementUrl.replaceAll("/+$", "");
        this.out = out;
        this.authorization = authorization;
    }

    static String basicAuthorization(String user, String password) {
        return user == null || user.isBlank() ? null : "Basic " + java.util.Base64.getEncoder()
                .encodeToString((user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether these arguments are for the command line rather than the bridge: the first one is a word, not an
     * option ({@code --spring.x=y} starts the bridge). An unknown word is a typo to report, never a second bridge.
     */
    public static boolean isCommand(String[] args) {
        return args.length > 0 && !args[0].startsWith("-");
    }

    /** A command line split into its words and its {@code --name value} options ({@code --all} takes no value). */
    record Invocation(List<String> words, Map<String, String> options) {
        static Invocation parse(String[] args) {
            Map<String, String> options = new LinkedHashMap<>();
            List<String> words = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                if (args[i].startsWith("--")) {
                    String name = args[i].substring(2);
                    options.put(name, name.equals("all") || i + 1 >= args.length ? "true" : args[++i]);
                } else {
                    words.add(args[i]);
                }
            }
            return new Invocation(words, options);
        }
    }

    /** Runs one command; the process exit code (0 done, 1 refused or failed, 2 usage). */
    public static int run(String[] args) {
        if (args.length > 0 && !COMMANDS.contains(args[0])) {
            System.err.println("unknown command '" + args[0] + "'");
            return usage();
        }
        Invocation invocation = Invocation.parse(args);
        String url = invocation.options().getOrDefault("management-url", defaultManagementUrl());
        try {
            return new BridgeCli(url, System.out).execute(invocation.words(), invocation.options());
        } catch (IOException e) {
            System.err.println("Cannot reach the bridge's management port at " + url + ": " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    int execute(List<String> words, Map<String, String> options) throws IOException, InterruptedException {
        String command = words.isEmpty() ? "help" : String.join(" ", words.subList(0, Math.min(2, words.size())));
        String argument = words.size() > 2 ? words.get(2) : null;
        switch (command.startsWith("dry-run") ? "dry-run" : command) {
            case "help" -> {
                out.print(USAGE);
                return 0;
            }
            case "dry-run" -> {
                if (words.size() != 2) {
                    return usage();
                }
                byte[] body = eventBody(words.get(1));
                if (body == null) {
                    System.err.println("No file and no sample named '" + words.get(1) + "' (a sample is a Dodo event type,"
                            + " e.g. payment.succeeded: the jar ships one of each, also in src/main/resources" + Preflight.SAMPLES + ")");
                    return 2;
                }
                return print(send(HttpRequest.newBuilder(uri("/admin/dry-run", query(options, "webhook-id")))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body))));
            }
            case "check" -> {
                return words.size() == 1 ? check() : usage();
            }
            case "outbox send" -> {
                // Talks to Loops, not to a bridge: configured by the environment, as the bridge is.
                return words.size() == 2 ? OutboxSend.run(Settings.environment(), out, System.err) : usage();
            }
            case "dead-letters list" -> {
                return print(send(HttpRequest.newBuilder(uri("/admin/dead-letters", query(options, "event-type", "since", "until"))).GET()));
            }
            case "dead-letters show" -> {
                return argument == null ? usage() : print(send(HttpRequest.newBuilder(uri("/admin/dead-letters/" + encode(argument), "")).GET()));
            }
            case "dead-letters replay" -> {
                if (options.containsKey("all")) {
                    return print(send(HttpRequest.newBuilder(uri("/admin/dead-letters/replay",
                            query(options, "event-type", "since", "until"))).POST(HttpRequest.BodyPublishers.noBody())));
                }
                return argument == null ? usage() : print(send(HttpRequest.newBuilder(
                        uri("/admin/dead-letters/" + encode(argument) + "/replay", "")).POST(HttpRequest.BodyPublishers.noBody())));
            }
            default -> {
                return usage();
            }
        }
    }

    /**
     * Prints the bridge's preflight check, one line per item: ✓ passed, ✗ failed, ! warning, – for information.
     * Exit code 0 when nothing failed, 1 when something did, 2 when the bridge could not be asked.
     */
    private int check() throws InterruptedException {
        HttpResponse<String> response;
        try {
            response = send(HttpRequest.newBuilder(uri("/admin/check", "")).GET());
        } catch (IOException e) {
            System.err.println("Cannot reach the bridge's management port at " + managementUrl + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return 2;
        }
        com.fasterxml.jackson.databind.JsonNode report;
        try {
            report = json.readTree(response.body());
        } catch (IOException notJson) {
            report = null;
        }
        if (response.statusCode() != 200 || report == null || !report.path("checks").isArray()) {
            System.err.println("The bridge at " + managementUrl + " answered " + response.statusCode() + ": " + response.body());
            return 2;
        }
        int failed = 0;
        int warnings = 0;
        for (com.fasterxml.jackson.databind.JsonNode check : report.get("checks")) {
            String status = check.path("status").asText();
            failed += status.equals("fail") ? 1 : 0;
            warnings += status.equals("warn") ? 1 : 0;
            String hint = check.path("hint").isTextual() ? "  → " + check.get("hint").asText() : "";
            out.println(Preflight.symbol(status) + " " + check.path("message").asText() + hint);
        }
        out.println(failed == 0 ? "check: passed" + (warnings > 0 ? " with " + warnings + (warnings == 1 ? " warning" : " warnings") : "")
                : "check: " + failed + (failed == 1 ? " item failed" : " items failed"));
        return report.path("ok").asBoolean(false) && failed == 0 ? 0 : 1;
    }

    /** A file, or the name of a sample event type, e.g. payment.succeeded (the samples ship in the jar). */
    static byte[] eventBody(String fileOrSample) throws IOException {
        Path file = Path.of(fileOrSample);
        if (Files.isRegularFile(file)) {
            return Files.readAllBytes(file);
        }
        try (java.io.InputStream shipped = fileOrSample.matches("[a-z_.]+")
                ? BridgeCli.class.getResourceAsStream(Preflight.SAMPLES + fileOrSample + ".json") : null) {
            return shipped == null ? null : shipped.readAllBytes();
        }
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        request.header(ManagementAccess.ADMIN_HEADER, "1"); // the bridge refuses a state change without it
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private int print(HttpResponse<String> response) throws IOException {
        String body = response.body();
        try {
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(json.readTree(body)));
        } catch (IOException notJson) {
            out.println(body);
        }
        return response.statusCode() / 100 == 2 ? 0 : 1;
    }

    private URI uri(String path, String query) {
        return URI.create(managementUrl + path + (query.isEmpty() ? "" : "?" + query));
    }

    /** Options named on the command line with dashes, as the endpoint's camelCase query parameters. */
    private static String query(Map<String, String> options, String... names) {
        return java.util.Arrays.stream(names).filter(options::containsKey)
                .map(name -> camelCase(name) + "=" + encode(options.get(name))).collect(Collectors.joining("&"));
    }

    private static String camelCase(String dashed) {
        int dash = dashed.indexOf('-');
        return dash < 0 ? dashed : dashed.substring(0, dash) + Character.toUpperCase(dashed.charAt(dash + 1))
                + camelCase(dashed.substring(dash + 2));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static int usage() {
        System.err.print(USAGE);
        return 2;
    }

    private static String defaultManagementUrl() {
        String configured = System.getenv("BRIDGE_MANAGEMENT_URL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        String port = System.getenv("MANAGEMENT_PORT");
        return "http://127.0.0.1:" + (port == null || port.isBlank() ? "8081" : port);
    }
}
