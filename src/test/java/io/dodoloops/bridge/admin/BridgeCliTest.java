package io.dodoloops.bridge.admin;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.dodoloops.bridge.BridgeApplication;

import static org.assertj.core.api.Assertions.assertThat;

/** What the jar does with its arguments: a word is a command for the command line, options start the bridge. */
class BridgeCliTest {

    @Test
    void aWordIsForTheCommandLineAndOptionsOrNothingStartTheBridge() {
        assertThat(BridgeCli.isCommand(new String[] {"dead-letters", "list"})).isTrue();
        assertThat(BridgeCli.isCommand(new String[] {"help"})).isTrue();
        assertThat(BridgeCli.isCommand(new String[] {"chek"})).isTrue();
        assertThat(BridgeCli.isCommand(new String[] {"--spring.foo=bar"})).isFalse();
        assertThat(BridgeCli.isCommand(new String[] {"-Dx=y", "chek"})).isFalse();
        assertThat(BridgeCli.isCommand(new String[0])).isFalse();
    }

    @Test
    void anUnknownCommandIsReportedWithTheUsageAndExitCode2() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int exit;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            exit = BridgeCli.run(new String[] {"chek"});
        } finally {
            System.setErr(original);
        }

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("unknown command 'chek'\n").contains("usage:");
    }

    @Test
    void theJarGivenAMistypedCommandExits2WithoutStartingABridge() throws Exception {
        Path dataDir = Files.createTempDirectory("bridge-cli");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, BridgeApplication.class.getName(), "chek",
                // Were it to start a bridge after all, not on anyone's ports or data.
                "--server.port=0", "--management.server.port=0", "--bridge.data-dir=" + dataDir))
                .redirectError(dataDir.resolve("stderr").toFile()).redirectOutput(dataDir.resolve("stdout").toFile()).start();
        try {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the process ended by itself").isTrue();
            assertThat(process.exitValue()).isEqualTo(2);
            assertThat(Files.readString(dataDir.resolve("stderr"))).startsWith("unknown command 'chek'").contains("usage:");
            assertThat(Files.readString(dataDir.resolve("stdout"))).isEmpty();
        } finally {
            process.destroyForcibly();
        }
    }
}
