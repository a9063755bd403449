package io.dodoloops.bridge.admin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.stereotype.Component;

import io.dodoloops.bridge.BridgeProperties;
import io.dodoloops.bridge.EmailMask;
import io.dodoloops.bridge.ingress.WebhookProperties;
import io.dodoloops.bridge.loops.LoopsMode;
import io.dodoloops.bridge.loops.LoopsProperties;
import io.dodoloops.bridge.loops.LoopsReadApi;
import io.dodoloops.bridge.loops.LoopsReadApi.KeyCheck;
import io.dodoloops.bridge.loops.LoopsReadApi.TransactionalComparison;
import io.dodoloops.bridge.loops.LoopsReadApi.TransactionalEmail;
import io.dodoloops.bridge.loops.TransactionalEmails;
import io.dodoloops.bridge.routes.RoutesProperties;
import io.dodoloops.bridge.transform.JavaScriptTransforms;
import io.dodoloops.bridge.transform.TransformProperties;

/**
 * The preflight check ({@code GET /admin/check}, {@code java -jar <jar> check}): the troubleshooting list, one item
 * at a time, against this running bridge and Loops' read-only endpoints. It changes nothing and sends no email.
 */
@Component
public class Preflight {

    /** The customer-facing Dodo event types whose samples ship in the jar, under {@link #SAMPLES}. */
    static final List<String> EVENT_TYPES = List.of("payment.succeeded", "payment.failed", "subscription.active",
            "subscription.renewed", "subscription.on_hold", "subscription.plan_changed", "subscription.cancelled",
            "subscription.expired", "refund.succeeded");
    static final String SAMPLES = "/samples/dodo/";
    private static final Pattern SCRIPT_NAME = Pattern.compile("'([^'\\s]+\\.js)'");

    public enum Status { pass, fail, warn, info }

    public record Check(String item, Status status, String message, String hint) {
        static Check of(String item, Status status, String message) {
            return new Check(item, status, message, null);
        }
    }

    public record Report(boolean ok, List<Check> checks) {
    }

    private final DryRun dryRun;
    private final JavaScriptTransforms transforms;
    private final LoopsMode loops;
    private final LoopsReadApi loopsApi;
    private final int rateLimit;
    private final String webhookSecret;
    private final Path dataDir;
    private final Path routesDir;
    private final Path transformsDir;
    private final TransactionalEmails transactional;

    public Preflight(DryRun dryRun, JavaScriptTransforms transforms, LoopsMode loops, LoopsReadApi loopsApi,
                     TransactionalEmails transactional, LoopsProperties loopsSettings, WebhookProperties webhook,
                     BridgeProperties bridge, RoutesProperties routes, TransformProperties transformSettings) {
        this.dryRun = dryRun;
        this.transforms = transforms;
        this.loops = loops;
        this.loopsApi = loopsApi;
        this.rateLimit = loopsSettings.rateLimit();
        this.webhookSecret = webhook.secret();
        this.dataDir = bridge.dataDir();
        this.routesDir = routes.directory();
        this.transformsDir = Path.of(transformSettings.directory());
        this.transactional = transactional;
    }

    public Report run() {
        List<Check> checks = new ArrayList<>();
        checks.add(mode());
        KeyCheck key = apiKey(checks);
        checks.add(rateLimit(key));
        checks.add(webhookSecret());
        // The dry runs first: a transform that fails them is then reported by the transforms item too.
        List<Check> dryRuns = new ArrayList<>();
        Map<String, Map<String, Object>> requests = dryRuns(dryRuns);
        transforms(checks);
        checks.addAll(dryRuns);
        transactional(checks, requests, key);
        requests.values().stream().map(Preflight::eventName).filter(name -> name != null).distinct()
                .forEach(name -> checks.add(new Check("loop:" + name, Status.info,
                        "Loops has no API to tell whether a loop listens to event " + name + "; check it in the Loops dashboard",
                        null)));
        checks.add(new Check("contact-properties", Status.info,
                "contact properties the transforms set are not checked against Loops (GET /v1/contacts/properties could list them)",
                null));
        boolean ok = checks.stream().noneMatch(check -> check.status() == Status.fail);
        return new Report(ok, List.copyOf(checks));
    }

    private Check mode() {
        return loops.localMode()
                ? new Check("mode", Status.info, "local mode: nothing is sent to Loops; requests are written to "
                        + loops.outbox().toAbsolutePath(), "send them later with: java -jar <jar> outbox send")
                : Check.of("mode", Status.pass, "sending to Loops at " + loops.baseUrl());
    }

    /** The key line; the key's answer (for the rate limit), or null when there is none. */
    private KeyCheck apiKey(List<Check> checks) {
        if (loops.localMode()) {
            checks.add(new Check("api-key", Status.fail, "no Loops API key is configured (LOOPS_API_KEY is not set)",
                    "local mode: set LOOPS_API_KEY to send"));
            return null;
        }
        try {
            KeyCheck key = loopsApi.apiKey();
            if (key.valid()) {
                checks.add(Check.of("api-key", Status.pass, "Loops API key is valid (team " + key.teamName() + ")"));
            } else if (key.status() == 401) {
                checks.add(new Check("api-key", Status.fail, "the Loops API key is not valid or not active ("
                        + key.message() + ")", "check LOOPS_API_KEY; keys are generated and revoked in Loops under Settings → API"));
            } else {
                checks.add(new Check("api-key", Status.fail, "Loops answered " + key.status() + " to GET /v1/api-key: "
                        + key.message(), "check LOOPS_BASE_URL (" + loops.baseUrl() + ")"));
            }
            return key;
        } catch (IOException e) {
            checks.add(new Check("api-key", Status.fail, "cannot reach Loops at " + loops.baseUrl() + ": " + describe(e),
                    "check LOOPS_BASE_URL and this machine's network access to it"));
            return null;
        }
    }

    private Check rateLimit(KeyCheck key) {
        if (key == null || !key.valid()) {
            return Check.of("rate-limit", Status.info, "LOOPS_RATE_LIMIT is " + rateLimit
                    + "/s; not compared with Loops' limit (no answer from GET /v1/api-key)");
        }
        if (key.rateLimit() == null) {
            return Check.of("rate-limit", Status.info, "Loops sent no x-ratelimit-limit header; LOOPS_RATE_LIMIT is "
                    + rateLimit + "/s");
        }
        if (rateLimit > key.rateLimit()) {
            return new Check("rate-limit", Status.warn, "LOOPS_RATE_LIMIT is " + rateLimit + "/s but Loops allows "
                    + key.rateLimit() + "/s (x-ratelimit-limit): expect 429s and retries",
                    "set LOOPS_RATE_LIMIT=" + key.rateLimit() + " or lower");
        }
        return Check.of("rate-limit", Status.pass, "LOOPS_RATE_LIMIT " + rateLimit + "/s is within Loops' limit of "
                + key.rateLimit() + "/s");
    }

    private Check webhookSecret() {
        if (!webhookSecret.isBlank()) {
            int count = webhookSecret.trim().split("[\\s,]+").length;
            return Check.of("webhook-secret", Status.pass, "webhook secret configured (DODO_WEBHOOK_SECRET, "
                    + count + (count == 1 ? " secret)" : " secrets)"));
        }
        return new Check("webhook-secret", Status.warn, "DODO_WEBHOOK_SECRET is not set: webhooks are verified with the "
                + "development secret in " + dataDir.resolve("dev-webhook-secret").toAbsolutePath()
                + "; Dodo's real webhooks will fail the signature check",
                "set DODO_WEBHOOK_SECRET to the endpoint's secret from the Dodo dashboard");
    }

    private void transforms(List<Check> checks) {
        Set<String> named = scriptsNamedByRoutes();
        // Asked, not assumed: a script no event has used yet (subscription_reactivated.js has no sample) is read now.
        Set<String> serving = new TreeSet<>(named.stream().filter(transforms::loads).toList());
        // The health's keys ("transforms/payment_failed.js") by script name, as the routes name them.
        String directory = transforms.files().key("");
        Map<String, String> problems = new TreeMap<>();
        transforms.files().problems().forEach((file, problem) -> problems.put(file.substring(directory.length()), problem));
        for (String script : named) {
            String problem = problems.get(script);
            if (problem != null) {
                checks.add(new Check("transform:" + script, Status.fail, "transform " + script + ": " + firstLine(EmailMask.mask(problem)),
                        "fix the file in the transforms directory; the bridge loads it within a second"));
            } else if (serving.contains(script)) {
                checks.add(Check.of("transform:" + script, Status.pass, "transform " + script + " loads"));
            } else {
                checks.add(new Check("transform:" + script, Status.fail, "transform " + script
                        + " is named by a route but not loaded", "add the file to the transforms directory"));
            }
        }
        problems.forEach((script, problem) -> {
            if (!named.contains(script)) {
                checks.add(Check.of("transform:" + script, Status.warn, "transform " + script
                        + " (named by no route): " + firstLine(EmailMask.mask(problem))));
            }
        });
    }

    /** The JavaScript files the route files name, e.g. {@code transform(${body}, 'payment_failed.js')}. */
    private Set<String> scriptsNamedByRoutes() {
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.list(routesDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                Matcher m = SCRIPT_NAME.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        } catch (IOException unreadable) {
            // The routes' own health reports an unreadable directory.
        }
        return names;
    }

    /** A dry run of each shipped sample; the Loops request bodies produced, by event type, for the later items. */
    private Map<String, Map<String, Object>> dryRuns(List<Check> checks) {
        Map<String, Map<String, Object>> requests = new LinkedHashMap<>();
        for (String type : EVENT_TYPES) {
            byte[] sample = sample(type);
            if (sample == null) {
                checks.add(Check.of("event:" + type, Status.fail, type + ": the sample is missing from the jar"));
                continue;
            }
            Map<String, Object> answer;
            try {
                answer = dryRun.run(sample, "preflight-check");
            } catch (DryRun.NotReadyException e) {
                checks.add(new Check("event:" + type, Status.fail, type + ": " + e.getMessage(),
                        "wait until the bridge has started, then check again"));
                continue;
            }
            String outcome = String.valueOf(answer.get("outcome"));
            switch (outcome) {
                case "send", "outbox" -> {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> http = (Map<String, Object>) answer.get("request");
                    checks.add(request(type, http));
                    if (http != null && http.get("body") instanceof Map<?, ?> body) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> typed = (Map<String, Object>) body;
                        requests.put(type, typed);
                    }
                }
                case "ignored" -> checks.add(Check.of("event:" + type, Status.info, type + ": not sent ("
                        + answer.get("reason") + ")"));
                default -> checks.add(new Check("event:" + type, Status.fail, type + ": " + outcome + ": "
                        + firstLine(EmailMask.mask(String.valueOf(answer.get("reason")))),
                        "dry-run it: java -jar <jar> dry-run " + type));
            }
        }
        return requests;
    }

    private static Check request(String type, Map<String, Object> http) {
        Object body = http == null ? null : http.get("body");
        if (!(body instanceof Map<?, ?> fields)) {
            return Check.of("event:" + type, Status.fail, type + ": the transform made a request without a JSON body");
        }
        String email = text(fields.get("email"));
        String who = email != null ? EmailMask.mask(email) : text(fields.get("userId")) != null ? "userId " + fields.get("userId") : null;
        String target = text(fields.get("eventName")) != null ? (String) fields.get("eventName")
                : text(fields.get("transactionalId")) != null ? "transactional " + fields.get("transactionalId") : null;
        if (target == null || who == null) {
            return new Check("event:" + type, Status.fail, type + ": the Loops request has no "
                    + (target == null ? "eventName" : "email or userId"), "dry-run it: java -jar <jar> dry-run " + type);
        }
        return Check.of("event:" + type, Status.pass, type + " → " + target + " for " + who);
    }

    /**
     * Each {@code LOOPS_TRANSACTIONAL_<EVENTNAME>}: a transform sends it (else it is a typo or an event name no
     * transform has), the email exists in Loops with the data variables the transform sends, and what is lost when a
     * subscription event goes out as a transactional email (the contact properties).
     */
    private void transactional(List<Check> checks, Map<String, Map<String, Object>> requests, KeyCheck key) {
        Map<String, String> configured = transactional.variables();
        if (configured.isEmpty()) {
            checks.add(Check.of("transactional", Status.info, "no transactional emails configured: every email is a Loops"
                    + " event (" + TransactionalEmails.PREFIX + "<EVENTNAME>=<transactionalId> sends one as a transactional email)"));
            return;
        }
        List<TransactionalEmail> emails = null;
        String unlisted = key == null || !key.valid() ? "no valid Loops API key" : null;
        if (unlisted == null) {
            try {
                emails = loopsApi.transactionalEmails();
            } catch (IOException e) {
                checks.add(Check.of("transactional", Status.fail, "cannot list Loops' transactional emails: " + describe(e)));
                unlisted = "Loops' list of transactional emails could not be read";
            }
        }
        String readers = transformsReading();
        for (Map.Entry<String, String> entry : configured.entrySet()) {
            String variable = entry.getKey();
            String id = entry.getValue();
            String item = "transactional:" + variable;
            Map<String, Map<String, Object>> sent = new LinkedHashMap<>();
            requests.forEach((type, body) -> {
                if (id.equals(body.get("transactionalId"))) {
                    sent.put(type, body);
                }
            });
            if (sent.isEmpty()) {
                checks.add(readers.contains(variable)
                        ? Check.of(item, Status.warn, variable + "=" + id + ": no sample's dry run sends it, so the email"
                                + " and its data variables were not compared")
                        : new Check(item, Status.fail, variable + " is set, but no transform reads it",
                                "name it after an event the transforms send: " + eventVariables(requests)));
                continue;
            }
            Map<String, Object> body = sent.values().iterator().next();
            if (unlisted != null) {
                checks.add(Check.of(item, Status.info, variable + "=" + id + " not checked against Loops: " + unlisted));
            } else {
                Set<String> variables = body.get("dataVariables") instanceof Map<?, ?> map
                        ? new LinkedHashSet<>(map.keySet().stream().map(String::valueOf).toList()) : new LinkedHashSet<>();
                checks.add(transactionalCheck(item, variable, LoopsReadApi.compare(id, variables, emails)));
            }
            sent.keySet().stream().filter(type -> type.startsWith("subscription.")).forEach(type -> checks.add(new Check(
                    item + ":" + type, Status.warn, type + " is sent as transactional email " + id + ", which does not"
                    + " update the contact: subscriptionStatus, subscriptionProductId and subscriptionNextBilling stay as they were",
                    "unset " + variable + " if segments or loops use these contact properties")));
        }
    }

    /** The text of every transform script a route names and of the Java ones, to see which variables they read. */
    private String transformsReading() {
        StringBuilder text = new StringBuilder(TransactionalEmails.variableFor("subscription_welcome")); // SubscriptionWelcomeTransform
        for (String script : scriptsNamedByRoutes()) {
            try {
                text.append('\n').append(Files.readString(transformsDir.resolve(script)));
            } catch (IOException | RuntimeException unreadable) {
                // the transforms item reports it
            }
        }
        return text.toString();
    }

    private static String eventVariables(Map<String, Map<String, Object>> requests) {
        return String.join(", ", requests.values().stream().map(Preflight::eventName).filter(name -> name != null)
                .distinct().map(TransactionalEmails::variableFor).toList());
    }

    public static Check transactionalCheck(String item, String variable, TransactionalComparison comparison) {
        if (!comparison.found()) {
            return new Check(item, Status.fail, "no transactional email with id " + comparison.transactionalId()
                    + " in Loops (" + variable + ")", "copy the id of a published email from the Loops dashboard");
        }
        String email = "transactional email " + comparison.email().name() + " (" + comparison.transactionalId() + ", " + variable + ")";
        if (comparison.matches()) {
            return Check.of(item, Status.pass, email + " declares exactly the data variables the transform sends");
        }
        List<String> parts = new ArrayList<>();
        if (!comparison.missing().isEmpty()) {
            parts.add("missing " + String.join(", ", comparison.missing()) + " (declared by the email, not sent)");
        }
        if (!comparison.extra().isEmpty()) {
            parts.add("extra " + String.join(", ", comparison.extra()) + " (sent, not declared by the email)");
        }
        return new Check(item, Status.fail, email + ": " + String.join("; ", parts),
                "make the transform and the email's data variables agree");
    }

    private static String eventName(Map<String, Object> body) {
        return text(body.get("eventName"));
    }

    /** One line per item: a syntax error's source excerpt and caret stay in the dry run and the log. */
    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline).stripTrailing();
    }

    private static String text(Object value) {
        return value instanceof String s && !s.isBlank() ? s : null;
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static byte[] sample(String type) {
        try (InputStream in = Preflight.class.getResourceAsStream(SAMPLES + type + ".json")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            return null;
        }
    }

    /** For the command line: ✓ pass, ✗ fail, ! warning, – information. */
    static String symbol(String status) {
        return switch (status) {
            case "pass" -> "✓";
            case "fail" -> "✗";
            case "warn" -> "!";
            default -> "–";
        };
    }
}
