package io.dodoloops.bridge.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.dodoloops.bridge.loops.LoopsRequest;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The {@code choice} in {@code routes/transform.yaml}: which event type reaches which transform, and which stay unsent.
 * DeliveryTest checks the same route end to end.
 */
class TransformMappingTest {

    private static final Pattern EVENT_TYPE = Pattern.compile("\\$\\{header\\.DodoEventType} == '([^']+)'");
    private static final Pattern SCRIPT = Pattern.compile("transform\\(\\$\\{body}, '([^']+)'\\)");

    /** Event type → the script the route hands it to, or the bean's name for a Java transform. */
    @SuppressWarnings("unchecked")
    private static Map<String, String> mapping() throws IOException {
        Object routes;
        try (Reader reader = Files.newBufferedReader(Path.of("routes/transform.yaml"))) {
            routes = new Yaml().load(reader);
        }
        Map<String, Object> route = (Map<String, Object>) ((Map<String, Object>) ((List<?>) routes).get(0)).get("route");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) ((Map<String, Object>) route.get("from")).get("steps");
        Map<String, Object> choice = steps.stream().filter(step -> step.containsKey("choice"))
                .map(step -> (Map<String, Object>) step.get("choice")).findFirst().orElseThrow();
        Map<String, String> mapping = new LinkedHashMap<>();
        for (Map<String, Object> when : (List<Map<String, Object>>) choice.get("when")) {
            Matcher type = EVENT_TYPE.matcher((String) when.get("simple"));
            assertThat(type.matches()).as("branch %s tests one event type", when.get("id")).isTrue();
            Map<String, Object> bean = (Map<String, Object>) ((List<Map<String, Object>>) when.get("steps")).get(0).get("bean");
            if (bean == null) { // subscription.active: welcome or reactivation, WelcomeOnceTest's
                mapping.put(type.group(1), "welcome-or-reactivated");
                continue;
            }
            Object method = bean.get("method");
            String target = (String) bean.get("ref");
            if (method != null) {
                Matcher script = SCRIPT.matcher((String) method);
                assertThat(script.matches()).as("branch %s calls a script", when.get("id")).isTrue();
                target = script.group(1);
            }
            assertThat(mapping.put(type.group(1), target)).as("%s mapped twice", type.group(1)).isNull();
        }
        return mapping;
    }

    @Test
    void eachCustomerEventTypeReachesItsTransform() throws IOException {
        Map<String, String> mapping = mapping();

        assertThat(mapping).containsKey("subscription.active"); // its transform is changed elsewhere
        mapping.remove("subscription.active");
        assertThat(mapping).containsExactlyInAnyOrderEntriesOf(Map.of(
                "payment.succeeded", "payment_confirmation.js",
                "payment.failed", "payment_failed.js",
                "subscription.renewed", "subscription_renewed.js",
                "subscription.on_hold", "subscription_on_hold.js",
                "subscription.plan_changed", "subscription_plan_changed.js",
                "subscription.cancelled", "subscription_cancelled.js",
                "subscription.expired", "subscription_expired.js",
                "refund.succeeded", "refund_confirmation.js"));
    }

    @Test
    void everyMappedScriptAcceptsItsSampleAndMakesALoopsEvent() throws IOException {
        try (JavaScriptTransforms transforms = Samples.shippedTransforms(Map.of())) {
            mapping().forEach((type, target) -> {
                if (target.endsWith(".js")) {
                    assertThat(transforms.transform(Samples.event(type), target).path()).as(type).isEqualTo(LoopsRequest.EVENTS_SEND);
                }
            });
        }
    }

    @Test
    void merchantFacingEventTypesStayUnsent() throws IOException {
        Map<String, String> mapping = mapping();

        try (Stream<Path> samples = Files.list(Path.of("src/main/resources/samples/dodo"))) {
            samples.map(sample -> sample.getFileName().toString().replaceFirst("\\.json$", ""))
                    .filter(type -> type.matches("(dispute|payout|credit|abandoned_checkout|dunning|license_key|entitlement_grant)\\..*"))
                    .forEach(type -> assertThat(mapping).as(type).doesNotContainKey(type));
        }
    }

    /**
     * The table of Dodo events in docs/transforms.md ("What the bridge does with each Dodo event") is what the scripts
     * send: event name and eventProperties, row by row.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theDocumentedTableSaysWhatEachMappedScriptSends() throws IOException {
        Map<String, String> documented = new LinkedHashMap<>();
        Pattern row = Pattern.compile("^\\| `([a-z_.]+)` \\| `([a-z_]+)`[^|]*\\| ([^|]+) \\|$");
        for (String line : Files.readAllLines(Path.of("docs/transforms.md"))) {
            Matcher match = row.matcher(line);
            if (match.matches()) {
                documented.putIfAbsent(match.group(1), match.group(2) + " " + match.group(3).replaceAll(" \\([^)]*\\)", ""));
            }
        }
        try (JavaScriptTransforms transforms = Samples.shippedTransforms(Map.of())) {
            mapping().forEach((type, target) -> {
                if (target.endsWith(".js")) {
                    Map<String, Object> body = transforms.transform(Samples.event(type), target).body();
                    String sent = body.get("eventName") + " "
                            + String.join(", ", ((Map<String, Object>) body.get("eventProperties")).keySet());
                    assertThat(documented.get(type)).as("docs/transforms.md row for %s", type).isEqualTo(sent);
                }
            });
        }
    }
}
