package io.dodoloops.bridge.loops;

import java.nio.file.Path;

import jakarta.annotation.PostConstruct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** Without a Loops API key the bridge runs in local mode: it records what it would send instead of sending. */
@Component("loops")
public class LoopsMode {

    private static final Logger LOG = LoggerFactory.getLogger(LoopsMode.class);
    private final boolean local;
    private final String baseUrl;
    private final Path outbox;

    public LoopsMode(@Value("${bridge.loops.api-key:}") String apiKey,
                     @Value("${bridge.loops.base-url}") String baseUrl,
                     @Value("${bridge.data-dir}") Path dataDir) {
        this.local = apiKey.isBlank();
        this.baseUrl = baseUrl;
        this.outbox = LocalOutbox.file(dataDir);
    }

    public boolean localMode() {
        return local;
    }

    @PostConstruct
    void announce() {
        if (local) {
            LOG.warn("LOOPS_API_KEY is not set: local mode, Loops requests are written to {} instead of being sent", outbox);
        } else {
            LOG.info("Sending Loops requests to {}", baseUrl);
        }
    }
}
