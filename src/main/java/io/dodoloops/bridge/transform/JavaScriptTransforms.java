package io.dodoloops.bridge.transform;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dodoloops.bridge.edits.FileWatcher;
import io.dodoloops.bridge.edits.WatchedDirectory;
import io.dodoloops.bridge.loops.InvalidLoopsRequestException;
import io.dodoloops.bridge.loops.LoopsProperties;
import io.dodoloops.bridge.loops.LoopsRequest;
import io.dodoloops.bridge.loops.TransactionalEmails;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Runs a JavaScript transform written in the Dodo dashboard's (Svix's) contract: the script's
 * {@code handler(webhook)} gets {@code {eventType, payload, url, method, env}} and returns it with {@code url} and
 * {@code payload} set to the Loops request, or with {@code cancel = true} to send nothing.
 * <p>
 * Two mistakes of the Dodo dashboard template are corrected, with one warning per script: its Loops URL
 * ({@code https://api.loops.so/v1/events/send} instead of the configured base URL) and its {@code properties}
 * (Loops reads {@code eventProperties}).
 * <p>
 * A script is read at its first event, and again when the {@link FileWatcher} hands over an edit (within about
 * two {@code bridge.live-edits.check-interval}s): events never touch the file. A broken edit leaves the previous
 * version serving and is one of {@link #files()}' problems (and of the {@code transforms} health).
 */
@Component("javascript")
public class JavaScriptTransforms implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(JavaScriptTransforms.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsSandbox sandbox;
    private final ScriptDirectory scripts;
    private final LoopsUrls urls;
    private final JsonNode env;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    @Autowired
    public JavaScriptTransforms(TransformProperties properties, TransactionalEmails transactional, LoopsProperties loops,
                                FileWatcher watcher) {
        this(properties, transactional, loops.base());
        watcher.watch(scripts.files());
    }

    /** Without Spring: a script is read at its first event; edits apply only while a FileWatcher watches {@link #files()}. */
    public JavaScriptTransforms(TransformProperties properties, TransactionalEmails transactional, String loopsBaseUrl) {
        this.urls = new LoopsUrls(loopsBaseUrl);
        Map<String, String> scriptEnv = new LinkedHashMap<>(properties.scriptEnv());
        scriptEnv.putAll(transactional.variables()); // webhook.env.LOOPS_TRANSACTIONAL_<EVENTNAME>
        this.env = JSON.valueToTree(scriptEnv);
        this.sandbox = new JsSandbox(properties.statementLimit(), properties.timeLimit());
        this.scripts = new ScriptDirectory(Path.of(properties.directory()), sandbox);
    }

    /** With no transactional emails configured (every email a Loops event), for code that runs without Spring. */
    public JavaScriptTransforms(TransformProperties properties, String loopsBaseUrl) {
        this(properties, TransactionalEmails.none(), loopsBaseUrl);
    }

    /**
     * The transforms directory, for a {@link FileWatcher} to watch; its problems are the scripts whose file is broken,
     * missing or unreadable, e.g. {@code transforms/payment_failed.js -> the edit at line 3 does not compile
     * (SyntaxError: ...); still running the previous version}.
     */
    public WatchedDirectory files() {
        return scripts.files();
    }

    /**
     * Whether the script serves events, reading it now, as its first event would, if nothing has yet; when it does
     * not, what is wrong is among {@link #files()}' problems.
     */
    public boolean loads(String script) {
        try {
            scripts.get(script);
            return true;
        } catch (TransformException notServing) {
            return false;
        }
    }

    /** The scripts loaded and ready to serve, by file name. */
    public List<String> loadedScripts() {
        return scripts.loaded();
    }

    /**
     * The Loops request the script makes of this event, or {@code null} when the script sets {@code cancel = true}.
     *
     * @param script file name in {@code bridge.transforms.directory}, e.g. {@code payment_confirmation.js}
     * @throws TransformException          when the script is missing, broken, throws, runs too long or returns
     *                                     something that is not a request to Loops
     * @throws InvalidLoopsRequestException when the body it builds is one Loops would reject
     */
    public LoopsRequest transform(DodoEvent event, String script) {
        String resultJson = scripts.get(script).call(webhookJson(event));
        ObjectNode webhook = asObject(resultJson, script);
        if (webhook.path("cancel").isBoolean() && webhook.get("cancel").booleanValue()) {
            return null;
        }
        String method = webhook.path("method").asText("POST");
        if (!"POST".equalsIgnoreCase(method)) {
            throw new TransformException("transform " + script + " set method to " + method + "; Loops endpoints take POST");
        }
        LoopsUrls.Target target = urls.resolve(webhook.path("url").isTextual() ? webhook.get("url").asText() : null, script);
        if (target.rewritten()) {
            warnOnce(script, "url", "transform {} uses the Loops URL {} (the Dodo dashboard template's is wrong);"
                    + " sending to the configured Loops base URL {} instead", script, target.shown(), urls.baseUrl());
        }
        Map<String, Object> body = loopsBody(webhook.get("payload"), script);
        if (LoopsRequest.EVENTS_SEND.equals(target.path())) {
            moveDashboardProperties(body, script);
        }
        try {
            return new LoopsRequest(target.path(), body);
        } catch (InvalidLoopsRequestException e) {
            throw new InvalidLoopsRequestException("transform " + script + ": " + e.getMessage());
        }
    }

    private String webhookJson(DodoEvent event) {
        ObjectNode webhook = JSON.createObjectNode();
        webhook.put("eventType", event.type());
        webhook.set("payload", event.envelope());
        webhook.put("url", urls.defaultUrl());
        webhook.put("method", "POST");
        webhook.set("env", env);
        try {
            return JSON.writeValueAsString(webhook);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a parsed webhook", e);
        }
    }

    private static ObjectNode asObject(String json, String script) {
        JsonNode result;
        try {
            result = json == null ? null : JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON.stringify produced unparseable JSON", e);
        }
        if (result instanceof ObjectNode object) {
            return object;
        }
        throw new TransformException("transform " + script + ": handler must return the webhook object, but returned "
                + kind(result));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> loopsBody(JsonNode payload, String script) {
        if (!(payload instanceof ObjectNode)) {
            throw new TransformException("transform " + script + " must set webhook.payload to the Loops request body"
                    + " object, but it is " + kind(payload));
        }
        return JSON.convertValue(payload, LinkedHashMap.class);
    }

    /** The dashboard template's {@code properties} are what Loops calls {@code eventProperties}. */
    @SuppressWarnings("unchecked")
    private void moveDashboardProperties(Map<String, Object> body, String script) {
        if (!body.containsKey("properties")) {
            return;
        }
        Object properties = body.remove("properties");
        Object eventProperties = body.get("eventProperties");
        if (properties instanceof Map<?, ?> moved && (eventProperties == null || eventProperties instanceof Map)) {
            Map<String, Object> merged = new LinkedHashMap<>(eventProperties == null ? Map.of() : (Map<String, Object>) eventProperties);
            ((Map<String, Object>) moved).forEach(merged::putIfAbsent);
            body.put("eventProperties", merged);
            warnOnce(script, "properties", "transform {} puts event data under 'properties' (as the Dodo dashboard"
                    + " template does); sending it as 'eventProperties', which is what Loops reads", script);
        } else {
            throw new TransformException("transform " + script + " set payload.properties to " + kind(JSON.valueToTree(properties))
                    + "; Loops event data belongs in an eventProperties object");
        }
    }

    private void warnOnce(String script, String what, String message, Object... args) {
        if (warned.add(script + '\u0000' + what)) {
            log.warn(message, args);
        }
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "undefined";
        }
        return node.isObject() ? "an object" : node.isArray() ? "an array" : node.isNull() ? "null" : "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    @PreDestroy
    @Override
    public void close() {
        scripts.close(); // waits for a check that may be loading a script
        sandbox.close();
    }
}
