package io.dodoloops.bridge;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jms.core.JmsTemplate;

/** A bridge started and stopped by the test itself: for restarts, and for settings a shared context can't have. */
public final class RunningBridge implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private RunningBridge(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts the application with these properties over application.yaml, on a random port. */
    public static RunningBridge start(Map<String, Object> properties) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("server.port", "0");
        all.put("management.server.port", "0");
        // MBean names are per JVM: the shared test application (BridgeTest) owns them.
        all.put("spring.jmx.enabled", "false");
        all.put("camel.main.shutdown-timeout", "3");
        all.putAll(properties);
        // As command-line arguments, so they win over application.yaml like the environment variables they stand for.
        String[] args = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new RunningBridge(new SpringApplicationBuilder(BridgeApplication.class).run(args));
    }

    public URI webhookUrl() {
        return URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + "/webhooks/dodo");
    }

    /** Where health, metrics and the admin endpoints answer (loopback only). */
    public URI managementUrl(String path) {
        return URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.management.port") + path);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public JmsTemplate jms() {
        return context.getBean(JmsTemplate.class);
    }

    @Override
    public void close() {
        context.close();
    }
}
