package io.dodoloops.bridge;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for one test class, from Debian's postgresql package (.ci/run installs it): initdb into a
 * temp directory, then the server on a free loopback port, TCP only, password authentication (scram) for a user
 * with a password made up for this run. PostgreSQL refuses to run as root, so as root the server runs as nobody
 * (runuser), in a directory nobody owns. No server found or none starting fails the test class, never skips it.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "bridge";
    private static final String SERVICE_USER = "nobody";

    private final Path dir;
    private final Path bin;
    private final String password;
    private int port;

    private PostgresServer(Path dir, Path bin, String password) {
        this.dir = dir;
        this.bin = bin;
        this.password = password;
    }

    public static PostgresServer start() {
        Path bin = binaries();
        try {
            Path dir = Files.createTempDirectory("bridge-postgres");
            String password = HexFormat.of().formatHex(randomBytes(12));
            PostgresServer server = new PostgresServer(dir, bin, password);
            Files.writeString(dir.resolve("pw"), password);
            if (asRoot()) {
                UserPrincipal nobody = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SERVICE_USER);
                Files.setOwner(dir, nobody);
                Files.setOwner(dir.resolve("pw"), nobody);
            }
            server.run(60, "initdb", "-D", server.data().toString(), "-U", USER, "--pwfile=" + dir.resolve("pw"),
                    "--auth=scram-sha-256", "--no-sync", "-E", "UTF8", "--locale=C");
            Files.delete(dir.resolve("pw"));
            server.startAgain();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the server again on its data (after {@link #stop}): the database came back. Same port if still free. */
    public void startAgain() {
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int candidate = port != 0 && attempt == 0 ? port : freePort();
            try {
                run(60, "pg_ctl", "-D", data().toString(), "-l", dir.resolve("server.log").toString(), "-w", "-s",
                        "-o", "-p " + candidate + " -c listen_addresses=127.0.0.1 -c unix_socket_directories= -c fsync=off"
                                + " -c full_page_writes=off -c synchronous_commit=off", "start");
                port = candidate;
                return;
            } catch (IllegalStateException portTakenMeanwhile) {
                last = portTakenMeanwhile;
            }
        }
        throw last;
    }

    /** A fast shutdown (connections are cut): the database is down until {@link #startAgain}. */
    public void stop() {
        if (Files.exists(data().resolve("postmaster.pid"))) {
            run(60, "pg_ctl", "-D", data().toString(), "-m", "fast", "-w", "-s", "stop");
        }
    }

    /** A new, empty database on this server; its JDBC URL. */
    public String createDatabase(String name) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, password);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
            return jdbcUrl(name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    /** Runs one of the server's programs (as nobody when we are root); its output goes to {@code <dir>/<program>.log}. */
    private void run(int timeoutSeconds, String program, String... arguments) {
        List<String> command = new ArrayList<>();
        if (asRoot()) {
            command.addAll(List.of("runuser", "-u", SERVICE_USER, "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(arguments));
        Path log = dir.resolve(program + ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(program + " did not finish within " + timeoutSeconds + " s; see " + log);
            }
            if (process.exitValue() != 0) {
                String serverLog = Files.exists(dir.resolve("server.log")) ? Files.readString(dir.resolve("server.log")) : "";
                throw new IllegalStateException("PostgreSQL test server: " + String.join(" ", command) + " failed (exit "
                        + process.exitValue() + "):\n" + Files.readString(log) + serverLog);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** POSTGRES_BIN, else the newest /usr/lib/postgresql/<version>/bin with initdb (Debian's layout). */
    private static Path binaries() {
        String configured = System.getenv("POSTGRES_BIN");
        if (configured != null && !configured.isBlank()) {
            if (!Files.isExecutable(Path.of(configured, "initdb"))) {
                throw new IllegalStateException("POSTGRES_BIN is " + configured + ", which has no initdb: "
                        + "set it to the directory with PostgreSQL's initdb and pg_ctl");
            }
            return Path.of(configured);
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElseThrow(PostgresServer::notInstalled);
        } catch (IOException e) {
            throw notInstalled();
        }
    }

    private static IllegalStateException notInstalled() {
        return new IllegalStateException("These tests need a PostgreSQL server and found none under /usr/lib/postgresql/*/bin: "
                + "install Debian's package postgresql (apt-get install postgresql; .ci/run does), or set POSTGRES_BIN to the "
                + "directory with initdb and pg_ctl");
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static boolean asRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
