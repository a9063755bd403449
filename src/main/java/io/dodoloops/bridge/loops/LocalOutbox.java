package io.dodoloops.bridge.loops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import io.dodoloops.bridge.BridgeProperties;

/** Local mode's stand-in for Loops: each request the bridge would send, as one JSON line in outbox.jsonl. */
@Component("outbox")
public class LocalOutbox {

    private final ObjectMapper json = new ObjectMapper();
    private final Path file;
    private final String baseUrl;

    public LocalOutbox(BridgeProperties bridge, LoopsProperties loops) {
        this.file = file(bridge.dataDir());
        this.baseUrl = loops.base();
    }

    static Path file(Path dataDir) {
        return dataDir.resolve("outbox.jsonl").toAbsolutePath();
    }

    public synchronized void append(Exchange exchange) throws IOException {
        LoopsRequest request = exchange.getProperty(PrepareLoopsCall.REQUEST, LoopsRequest.class);
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("recordedAt", Instant.now().toString());
        line.putAll(request.asHttpRequest(baseUrl, exchange.getMessage().getHeader("Idempotency-Key", String.class)));
        Files.createDirectories(file.getParent());
        Files.writeString(file, json.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
