package io.dodoloops.bridge.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.dodoloops.bridge.cluster.ArtemisPair;
import io.dodoloops.bridge.reliability.BridgeProcess;
import io.dodoloops.bridge.signature.WebhookSecrets;

/**
 * Cluster ingress: one bridge, then three, on the same Artemis HA pair (deploy/artemis, replication), each measured
 * with the load driver's 32 connections spread over the bridges, Loops' rate limit lifted. On one machine all of
 * them share its cores, so this shows what the pair and the extra processes cost, not what three machines give.
 * <pre>
 * mvn -q -DskipTests test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat target/cp.txt) io.dodoloops.bridge.bench.ClusterBench
 * </pre>
 */
public final class ClusterBench {

    private ClusterBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("cluster-bench");
        String secret = WebhookSecrets.generate(new SecureRandom());
        try (ArtemisPair pair = ArtemisPair.start(dir.resolve("brokers"))) {
            for (int size : new int[] {1, 3}) {
                int loopsPort = BridgeProcess.freePort(); // the driver's Loops stand-in binds it once the bridges run
                List<BridgeProcess> bridges = new ArrayList<>();
                try {
                    for (int i = 0; i < size; i++) {
                        bridges.add(BridgeProcess.start(Files.createTempDirectory(dir, "bridge-" + size + "-" + i), Map.of(
                                        "bridge.webhook.secret", secret,
                                        "bridge.loops.api-key", "bench",
                                        "bridge.loops.base-url", "http://127.0.0.1:" + loopsPort + "/api",
                                        "bridge.loops.rate-limit", "100000"),
                                Bench.JVM_OPTIONS,
                                Map.of("ARTEMIS_URL", pair.failoverUrl(), "SPRING_ARTEMIS_USER", pair.user(),
                                        "SPRING_ARTEMIS_PASSWORD", pair.password(),
                                        "BRIDGE_CLUSTER_DIR", dir.resolve("cluster-" + size).toString(),
                                        "BRIDGE_INSTANCE", "bench-" + i)));
                    }
                    bridges.forEach(BridgeProcess::awaitReady);
                    List<URI> urls = bridges.stream().map(BridgeProcess::webhookUrl).toList();
                    try (LoadDriver driver = new LoadDriver(urls, secret, 32, loopsPort, Duration.ofSeconds(60))) {
                        System.out.printf("%n== %d bridge%s on the Artemis pair, 32 connections%n", size, size == 1 ? "" : "s");
                        driver.send("warm-up", 0, Duration.ofSeconds(30)).print(System.out);
                        driver.send("measured", 0, Duration.ofSeconds(30)).print(System.out);
                    }
                } finally {
                    bridges.forEach(BridgeProcess::kill);
                }
            }
        }
    }
}
