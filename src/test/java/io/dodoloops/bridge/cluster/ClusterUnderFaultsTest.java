package io.dodoloops.bridge.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.Connection;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.LoopsStandIn;
import io.dodoloops.bridge.reliability.BridgeProcess;
import io.dodoloops.bridge.reliability.DodoSender;
import io.dodoloops.bridge.reliability.DodoSender.Webhook;
import io.dodoloops.bridge.signature.WebhookSecrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The proof: an Artemis HA pair and three bridges on one data set of signed webhooks (600, and 10 % of them
 * sent again as Dodo retries), spread over the three as a load balancer would, against a Loops stand-in that allows
 * 10 requests/s and answers after 100-400 ms. While the load runs: kill -9 the sending bridge, later kill -9 the
 * primary broker, then restart the killed bridge. Nothing lost, nothing twice, the rate limit held by the cluster.
 */
class ClusterUnderFaultsTest {

    private static final int WEBHOOKS = 600;
    private static final int RATE_LIMIT = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void threeBridgesOnAnHaPairDeliverEveryAcceptedWebhookOnceThroughKillsOfTheSenderAndThePrimary() throws Exception {
        Path dir = Files.createTempDirectory("cluster-faults");
        String secret = WebhookSecrets.generate(new SecureRandom());
        DodoSender dodo = new DodoSender(secret);
        try (ArtemisPair pair = ArtemisPair.start(dir.resolve("brokers"));
             LoopsStandIn loops = LoopsStandIn.start();
             Cluster cluster = new Cluster(dir, pair, loops, secret)) {
            loops.enforceRate(RATE_LIMIT);
            loops.answerBetween(100, 400);
            cluster.startAll();
            // One sender; the others are followers and still ready, since they accept webhooks.
            int sender = cluster.sender();
            for (int i = 0; i < 3; i++) {
                if (i != sender) {
                    assertThat(Cluster.isSender(cluster.bridges[i])).as("bridge-%d is a follower", i).isFalse();
                    assertThat(cluster.bridges[i].manage("/actuator/health/readiness")).contains("\"UP\"");
                }
            }

            List<Webhook> schedule = schedule();
            Set<String> accepted = ConcurrentHashMap.newKeySet();
            Map<String, Integer> answers = new ConcurrentHashMap<>();
            AtomicInteger sent = new AtomicInteger();
            ExecutorService senders = Executors.newFixedThreadPool(6);
            long started = System.nanoTime();
            Thread faults = new Thread(() -> cluster.faults(pair, sent), "faults");
            faults.start();
            for (Webhook webhook : schedule) {
                int n = sent.getAndIncrement();
                senders.submit(() -> {
                    DodoSender.Outcome outcome = dodo.send(cluster.pick(n), webhook);
                    answers.merge(outcome.status() == 0 ? "no answer" : String.valueOf(outcome.status()), 1, Integer::sum);
                    if (outcome.accepted()) {
                        accepted.add(webhook.id());
                    }
                });
                pace(started, n, 20); // 20 webhooks/s: the load lasts about 33 s, the faults fall inside it
            }
            senders.shutdown();
            assertThat(senders.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
            faults.join(TimeUnit.MINUTES.toMillis(2));
            assertThat(cluster.failure()).as("the faults ran").isNull();

            // Dodo re-sends whatever got no 2xx, until it does (to whichever bridge the load balancer picks).
            Set<String> unique = schedule.stream().map(Webhook::id).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
            Map<String, Webhook> byId = new HashMap<>();
            schedule.forEach(w -> byId.putIfAbsent(w.id(), w));
            int resent = 0;
            for (int round = 0; round < 30 && !accepted.containsAll(unique); round++) {
                for (String id : unique) {
                    if (!accepted.contains(id)) {
                        resent++;
                        if (dodo.send(cluster.pick(resent), byId.get(id)).accepted()) {
                            accepted.add(id);
                        }
                    }
                }
                Thread.sleep(500);
            }
            assertThat(accepted).as("every webhook accepted in the end").containsAll(unique);

            // Every webhook reached Loops exactly once per Idempotency-Key: one 200 each (a repeat is a 409).
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> unique.stream().allMatch(id -> okCount(loops, id) >= 1));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(loops.quiet());
            List<LoopsStandIn.Answer> all = loops.answers();
            Map<String, Long> okPerKey = all.stream().filter(a -> a.status() == 200)
                    .collect(Collectors.groupingBy(LoopsStandIn.Answer::idempotencyKey, Collectors.counting()));
            assertThat(okPerKey.keySet()).containsExactlyInAnyOrderElementsOf(unique.stream().map(id -> "dodo-" + id).toList());
            assertThat(okPerKey.values()).as("no key sent twice").allMatch(count -> count == 1);

            // The rate limit held for the whole cluster, and the few 429s were retried.
            int busiest = LoopsStandIn.busiestSecond(all);
            List<LoopsStandIn.Answer> tooMany = all.stream().filter(a -> a.status() == 429).toList();
            assertThat(busiest).as("most Loops arrivals in any 1-s window").isLessThanOrEqualTo(RATE_LIMIT);
            assertThat(tooMany.size()).as("429s of %d requests", all.size()).isLessThanOrEqualTo(all.size() / 100);

            // Nothing left behind.
            assertThat(depth(pair, "dodo.webhooks")).isZero();
            assertThat(depth(pair, "dodo.webhooks.DLQ")).isZero();

            Map<Integer, Long> statuses = all.stream().collect(Collectors.groupingBy(LoopsStandIn.Answer::status,
                    java.util.TreeMap::new, Collectors.counting()));
            // Throughput with several calls in flight on the sender: the median second of the backlog.
            long first = all.stream().mapToLong(a -> a.request().atMillis()).min().orElseThrow();
            int[] perSecond = new int[(int) ((all.stream().mapToLong(a -> a.request().atMillis()).max().orElseThrow() - first) / 1000) + 1];
            all.forEach(a -> perSecond[(int) ((a.request().atMillis() - first) / 1000)]++);
            int median = java.util.Arrays.stream(perSecond).sorted().toArray()[perSecond.length / 2];
            System.out.printf("cluster under faults: %d sends to the bridges %s, %d re-sent by Dodo; Loops: %d requests %s "
                            + "in %d s, median %d/s, busiest 1-s window %d; sender failover after kill -9: %d ms%n",
                    schedule.size(), new java.util.TreeMap<>(answers), resent, all.size(), statuses, perSecond.length, median,
                    busiest, cluster.senderFailoverMillis());
            // Printed, not asserted: a speed, which depends on the machine (a timing target belongs in the benchmark).
        }
    }

    /** 600 webhooks, and 60 of them again about 40 positions later: Dodo's retries of ones it got no answer for. */
    private static List<Webhook> schedule() {
        byte[] body = DodoSender.sample("payment.succeeded");
        List<Webhook> webhooks = new ArrayList<>();
        for (int i = 0; i < WEBHOOKS; i++) {
            webhooks.add(new Webhook("msg_" + UUID.randomUUID(), "payment.succeeded", body));
        }
        List<Webhook> schedule = new ArrayList<>(webhooks);
        for (int i = 0; i < WEBHOOKS / 10; i++) {
            int original = i * 10 + 3;
            schedule.add(Math.min(original + 40 + i, schedule.size()), webhooks.get(original));
        }
        return Collections.unmodifiableList(schedule);
    }

    private static long okCount(LoopsStandIn loops, String id) {
        return loops.statusesFor(id).stream().filter(status -> status == 200).count();
    }

    private static int depth(ArtemisPair pair, String queue) throws Exception {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(pair.failoverUrl(), pair.user(), pair.password());
        try (factory; Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser browser = session.createBrowser(session.createQueue(queue))) {
                return Collections.list(browser.getEnumeration()).size();
            }
        }
    }

    private static void pace(long startedNanos, int n, int perSecond) throws InterruptedException {
        long due = startedNanos + TimeUnit.SECONDS.toNanos(n) / perSecond;
        long wait = due - System.nanoTime();
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** Three bridge processes sharing the broker pair and BRIDGE_CLUSTER_DIR, as a load balancer sees them. */
    private static final class Cluster implements AutoCloseable {

        private final Path dir;
        private final ArtemisPair pair;
        private final LoopsStandIn loops;
        private final String secret;
        private final BridgeProcess[] bridges = new BridgeProcess[3];
        private volatile Throwable failure;
        private volatile long senderFailoverMillis = -1;

        Cluster(Path dir, ArtemisPair pair, LoopsStandIn loops, String secret) {
            this.dir = dir;
            this.pair = pair;
            this.loops = loops;
            this.secret = secret;
        }

        void startAll() {
            for (int i = 0; i < bridges.length; i++) {
                bridges[i] = start(i);
            }
            for (BridgeProcess bridge : bridges) {
                bridge.awaitReady();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> sender() >= 0);
        }

        private BridgeProcess start(int i) {
            Map<String, String> settings = new LinkedHashMap<>();
            settings.put("bridge.webhook.secret", secret);
            settings.put("bridge.loops.api-key", "test-loops-key");
            settings.put("bridge.loops.base-url", loops.baseUrl());
            settings.put("bridge.delivery.retry-delay-ms", "500");
            Map<String, String> environment = Map.of(
                    "ARTEMIS_URL", pair.failoverUrl(),
                    "SPRING_ARTEMIS_USER", pair.user(),
                    "SPRING_ARTEMIS_PASSWORD", pair.password(),
                    "BRIDGE_CLUSTER_DIR", dir.resolve("cluster").toString(),
                    "BRIDGE_INSTANCE", "bridge-" + i,
                    "LOOPS_RATE_LIMIT", String.valueOf(RATE_LIMIT));
            try {
                return BridgeProcess.start(Files.createDirectories(dir.resolve("bridge-" + i)), settings,
                        List.of("-Xmx256m", "-XX:+UseSerialGC"), environment);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        /** The bridge for the n-th send: round robin over the three, skipping one that is down. */
        java.net.URI pick(int n) {
            for (int k = 0; k < bridges.length; k++) {
                BridgeProcess bridge = bridges[(n + k) % bridges.length];
                if (bridge != null) {
                    return bridge.webhookUrl();
                }
            }
            throw new IllegalStateException("no bridge running");
        }

        /** kill -9 the sender after 8 s of load, the primary broker after 16 s, restart the bridge after 24 s. */
        void faults(ArtemisPair pair, AtomicInteger sent) {
            try {
                awaitSent(sent, 160);
                int killed = sender();
                BridgeProcess victim = bridges[killed];
                bridges[killed] = null; // the load balancer's health check takes it out
                victim.kill();
                long at = System.nanoTime();
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> sender() >= 0);
                senderFailoverMillis = (System.nanoTime() - at) / 1_000_000;

                awaitSent(sent, 320);
                pair.killPrimary();
                pair.awaitBackupActive();

                awaitSent(sent, 480);
                BridgeProcess restarted = start(killed);
                restarted.awaitReady();
                bridges[killed] = restarted;
            } catch (Throwable e) {
                failure = e;
            }
        }

        private static void awaitSent(AtomicInteger sent, int count) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> sent.get() >= count);
        }

        /** The index of the bridge whose health says it is the sender, or -1. */
        int sender() {
            for (int i = 0; i < bridges.length; i++) {
                BridgeProcess bridge = bridges[i];
                if (bridge != null && isSender(bridge)) {
                    return i;
                }
            }
            return -1;
        }

        static boolean isSender(BridgeProcess bridge) {
            try {
                return JSON.readTree(bridge.manage("/actuator/health/sender")).path("details").path("sender").asBoolean(false);
            } catch (Exception | AssertionError notAnswering) {
                return false;
            }
        }

        Throwable failure() {
            return failure;
        }

        long senderFailoverMillis() {
            return senderFailoverMillis;
        }

        @Override
        public void close() {
            for (BridgeProcess bridge : bridges) {
                if (bridge != null) {
                    bridge.kill();
                }
            }
        }
    }
}
