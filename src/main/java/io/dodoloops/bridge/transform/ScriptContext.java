package io.dodoloops.bridge.transform;

import java.util.regex.Pattern;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

/**
 * One sandboxed context that has evaluated exactly one transform script (so two scripts that both define
 * {@code handler} never meet), with its {@code handler} wrapped once. Single-threaded: callers borrow it from a
 * {@link ScriptVersion}.
 */
final class ScriptContext implements AutoCloseable {

    // Only JSON text crosses the boundary, so no host object ever reaches the script.
    private static final Source CALL = Source.newBuilder("js", """
            (function (handler) {
              return function (webhookJson) {
                const webhook = JSON.parse(webhookJson);
                const result = handler(webhook);
                return JSON.stringify(result === undefined ? webhook : result);
              };
            })
            """, "bridge-call.js").internal(true).buildLiteral();

    private final String script;
    private final JsSandbox sandbox;
    private final Context context;
    private final TimeLimit.Watch watch;
    private final Value call;
    private boolean usable = true;

    private ScriptContext(String script, JsSandbox sandbox, Context context, TimeLimit.Watch watch, Value call) {
        this.script = script;
        this.sandbox = sandbox;
        this.context = context;
        this.watch = watch;
        this.call = call;
    }

    /**
     * Evaluates the script in a new context.
     *
     * @throws ScriptLoadException when the script's text is at fault (syntax, top-level error, no handler)
     */
    static ScriptContext open(JsSandbox sandbox, Source source) {
        String script = source.getName();
        Context context = sandbox.newContext(script);
        TimeLimit.Watch watch = sandbox.timeLimit().watch(context);
        try {
            watch.start();
            context.eval(source);
            Value handler = context.getBindings("js").getMember("handler");
            if (handler == null || !handler.canExecute()) {
                throw new ScriptLoadException("transform " + script + " defines no function handler(webhook)",
                        "defines no function handler(webhook)", null);
            }
            Value call = context.eval(CALL).execute(handler);
            if (watch.stop()) { // cancelled as it finished: the context is closed
                throw new ScriptLoadException(timedOut(script, sandbox).getMessage(), timedOutWhenLoaded(sandbox), null);
            }
            return new ScriptContext(script, sandbox, context, watch, call);
        } catch (PolyglotException e) {
            Failure kind = Failure.of(e, watch.stop(), sandbox);
            discard(context, watch);
            TransformException failure = failure(script, e, kind, sandbox);
            if (kind == Failure.SHUTDOWN) {
                throw failure; // stopped by the shutdown, not by the text
            }
            throw new ScriptLoadException(failure.getMessage(), loadProblem(script, e, kind, sandbox), e);
        } catch (RuntimeException e) {
            watch.stop();
            discard(context, watch);
            throw e;
        }
    }

    /** Runs {@code handler} on the webhook JSON and returns the JSON of what it returned. */
    String call(String webhookJson) {
        try {
            context.resetLimits(); // the statement count accumulates over the life of the context
            watch.start();
            Value result = call.execute(webhookJson);
            String json = result.isString() ? result.asString() : null; // JSON.stringify gives undefined for e.g. functions
            if (watch.stop()) { // cancelled as it finished: the context is closed
                usable = false;
                throw timedOut(script, sandbox);
            }
            return json;
        } catch (PolyglotException e) {
            Failure kind = Failure.of(e, watch.stop(), sandbox);
            // A script error leaves the context intact; a cancelled (statement or time limit) or crashed one is unusable.
            usable = kind == Failure.SCRIPT;
            throw failure(script, e, kind, sandbox);
        } catch (RuntimeException e) {
            if (watch.stop()) { // e.g. reading the result of a context the time limit closed
                usable = false;
                throw timedOut(script, sandbox);
            }
            throw e;
        }
    }

    boolean isUsable() {
        return usable;
    }

    @Override
    public void close() {
        usable = false;
        discard(context, watch);
    }

    private static void discard(Context context, TimeLimit.Watch watch) {
        watch.close();
        try {
            context.close(true);
        } catch (RuntimeException alreadyClosed) {
            // a cancelled context or one closed with the engine: nothing left to free
        }
    }

    /** What ended a run that failed; decides the reason and whether the context may serve again. */
    private enum Failure {
        SHUTDOWN, TIME_LIMIT, STATEMENT_LIMIT, MEMORY, ENGINE, SCRIPT;

        // GraalJS reports the statement limit as cancelled and resource-exhausted, a Java OutOfMemoryError as
        // resource-exhausted only ("Java heap space"), and sizes it refuses to allocate as RangeErrors.
        static Failure of(PolyglotException e, boolean timedOut, JsSandbox sandbox) {
            if (sandbox.isClosed() && (e.isCancelled() || e.isResourceExhausted())) {
                return SHUTDOWN;
            }
            if (timedOut) {
                return TIME_LIMIT;
            }
            if (e.isCancelled()) {
                return e.isResourceExhausted() ? STATEMENT_LIMIT : ENGINE;
            }
            if (e.isResourceExhausted() || isRefusedAllocation(e)) {
                return MEMORY;
            }
            if (e.isInterrupted() || e.isInternalError() || e.isExit()) {
                return ENGINE;
            }
            return SCRIPT;
        }

        private static boolean isRefusedAllocation(PolyglotException e) {
            String message = e.getMessage();
            return e.isGuestException() && ("RangeError: Invalid string length".equals(message)
                    || "RangeError: Array buffer allocation failed".equals(message));
        }
    }

    private static TransformException timedOut(String script, JsSandbox sandbox) {
        return new TransformException("transform " + script + " ran longer than " + sandbox.timeLimit().shown()
                + " (bridge.transforms.time-limit)");
    }

    private static String timedOutWhenLoaded(JsSandbox sandbox) {
        return "runs longer than " + sandbox.timeLimit().shown() + " when loaded (bridge.transforms.time-limit)";
    }

    private static TransformException failure(String script, PolyglotException e, Failure kind, JsSandbox sandbox) {
        switch (kind) {
            case SHUTDOWN:
                return new TransformException("transform " + script + " was stopped: the bridge is shutting down");
            case TIME_LIMIT:
                return timedOut(script, sandbox);
            case STATEMENT_LIMIT:
                return new TransformException("transform " + script + " exceeded " + sandbox.statementLimit()
                        + " statements (bridge.transforms.statement-limit); infinite loop?");
            case MEMORY:
                return new TransformException("transform " + script + " ran out of memory" + at(line(script, e)) + " ("
                        + e.getMessage() + ")", e);
            default:
                break;
        }
        if (e.isSyntaxError()) {
            return new TransformException("transform " + script + " has a syntax error" + at(line(script, e)) + ": "
                    + e.getMessage(), e);
        }
        if (e.isHostException()) { // thrown by formatAmount/formatDate
            return new TransformException("transform " + script + " failed" + at(line(script, e)) + ": "
                    + e.asHostException().getMessage(), e);
        }
        if (e.isGuestException()) {
            return new TransformException("transform " + script + " threw" + at(line(script, e)) + ": "
                    + e.getMessage(), e);
        }
        return new TransformException("transform " + script + " failed in the JavaScript engine: " + e.getMessage(), e);
    }

    /** What is wrong with the script's text, in one line for the log and health; it follows "the edit". */
    private static String loadProblem(String script, PolyglotException e, Failure kind, JsSandbox sandbox) {
        int line = line(script, e);
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        if (kind == Failure.TIME_LIMIT) {
            return timedOutWhenLoaded(sandbox);
        }
        if (kind == Failure.STATEMENT_LIMIT) {
            return "runs over " + sandbox.statementLimit() + " statements when loaded; infinite loop?";
        }
        if (kind == Failure.MEMORY) {
            return "runs out of memory" + at(line) + " when loaded (" + message + ")";
        }
        if (e.isSyntaxError()) { // "SyntaxError: x.js:3:1 Expected eof": the line is said already
            return (line > 0 ? "at line " + line + " " : "") + "does not compile ("
                    + message.replaceFirst(Pattern.quote(script) + ":\\d+:\\d+ ", "") + ")";
        }
        if (e.isHostException()) {
            return "fails" + at(line) + " when loaded (" + e.asHostException().getMessage() + ")";
        }
        if (e.isGuestException()) {
            return "throws" + at(line) + " when loaded (" + message + ")";
        }
        return "cannot be loaded by the JavaScript engine (" + message + ")";
    }

    /** The line in the script itself (not in the bridge's wrapper) where it failed; 0 if unknown. */
    private static int line(String script, PolyglotException e) {
        SourceSection location = e.getSourceLocation();
        if (location != null && script.equals(location.getSource().getName())) {
            return location.getStartLine();
        }
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            SourceSection section = frame.getSourceLocation();
            if (frame.isGuestFrame() && section != null && script.equals(section.getSource().getName())) {
                return section.getStartLine();
            }
        }
        return 0;
    }

    private static String at(int line) {
        return line > 0 ? " at line " + line : "";
    }
}
