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
    private final Value call;
    private boolean usable = true;

    private ScriptContext(String script, JsSandbox sandbox, Context context, Value call) {
        this.script = script;
        this.sandbox = sandbox;
        this.context = context;
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
        try {
            context.eval(source);
            Value handler = context.getBindings("js").getMember("handler");
            if (handler == null || !handler.canExecute()) {
                throw new ScriptLoadException("transform " + script + " defines no function handler(webhook)",
                        "defines no function handler(webhook)", null);
            }
            Value call = context.eval(CALL).execute(handler);
            return new ScriptContext(script, sandbox, context, call);
        } catch (PolyglotException e) {
            context.close(true);
            TransformException failure = failure(script, e, sandbox);
            if (sandbox.isClosed()) {
                throw failure; // stopped by the shutdown, not by the text
            }
            throw new ScriptLoadException(failure.getMessage(), loadProblem(script, e, sandbox), e);
        } catch (RuntimeException e) {
            context.close(true);
            throw e;
        }
    }

    /** Runs {@code handler} on the webhook JSON and returns the JSON of what it returned. */
    String call(String webhookJson) {
        try {
            context.resetLimits(); // the statement count accumulates over the life of the context
            Value result = call.execute(webhookJson);
            return result.isString() ? result.asString() : null; // JSON.stringify gives undefined for e.g. functions
        } catch (PolyglotException e) {
            // A script error leaves the context intact; a cancelled (statement limit) or crashed one is unusable.
            usable = !e.isCancelled() && !e.isResourceExhausted() && !e.isInterrupted() && !e.isInternalError() && !e.isExit();
            throw failure(script, e, sandbox);
        }
    }

    boolean isUsable() {
        return usable;
    }

    @Override
    public void close() {
        usable = false;
        try {
            context.close(true);
        } catch (RuntimeException alreadyClosed) {
            // a cancelled context or one closed with the engine: nothing left to free
        }
    }

    private static TransformException failure(String script, PolyglotException e, JsSandbox sandbox) {
        if (e.isCancelled() || e.isResourceExhausted()) {
            if (sandbox.isClosed()) {
                return new TransformException("transform " + script + " was stopped: the bridge is shutting down");
            }
            return new TransformException("transform " + script + " exceeded " + sandbox.statementLimit()
                    + " statements; infinite loop? (bridge.transforms.statement-limit)");
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
    private static String loadProblem(String script, PolyglotException e, JsSandbox sandbox) {
        int line = line(script, e);
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        if (e.isCancelled() || e.isResourceExhausted()) {
            return "runs over " + sandbox.statementLimit() + " statements when loaded; infinite loop?";
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
