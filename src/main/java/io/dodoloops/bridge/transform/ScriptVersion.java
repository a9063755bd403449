package io.dodoloops.bridge.transform;

import java.util.concurrent.ConcurrentLinkedDeque;

import org.graalvm.polyglot.Source;

/**
 * One version of a transform file: its parsed source and a pool of contexts that evaluated it. The bean is called
 * from several consumer threads and a context serves one thread at a time, so each call borrows a context (creating
 * one when none is idle) and returns it; the pool therefore grows to the number of concurrent callers.
 */
final class ScriptVersion implements AutoCloseable {

    private final Source source;
    private final JsSandbox sandbox;
    private final ConcurrentLinkedDeque<ScriptContext> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean retired;

    private ScriptVersion(Source source, JsSandbox sandbox, ScriptContext first) {
        this.source = source;
        this.sandbox = sandbox;
        idle.offerFirst(first);
    }

    /**
     * Loads a script's text. Evaluating it once here, rather than at the first event, is what tells a broken edit
     * from a good one; that context then serves the first event.
     *
     * @throws ScriptLoadException when the text does not load
     */
    static ScriptVersion load(Source source, JsSandbox sandbox) {
        return new ScriptVersion(source, sandbox, ScriptContext.open(sandbox, source));
    }

    /** Runs the script's handler on the webhook JSON in a borrowed context. */
    String call(String webhookJson) {
        ScriptContext context = idle.pollFirst();
        if (context == null) {
            context = ScriptContext.open(sandbox, source);
        }
        try {
            return context.call(webhookJson);
        } finally {
            giveBack(context);
        }
    }

    private void giveBack(ScriptContext context) {
        if (!context.isUsable()) {
            context.close();
            return;
        }
        idle.offerFirst(context); // most recently used first: keeps a small warm set busy
        if (retired) {
            closeIdle(); // retired while we were running: the retiring thread may have missed this context
        }
    }

    /** The file changed: close idle contexts now and busy ones when they come back. */
    @Override
    public void close() {
        retired = true;
        closeIdle();
    }

    private void closeIdle() {
        ScriptContext context;
        while ((context = idle.pollFirst()) != null) {
            context.close();
        }
    }
}
