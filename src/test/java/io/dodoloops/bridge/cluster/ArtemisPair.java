package io.dodoloops.bridge.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.dodoloops.bridge.reliability.BridgeProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Artemis primary/backup replication pair on loopback, each broker a process of its own, made from the
 * distribution Maven unpacks into {@code target/artemis-dist} and configured with the shipped {@code deploy/artemis}
 * files exactly as docs/cluster.md (Setting up each broker) tells operators to install them.
 */
public final class ArtemisPair implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    /** Client retry interval in the failover URL: how soon the bridge tries the other broker again. */
    public static final int RETRY_INTERVAL_MS = 200;

    private final Broker primary;
    private final Broker backup;
    private final String user = "bridge";
    private final String password = randomSecret();

    private ArtemisPair(Path dir) {
        int primaryPort = BridgeProcess.freePort();
        int backupPort = BridgeProcess.freePort();
        String clusterPassword = randomSecret();
        this.primary = new Broker(dir.resolve("primary"), "primary", primaryPort, backupPort, clusterPassword);
        this.backup = new Broker(dir.resolve("backup"), "backup", backupPort, primaryPort, clusterPassword);
    }

    /** Creates both instances in {@code dir} and starts them; returns once the backup holds a copy of the primary. */
    public static ArtemisPair start(Path dir) {
        ArtemisPair pair = new ArtemisPair(dir);
        try {
            // Each create is a JVM start of its own: in parallel.
            List<Process> creating = List.of(pair.primary.create(pair.user, pair.password), pair.backup.create(pair.user, pair.password));
            for (Process process : creating) {
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("artemis create finished").isTrue();
                assertThat(process.exitValue()).as("artemis create exit code").isZero();
            }
            pair.primary.install();
            pair.backup.install();
            pair.primary.run();
            pair.primary.awaitLog("AMQ221007", 1); // Server is now active
            pair.backup.run();
            pair.awaitBackupSynchronized(1);
            return pair;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pair.close();
            throw new IllegalStateException(e);
        } catch (RuntimeException | Error e) {
            pair.close();
            throw e;
        }
    }

    /** The URL the bridges use: both brokers, reconnect for ever, retry every {@link #RETRY_INTERVAL_MS}. */
    public String failoverUrl() {
        return "(tcp://127.0.0.1:" + primary.port + ",tcp://127.0.0.1:" + backup.port + ")?ha=true&reconnectAttempts=-1"
                + "&retryInterval=" + RETRY_INTERVAL_MS + "&retryIntervalMultiplier=1";
    }

    /** The one broker, for a test that needs a non-HA URL. */
    public String primaryUrl() {
        return "tcp://127.0.0.1:" + primary.port;
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** {@code kill -9} of the primary's JVM. */
    public void killPrimary() {
        primary.kill();
    }

    /** Waits until the backup has taken over (it logs "Server is now active"). */
    public void awaitBackupActive() {
        backup.awaitLog("AMQ221007", 1);
    }

    /** Starts the killed primary again: it syncs from the active backup and takes over again (failback). */
    public void restartPrimary() {
        int active = primary.count("AMQ221007");
        int synced = backup.count("AMQ221024");
        primary.run();
        primary.awaitLog("AMQ221007", active + 1);
        awaitBackupSynchronized(synced + 1);
    }

    private void awaitBackupSynchronized(int times) {
        backup.awaitLog("AMQ221024", times); // Backup server ... is synchronized with primary server
    }

    /** What both brokers logged, for a failure message. */
    public String logs() {
        return "--- primary\n" + primary.log() + "\n--- backup\n" + backup.log();
    }

    @Override
    public void close() {
        primary.kill();
        backup.kill();
    }

    private static String randomSecret() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    static Path distribution() {
        Path unpacked = Path.of("target", "artemis-dist");
        try (Stream<Path> dirs = Files.list(unpacked)) {
            return dirs.filter(d -> d.getFileName().toString().startsWith("apache-artemis-")).findFirst().orElseThrow()
                    .toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("no Artemis distribution in " + unpacked.toAbsolutePath()
                    + " (mvn generate-test-resources unpacks it)", e);
        }
    }

    private static final class Broker {
        private final Path instance;
        private final String role;
        private final int port;
        private final int peerPort;
        private final String clusterPassword;
        private final Path console;
        private Process process;

        Broker(Path instance, String role, int port, int peerPort, String clusterPassword) {
            this.instance = instance;
            this.role = role;
            this.port = port;
            this.peerPort = peerPort;
            this.clusterPassword = clusterPassword;
            this.console = instance.resolveSibling(role + "-console.log");
        }

        Process create(String user, String password) {
            List<String> command = new ArrayList<>(List.of(distribution().resolve("bin/artemis").toString(), "create",
                    instance.toString(), "--silent", "--no-web", "--require-login", "--user", user, "--password", password,
                    "--host", "127.0.0.1", "--java-memory", "256M", "--no-autotune", "--no-amqp-acceptor",
                    "--no-mqtt-acceptor", "--no-stomp-acceptor", "--no-hornetq-acceptor"));
            try {
                Files.createDirectories(instance.getParent());
                return new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(instance.resolveSibling(role + "-create.log").toFile()).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The shipped configuration, and this broker's ports and the cluster password as the profile's properties. */
        void install() {
            try {
                Path etc = instance.resolve("etc");
                Path deploy = Path.of("deploy", "artemis");
                Files.copy(deploy.resolve("broker.xml"), etc.resolve("broker.xml"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.copy(deploy.resolve("ha-" + role + ".xml"), etc.resolve("ha-policy.xml"));
                Path profile = etc.resolve("artemis.profile");
                // artemis create 2.40 keeps -Xms512M beside --java-memory's -Xmx: the JVM would refuse to start.
                String text = Files.readString(profile).replace("-Xms512M", "-Xms64M");
                text += "\n# dodo-loops-bridge (deploy/artemis/broker.xml)\nJAVA_ARGS_APPEND=\"-Dbridge.broker.port=" + port
                        + " -Dbridge.peer.port=" + peerPort + " -Dbridge.cluster.user=cluster -Dbridge.cluster.password="
                        + clusterPassword
                        // A delivery cut off by the failover comes back after this, not after the shipped 30 s.
                        + " -Dbridge.redelivery-delay=500 -Dbridge.max-redelivery-delay=1000\"\n";
                Files.writeString(profile, text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void run() {
            try {
                // bin/artemis ends in exec java: this process is the broker's JVM, so destroyForcibly is a kill -9 of it.
                process = new ProcessBuilder(instance.resolve("bin/artemis").toString(), "run").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile())).start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void kill() {
            if (process == null) {
                return;
            }
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        int count(String code) {
            String log = log();
            int n = 0;
            for (int i = log.indexOf(code); i >= 0; i = log.indexOf(code, i + 1)) {
                n++;
            }
            return n;
        }

        void awaitLog(String code, int times) {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
                assertThat(process.isAlive()).as("%s broker running; its log:%n%s", role, log()).isTrue();
                return count(code) >= times;
            });
        }

        String log() {
            try {
                return Files.exists(console) ? Files.readString(console) : "";
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
