package io.dodoloops.bridge;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code bridge.instance}: this instance's name in a cluster (leader election, health, metrics), {@code
 * BRIDGE_INSTANCE} or else the host name. Java has no cheap host-name call (InetAddress may wait for DNS), and the
 * shell's {@code HOSTNAME} is usually not exported, so the kernel's name is read first.
 */
public class InstanceName implements EnvironmentPostProcessor, Ordered {

    private final Log log;

    public InstanceName(DeferredLogFactory logs) {
        this.log = logs.getLog(InstanceName.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty("BRIDGE_INSTANCE");
        boolean named = configured != null && !configured.isBlank();
        String name = named ? configured.trim() : hostName();
        environment.getPropertySources().addLast(new MapPropertySource("bridge-instance", Map.of("bridge.instance", name)));
        log.info("Bridge instance " + name + " (" + (named ? "BRIDGE_INSTANCE" : "host name; set BRIDGE_INSTANCE to name it") + ")");
    }

    public static String hostName() {
        try {
            String kernel = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!kernel.isEmpty()) {
                return kernel;
            }
        } catch (IOException | RuntimeException notLinux) {
            // fall through
        }
        String variable = System.getenv("HOSTNAME");
        if (variable != null && !variable.isBlank()) {
            return variable.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "bridge";
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
