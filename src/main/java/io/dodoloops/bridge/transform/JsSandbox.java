package io.dodoloops.bridge.transform;

import java.time.Duration;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one GraalJS engine of the app and the locked-down contexts transforms run in. Sharing the engine lets every
 * context reuse the parsed scripts; each context gets no host, file, thread, process, environment or polyglot
 * access, only the JSON it is handed and the helper functions {@code formatAmount}, {@code formatDate} and
 * {@code asTransactional}.
 */
final class JsSandbox implements AutoCloseable {

    private static final Logger CONSOLE = LoggerFactory.getLogger("io.dodoloops.bridge.transform.console");

    // HostAccess.NONE, minus the mutable collection mappings the CONSTRAINED policy rejects; only JSON text and
    // the two helper functions (proxies, which need no host access) ever reach a script.
    private static final HostAccess NO_HOST_ACCESS = HostAccess.newBuilder(HostAccess.NONE).allowMutableTargetMappings().build();

    // asTransactional(webhook, transactionalId): the event a script built, as that transactional email (or unchanged
    // when the id is unset), the same change LoopsRequest.asTransactional makes for Java transforms. In JavaScript,
    // because it edits the script's own webhook object.
    private static final Source HELPERS = Source.newBuilder("js", """
            function asTransactional(webhook, transactionalId) {
              if (!transactionalId) {
                return webhook;
              }
              const events = "/v1/events/send";
              const url = String(webhook.url);
              if (!url.endsWith(events)) {
                throw new Error("asTransactional: webhook.url must be the Loops events endpoint (" + events + "), not " + url);
              }
              const event = webhook.payload || {};
              webhook.url = url.slice(0, url.length - events.length) + "/v1/transactional";
              webhook.payload = { transactionalId: transactionalId, email: event.email, dataVariables: event.eventProperties || {} };
              return webhook;
            }
            """, "bridge-helpers.js").internal(true).buildLiteral();

    private final Engine engine;
    // One instance for all contexts: a shared engine requires the same statement-limit source filter everywhere.
    private final ResourceLimits limits;
    private final long statementLimit;
    private final TimeLimit timeLimit;
    private volatile boolean closed;

    JsSandbox(long statementLimit, Duration timeLimit) {
        this.statementLimit = statementLimit;
        this.timeLimit = new TimeLimit(timeLimit);
        this.limits = ResourceLimits.newBuilder().statementLimit(statementLimit, null).build();
        this.engine = Engine.newBuilder("js")
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(new ConsoleLines(CONSOLE, false, "transform"))
                .err(new ConsoleLines(CONSOLE, true, "transform"))
                .option("engine.WarnInterpreterOnly", "false") // plain JDK 17 has no Graal compiler; that is expected
                .build();
    }

    long statementLimit() {
        return statementLimit;
    }

    TimeLimit timeLimit() {
        return timeLimit;
    }

    boolean isClosed() {
        return closed;
    }

    /** A fresh context for one script; console output goes to the log under the script's name. */
    Context newContext(String script) {
        if (closed) {
            throw new TransformException("transform " + script + " not run: the bridge is shutting down");
        }
        Context context = Context.newBuilder("js")
                .engine(engine)
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(new ConsoleLines(CONSOLE, false, "transform " + script))
                .err(new ConsoleLines(CONSOLE, true, "transform " + script))
                .allowHostAccess(NO_HOST_ACCESS)
                .allowHostClassLookup(className -> false)
                .allowHostClassLoading(false)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowNativeAccess(false)
                .allowCreateProcess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .resourceLimits(limits)
                .build();
        Value globals = context.getBindings("js");
        globals.putMember("formatAmount", formatAmount());
        globals.putMember("formatDate", formatDate());
        context.eval(HELPERS);
        return context;
    }

    /** {@code formatAmount(amount, currency)}: see {@link Amounts#format}. */
    private static ProxyExecutable formatAmount() {
        return args -> {
            Value amount = args.length > 0 ? args[0] : null;
            if (amount == null || !amount.isNumber() || !amount.fitsInLong()) {
                throw new IllegalArgumentException("formatAmount(amount, currency): amount must be an integer in the"
                        + " currency's smallest unit (e.g. cents), got " + describe(amount));
            }
            Value currency = args.length > 1 ? args[1] : null;
            return Amounts.format(amount.asLong(), currency != null && currency.isString() ? currency.asString() : null);
        };
    }

    /** {@code formatDate(timestamp)}: see {@link IsoDates#utcDate}. */
    private static ProxyExecutable formatDate() {
        return args -> {
            Value timestamp = args.length > 0 ? args[0] : null;
            if (timestamp == null || timestamp.isNull()) {
                return "";
            }
            if (!timestamp.isString()) {
                throw new IllegalArgumentException("formatDate(timestamp): timestamp must be an ISO-8601 string, got "
                        + describe(timestamp));
            }
            return IsoDates.utcDate(timestamp.asString());
        };
    }

    private static String describe(Value value) {
        if (value == null || value.isNull()) {
            return "nothing";
        }
        return value.isNumber() || value.isBoolean() ? value.toString() : "a " + value.getMetaObject().getMetaSimpleName();
    }

    @Override
    public void close() {
        closed = true;
        timeLimit.close();
        engine.close(true); // cancels contexts still running and closes the rest
    }
}
