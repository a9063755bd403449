package io.dodoloops.bridge.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.dodoloops.bridge.bench.Bench;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What can be checked of deploy/ without a Kubernetes cluster or a container engine (neither exists where this was
 * written): the manifests parse and agree with the bridge's own defaults and documentation, and the Containerfile
 * copies what the project has and runs the JVM options of docs/deploying.md. Whether Kubernetes accepts them is not
 * checked.
 */
class DeployFilesTest {

    /**
     * Peak RSS (VmHWM) of the plain jar with the JVM options of docs/deploying.md under the benchmark's load (60 s,
     * then 30 s of ingress from 32 connections, delivery running, embedded broker), in MiB: 540,972 kB, measured
     * 2026-12-02 on the 2-vCPU KVM guest of docs/performance.md (VmRSS after the run: 509,332 kB); how:
     * docs/deploying.md, Kubernetes. The pod's memory request must cover it.
     */
    private static final long MEASURED_RSS_MIB = 528;

    private static final Path KUBERNETES = Path.of("deploy/kubernetes");
    private static final Path CONTAINERFILE = Path.of("deploy/container/Containerfile");
    private static final Path JVM_OPTIONS = Path.of("deploy/jvm.options");
    private static final Path CONFIGURATION = Path.of("docs/configuration.md");
    private static final Path DEPLOYING = Path.of("docs/deploying.md");

    private static final List<Map<String, Object>> DOCUMENTS = new ArrayList<>();
    private static Map<String, Object> applicationYaml;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void load() throws IOException {
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : new Yaml().loadAll(Files.readString(file))) {
                    assertThat(document).as("a YAML document in %s", file).isInstanceOf(Map.class);
                    DOCUMENTS.add((Map<String, Object>) document);
                }
            }
        }
        applicationYaml = new Yaml().load(Files.readString(Path.of("application.yaml")));
    }

    @Test
    void everyDocumentIsAKubernetesObjectWithAName() {
        assertThat(DOCUMENTS).extracting(d -> d.get("kind")).contains("Deployment", "Service", "ServiceAccount", "Role",
                "RoleBinding", "Secret");
        assertThat(DOCUMENTS).allSatisfy(d -> {
            assertThat(d.get("apiVersion")).as("apiVersion of %s", d.get("kind")).isInstanceOf(String.class);
            assertThat(string(d, "metadata", "name")).as("name of %s", d.get("kind")).isNotBlank();
        });
    }

    @Test
    void threeReplicasRunTheBridgeImageAsItsNonRootUser() throws IOException {
        Map<String, Object> deployment = the("Deployment");
        assertThat(map(deployment, "spec").get("replicas")).isEqualTo(3);
        Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)$").matcher(Files.readString(CONTAINERFILE));
        assertThat(user.find()).as("USER uid:gid in the Containerfile").isTrue();
        Map<String, Object> security = map(deployment, "spec", "template", "spec", "securityContext");
        assertThat(security.get("runAsUser")).hasToString(user.group(1));
        assertThat(security.get("runAsNonRoot")).isEqualTo(true);
    }

    @Test
    void theContainerPortsAreTheBridgesDefaultsAndTheServiceExposesThePublicOneOnly() throws IOException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Map<String, Object> port : list(container(), "ports")) {
            ports.put((String) port.get("name"), (Integer) port.get("containerPort"));
        }
        assertThat(ports).containsExactly(Map.entry("http", defaultOf("server", "port")),
                Map.entry("management", defaultOf("management", "server", "port")));

        assertThat(list(the("Service"), "spec", "ports")).singleElement()
                .satisfies(port -> assertThat(port.get("targetPort")).isEqualTo("http"));
        assertThat(map(the("Service"), "spec", "selector")).isEqualTo(map(the("Deployment"), "spec", "selector", "matchLabels"));

        Matcher expose = Pattern.compile("(?m)^EXPOSE (.+)$").matcher(Files.readString(CONTAINERFILE));
        assertThat(expose.find()).isTrue();
        assertThat(expose.group(1).trim().split("\\s+")).containsExactly(String.valueOf(ports.get("http")),
                String.valueOf(ports.get("management")));
    }

    @Test
    void probesAskTheManagementPortForTheHealthGroupsThatNeedNoCredentials() {
        // application.yaml turns the liveness and readiness groups on; the management port exempts exactly these two
        // paths from credentials (admin.web.AdminManagementConfiguration), so the kubelet needs no secret.
        assertThat(map(applicationYaml, "management", "endpoint", "health", "probes").get("enabled")).isEqualTo(true);
        Map<String, String> expected = Map.of("startupProbe", "/actuator/health/liveness",
                "livenessProbe", "/actuator/health/liveness", "readinessProbe", "/actuator/health/readiness");
        expected.forEach((probe, path) -> {
            Map<String, Object> get = map(container(), probe, "httpGet");
            assertThat(get.get("path")).as(probe).isEqualTo(path);
            assertThat(get.get("port")).as(probe).isEqualTo("management");
        });
    }

    @Test
    void everyVariableTheManifestSetsIsOneTheBridgeDocumentsOrASpringOrCamelProperty() throws IOException {
        Set<String> documented = configurationVariables();
        String applicationYamlText = Files.readString(Path.of("application.yaml"));
        String mainSources;
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            mainSources = files.filter(f -> f.toString().endsWith(".java")).map(DeployFilesTest::read).collect(Collectors.joining("\n"));
        }
        for (String name : environment().keySet()) {
            if (name.startsWith("SPRING_")) {
                continue; // Spring Boot's own properties (SPRING_ARTEMIS_USER, …), relaxed binding
            }
            if (name.startsWith("CAMEL_CLUSTER_KUBERNETES_")) {
                assertThat(camelClusterKey(name)).as(name + ": an option of camel-kubernetes-cluster-service-starter")
                        .isIn(CAMEL_KUBERNETES_CLUSTER_OPTIONS);
                continue;
            }
            assertThat(documented).as(CONFIGURATION + " documents " + name).contains(name);
            assertThat(applicationYamlText.contains("${" + name + ":") || mainSources.contains('"' + name + '"'))
                    .as("application.yaml (${" + name + ":…}) or the code (\"" + name + "\") reads " + name).isTrue();
        }
    }

    @Test
    void aManagementPortOffLoopbackComesWithTheAdminCredentialsFromTheSecret() {
        Map<String, Map<String, Object>> env = environment();
        assertThat(env.get("MANAGEMENT_ADDRESS").get("value")).isEqualTo("0.0.0.0");
        Set<String> secretKeys = map(the("Secret"), "stringData").keySet();
        for (String name : List.of("BRIDGE_ADMIN_USER", "BRIDGE_ADMIN_PASSWORD", "DODO_WEBHOOK_SECRET", "LOOPS_API_KEY",
                "SPRING_ARTEMIS_USER", "SPRING_ARTEMIS_PASSWORD")) {
            Map<String, Object> ref = map(env.get(name), "valueFrom", "secretKeyRef");
            assertThat(ref.get("name")).as(name).isEqualTo(string(the("Secret"), "metadata", "name"));
            assertThat(secretKeys).as(name).contains((String) ref.get("key"));
        }
    }

    @Test
    void theExampleSecretHoldsPlaceholdersOnly() {
        assertThat(map(the("Secret"), "stringData").values()).isNotEmpty().allMatch("change-me"::equals);
        assertThat(the("Secret")).doesNotContainKey("data");
    }

    @Test
    void eachBridgeIsNamedAfterItsPodAndTalksToTheBrokerPair() {
        Map<String, Map<String, Object>> env = environment();
        assertThat(string(env.get("BRIDGE_INSTANCE"), "valueFrom", "fieldRef", "fieldPath")).isEqualTo("metadata.name");
        assertThat((String) env.get("ARTEMIS_URL").get("value"))
                .matches("\\(tcp://[^,]+:61616,tcp://[^,]+:61616\\)\\?.*")
                .contains("ha=true").contains("reconnectAttempts=-1");
        assertThat(env.get("BRIDGE_PROFILE").get("value")).isEqualTo("production");
    }

    @Test
    void theMemoryRequestCoversTheMeasuredRss() {
        Map<String, Object> resources = map(container(), "resources");
        long request = mebibytes(string(resources, "requests", "memory"));
        long limit = mebibytes(string(resources, "limits", "memory"));
        assertThat(request).isGreaterThanOrEqualTo(MEASURED_RSS_MIB);
        assertThat(limit).isGreaterThanOrEqualTo(request);
    }

    @Test
    void withAReadOnlyRootFilesystemEveryPathTheBridgeWritesIsAVolume() throws IOException {
        assertThat(map(container(), "securityContext").get("readOnlyRootFilesystem")).isEqualTo(true);
        String home = firstGroup(Files.readString(CONTAINERFILE), "useradd .*--home-dir (\\S+)");
        List<Object> mounted = list(container(), "volumeMounts").stream().map(m -> m.get("mountPath")).toList();
        // The data directory, Tomcat's work directories, the cache GraalJS unpacks its native library into, and the
        // directory the sender is elected in.
        assertThat(mounted).containsExactlyInAnyOrder(environment().get("BRIDGE_DATA_DIR").get("value"), "/tmp", home + "/.cache",
                environment().get("BRIDGE_CLUSTER_DIR").get("value"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLeaderElectionAccountMayUseLeasesAndSeeThePods() {
        Map<String, Object> role = the("Role");
        Map<String, Object> leases = rule(role, "coordination.k8s.io", "leases");
        assertThat((List<Object>) leases.get("verbs")).contains("get", "list", "watch", "create", "update", "patch");
        assertThat((List<Object>) rule(role, "", "pods").get("verbs")).contains("get", "list", "watch");

        Map<String, Object> binding = the("RoleBinding");
        String account = string(the("Deployment"), "spec", "template", "spec", "serviceAccountName");
        assertThat(string(the("ServiceAccount"), "metadata", "name")).isEqualTo(account);
        assertThat(map(binding, "roleRef").get("name")).isEqualTo(string(role, "metadata", "name"));
        assertThat(list(binding, "subjects")).singleElement().satisfies(subject -> {
            assertThat(subject.get("kind")).isEqualTo("ServiceAccount");
            assertThat(subject.get("name")).isEqualTo(account);
        });
    }

    /** The shipped jar elects its sender with a file lock: every pod must mount the same ReadWriteMany volume there. */
    @Test
    @SuppressWarnings("unchecked")
    void everyPodSharesTheClusterDirectory() {
        String clusterDir = (String) environment().get("BRIDGE_CLUSTER_DIR").get("value");
        Map<String, Object> pod = map(the("Deployment"), "spec", "template", "spec");
        Map<String, Object> container = (Map<String, Object>) list(pod, "containers").get(0);
        String volume = list(container, "volumeMounts").stream().filter(m -> clusterDir.equals(m.get("mountPath")))
                .map(m -> (String) m.get("name")).findFirst().orElseThrow();
        String claim = list(pod, "volumes").stream().filter(v -> volume.equals(v.get("name")))
                .map(v -> (String) ((Map<String, Object>) v.get("persistentVolumeClaim")).get("claimName")).findFirst().orElseThrow();
        Map<String, Object> pvc = the("PersistentVolumeClaim");
        assertThat(string(pvc, "metadata", "name")).isEqualTo(claim);
        assertThat((List<Object>) map(pvc, "spec").get("accessModes")).containsExactly("ReadWriteMany");
    }

    @Test
    void theContainerfileCopiesWhatTheProjectHasAndRunsTheDocumentedJvmOptions() throws IOException {
        String containerfile = Files.readString(CONTAINERFILE).replaceAll(",\\s*\\n\\s*", ", "); // one line per instruction
        String pom = Files.readString(Path.of("pom.xml"));
        String jar = "target/" + firstGroup(pom, "<artifactId>(dodo-loops-bridge)</artifactId>") + "-"
                + firstGroup(pom, "<artifactId>dodo-loops-bridge</artifactId>\\s*<version>([^<]+)</version>") + ".jar";
        Map<String, String> copies = new LinkedHashMap<>();
        Matcher copy = Pattern.compile("(?m)^COPY (\\S+) (\\S+)$").matcher(containerfile);
        while (copy.find()) {
            copies.put(copy.group(1), copy.group(2));
        }
        assertThat(copies.keySet()).containsExactly(jar, "application.yaml", "routes/", "transforms/", JVM_OPTIONS.toString());
        // The jar is what mvn package makes of this pom (the name above); the others are in the project as they ship.
        assertThat(copies.keySet().stream().skip(1)).allSatisfy(source -> assertThat(Path.of(source)).exists());

        // One file of JVM options for the image and the production command of docs/deploying.md (the class-data archive
        // is where each of them keeps it).
        Matcher entrypoint = Pattern.compile("(?m)^ENTRYPOINT \\[\"java\", (.*), \"-jar\", \"[^\"]+\"\\]$").matcher(containerfile);
        assertThat(entrypoint.find()).as("ENTRYPOINT [\"java\", options…, \"-jar\", jar]").isTrue();
        assertThat(entrypoint.group(1).replace("\"", "").replaceAll("SharedArchiveFile=[^,]+", "SharedArchiveFile=…").split(", "))
                .containsExactly("@" + copies.get(JVM_OPTIONS.toString()), "-XX:SharedArchiveFile=…");
        String deploying = Files.readString(DEPLOYING);
        assertThat(deploying).as(DEPLOYING + ", the production command")
                .containsPattern("\\njava @" + Pattern.quote(JVM_OPTIONS.toString()) + " -XX:SharedArchiveFile=\\S+ -jar target/app/\\S+\\.jar\\n");

        // And every option in it is one the JVM options table explains (its first column; … stands for any text there).
        String heading = "\n## JVM options: the production way\n";
        assertThat(deploying).as(DEPLOYING + " has the section" + heading).contains(heading);
        String options = deploying.substring(deploying.indexOf(heading));
        options = options.substring(0, options.indexOf("\n\n", options.indexOf("\n| choice |")));
        List<Pattern> explained = new ArrayList<>();
        Matcher row = Pattern.compile("(?m)^\\| ([^|]+) \\|").matcher(options);
        while (row.find()) {
            Matcher code = Pattern.compile("`([^`]+)`").matcher(row.group(1));
            while (code.find()) {
                explained.add(Pattern.compile(Pattern.quote(code.group(1)).replace("…", "\\E.*\\Q")));
            }
        }
        assertThat(Bench.jvmOptions(JVM_OPTIONS)).isNotEmpty().allSatisfy(option -> assertThat(explained)
                .as(DEPLOYING + ", JVM options table, explains " + option)
                .anyMatch(p -> p.matcher(option).matches() || p.matcher(option.split("=")[0]).matches()));
    }

    /** Documented options of camel-kubernetes-cluster-service-starter (camel.cluster.kubernetes.*). */
    private static final Set<String> CAMEL_KUBERNETES_CLUSTER_OPTIONS = Set.of("enabled", "cluster-labels", "config-map-name",
            "connection-timeout-millis", "id", "jitter-factor", "kubernetes-namespace", "lease-duration-millis",
            "master-url", "order", "pod-name", "renew-deadline-millis", "retry-period-millis", "attributes");

    /** CAMEL_CLUSTER_KUBERNETES_LEASEDURATIONMILLIS → lease-duration-millis (Spring's relaxed binding, dashes dropped). */
    private static String camelClusterKey(String variable) {
        String rest = variable.substring("CAMEL_CLUSTER_KUBERNETES_".length()).toLowerCase();
        String first = rest.split("_")[0];
        return CAMEL_KUBERNETES_CLUSTER_OPTIONS.stream().filter(o -> o.replace("-", "").equals(first)).findFirst().orElse(rest);
    }

    /** The variable names in the first column of the settings table in docs/configuration.md, its only table. */
    private static Set<String> configurationVariables() throws IOException {
        String page = Files.readString(CONFIGURATION);
        String header = "\n| environment variable | property | default | meaning |\n";
        assertThat(page).as(CONFIGURATION + " has the table" + header).contains(header);
        String table = page.substring(page.indexOf(header) + 1);
        table = table.substring(0, table.indexOf("\n\n"));
        Set<String> names = new TreeSet<>();
        for (String line : table.lines().filter(l -> l.startsWith("| `")).toList()) {
            Matcher name = Pattern.compile("`([A-Z][A-Z0-9_]+)`").matcher(line.split("\\|")[1]);
            while (name.find()) {
                names.add(name.group(1));
            }
        }
        return names;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The default of a {@code ${NAME:default}} setting in application.yaml. */
    private static Integer defaultOf(String... path) {
        Object value = applicationYaml;
        for (String key : path) {
            value = ((Map<?, ?>) value).get(key);
        }
        return Integer.valueOf(firstGroup(String.valueOf(value), "^\\$\\{[A-Z_]+:(\\d+)}$"));
    }

    private static long mebibytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Mi|Gi)").matcher(quantity);
        assertThat(m.matches()).as("a quantity in Mi or Gi: " + quantity).isTrue();
        return Long.parseLong(m.group(1)) * (m.group(2).equals("Gi") ? 1024 : 1);
    }

    private static Map<String, Object> the(String kind) {
        List<Map<String, Object>> found = DOCUMENTS.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertThat(found).as("one " + kind).hasSize(1);
        return found.get(0);
    }

    private static Map<String, Object> container() {
        return list(the("Deployment"), "spec", "template", "spec", "containers").get(0);
    }

    private static Map<String, Map<String, Object>> environment() {
        Map<String, Map<String, Object>> env = new LinkedHashMap<>();
        for (Map<String, Object> variable : list(container(), "env")) {
            assertThat(env.put((String) variable.get("name"), variable)).as("set once: " + variable.get("name")).isNull();
        }
        return env;
    }

    private static Map<String, Object> rule(Map<String, Object> role, String group, String resource) {
        return list(role, "rules").stream()
                .filter(r -> ((List<?>) r.get("apiGroups")).contains(group) && ((List<?>) r.get("resources")).contains(resource))
                .findFirst().orElseThrow(() -> new AssertionError("no rule for " + group + "/" + resource));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> from, String... path) {
        Map<String, Object> at = from;
        for (String key : path) {
            Object next = at.get(key);
            assertThat(next).as(String.join(".", path)).isInstanceOf(Map.class);
            at = (Map<String, Object>) next;
        }
        return at;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> from, String... path) {
        Map<String, Object> parent = map(from, java.util.Arrays.copyOf(path, path.length - 1));
        Object value = parent.get(path[path.length - 1]);
        assertThat(value).as(String.join(".", path)).isInstanceOf(List.class);
        return (List<Map<String, Object>>) value;
    }

    private static String string(Map<String, Object> from, String... path) {
        Object value = map(from, java.util.Arrays.copyOf(path, path.length - 1)).get(path[path.length - 1]);
        assertThat(value).as(String.join(".", path)).isInstanceOf(String.class);
        return (String) value;
    }

    private static String firstGroup(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("/" + regex + "/").isTrue();
        return m.group(1);
    }
}
