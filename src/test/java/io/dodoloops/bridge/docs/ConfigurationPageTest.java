package io.dodoloops.bridge.docs;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md is the list of every setting, checked against what exists: Spring Boot's configuration
 * metadata (the bridge's own, generated from its *Properties records, and Spring's and Camel's on the classpath) and
 * application.yaml, where every default is written once.
 */
class ConfigurationPageTest {

    private static final Path PAGE = Path.of("docs/configuration.md");
    /** `NAME` in the first column, `property` in the second, `default` in the third. */
    private static final List<Row> ROWS = new ArrayList<>();
    /** Every property Spring Boot's metadata knows, the bridge's included, by its canonical name. */
    private static final Set<String> KNOWN = new TreeSet<>();
    /** The properties and maps of the bridge's own metadata (bridge.*). */
    private static final Map<String, String> BRIDGE = new LinkedHashMap<>();
    /** application.yaml flattened: property to its value as written (e.g. ${LOOPS_RATE_LIMIT:10}). */
    private static final Map<String, String> YAML = new LinkedHashMap<>();

    record Row(String variable, String property, String defaultValue) {
    }

    @BeforeAll
    static void load() throws IOException {
        Matcher code = Pattern.compile("`([^`]+)`").matcher("");
        for (String line : Files.readAllLines(PAGE)) {
            if (!line.startsWith("| `") && !line.startsWith("| – ")) {
                continue;
            }
            String[] cells = line.split("\\|");
            ROWS.add(new Row(first(code, cells[1]), first(code, cells[2]), first(code, cells[3])));
        }
        ObjectMapper json = new ObjectMapper();
        for (URL metadata : Collections.list(ConfigurationPageTest.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            try (InputStream in = metadata.openStream()) {
                for (JsonNode property : json.readTree(in).path("properties")) {
                    String name = property.path("name").asText();
                    KNOWN.add(canonical(name));
                    if (name.startsWith("bridge.")) {
                        BRIDGE.put(name, property.path("type").asText());
                    }
                }
            }
        }
        flatten("", new Yaml().load(Files.readString(Path.of("application.yaml"))));
    }

    @Test
    void theBridgesMetadataIsGeneratedFromItsSettings() {
        assertThat(BRIDGE).containsKeys("bridge.loops.rate-limit", "bridge.queue.journal-sync-window",
                "bridge.welcome.repository", "bridge.data-dir");
    }

    @Test
    void everySettingOfTheBridgeIsDocumented() {
        Set<String> documented = new TreeSet<>();
        ROWS.stream().map(Row::property).filter(java.util.Objects::nonNull).forEach(documented::add);
        assertThat(BRIDGE.keySet()).allSatisfy(property -> assertThat(documented)
                .as("docs/configuration.md documents " + property)
                .anyMatch(d -> d.equals(property) || (BRIDGE.get(property).startsWith("java.util.Map") && d.startsWith(property + "."))));
    }

    @Test
    void nothingIsDocumentedThatDoesNotExist() {
        for (Row row : ROWS) {
            if (row.property() == null) {
                continue; // read by the code, not a property: LOOPS_TRANSACTIONAL_<EVENTNAME>, the CLI's BRIDGE_MANAGEMENT_URL
            }
            assertThat(KNOWN.contains(canonical(row.property())) || KNOWN.stream().anyMatch(known ->
                    BRIDGE.containsKey(known) && canonical(row.property()).startsWith(known + ".")))
                    .as(row.property() + " (" + row.variable() + ") is a property Spring Boot's metadata knows").isTrue();
        }
    }

    /** A documented variable and default are the ones application.yaml reads and gives: ${NAME:default}. */
    @Test
    void theVariablesAndDefaultsAreApplicationYamls() {
        Pattern placeholder = Pattern.compile("^\\$\\{([A-Z][A-Z0-9_]*):(.*)}$");
        Set<String> read = new TreeSet<>();
        for (Row row : ROWS) {
            String value = row.property() == null ? null : YAML.get(row.property());
            if (value == null) {
                continue; // Spring's or Camel's own binding, or a value computed at start (BRIDGE_INSTANCE)
            }
            Matcher m = placeholder.matcher(value);
            if (!m.matches()) {
                assertThat(row.variable()).as(row.property() + " has no variable in application.yaml").isNull();
                assertThat(row.defaultValue()).as("default of " + row.property()).isEqualTo(value);
                continue;
            }
            read.add(m.group(1));
            assertThat(row.variable()).as("the variable of " + row.property()).isEqualTo(m.group(1));
            if (m.group(2).isEmpty()) {
                assertThat(row.defaultValue()).as("default of " + row.variable() + " (none in application.yaml)").isNull();
            } else if (!m.group(2).contains("${")) {
                assertThat(row.defaultValue()).as("default of " + row.variable()).isEqualTo(m.group(2));
            }
        }
        Matcher all = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):").matcher(String.join("\n", YAML.values()));
        while (all.find()) {
            assertThat(ROWS).as("docs/configuration.md has a row for " + all.group(1))
                    .anyMatch(row -> all.group(1).equals(row.variable()));
        }
        assertThat(read).contains("LOOPS_RATE_LIMIT", "JOURNAL_SYNC_WINDOW", "WELCOME_REPOSITORY");
    }

    /** The first `code` in a cell; null for none (a – or an italic note such as *(unset)*). */
    private static String first(Matcher code, String cell) {
        code.reset(cell);
        return code.find() ? code.group(1) : null;
    }

    private static String canonical(String property) {
        return ConfigurationPropertyName.adapt(property, '.').toString();
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object value) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, child) -> flatten(prefix.isEmpty() ? key.toString() : prefix + "." + key, child));
        } else if (value != null) {
            YAML.put(prefix, value.toString());
        }
    }
}
