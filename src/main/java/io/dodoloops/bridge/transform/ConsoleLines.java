package io.dodoloops.bridge.transform;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;

import io.dodoloops.bridge.EmailMask;

/** Script {@code console.log}/{@code console.error} output, one log line per printed line, emails masked. */
final class ConsoleLines extends OutputStream {

    private static final int MAX_LINE = 8192;

    private final Logger log;
    private final boolean error;
    private final String prefix;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    ConsoleLines(Logger log, boolean error, String prefix) {
        this.log = log;
        this.error = error;
        this.prefix = prefix;
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            flush();
        } else if (line.size() < MAX_LINE) {
            line.write(b);
        }
    }

    @Override
    public synchronized void flush() {
        if (line.size() == 0) {
            return;
        }
        String text = EmailMask.mask(line.toString(StandardCharsets.UTF_8)); // scripts print customers' data
        line.reset();
        if (error) {
            log.warn("{}: {}", prefix, text);
        } else {
            log.info("{}: {}", prefix, text);
        }
    }
}
