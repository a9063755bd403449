package io.dodoloops.bridge.transform;

import io.dodoloops.bridge.TestSettings;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.dodoloops.bridge.loops.LoopsRequest;
import org.junit.jupiter.api.Test;

/**
 * The payment.succeeded template from the Dodo dashboard, pasted verbatim into
 * {@code src/test/resources/transform/dodo_dashboard_payment_succeeded.js}: it names the wrong Loops URL and puts
 * the data under {@code properties}, and must still work.
 */
class DashboardTemplateTest {

    private static final String TEMPLATE = "dodo_dashboard_payment_succeeded.js";

    @Test
    void dashboardTemplateWorksAsPasted() {
        try (JavaScriptTransforms transforms = transforms("http://127.0.0.1:8089/api")) {
            LoopsRequest request = transforms.transform(Samples.event("payment.succeeded"), TEMPLATE);

            assertThat(request.path()).isEqualTo(LoopsRequest.EVENTS_SEND);
            assertThat(request.body()).containsOnlyKeys("eventName", "email", "eventProperties");
            assertThat(request.body()).containsEntry("eventName", "payment_confirmation").containsEntry("email", "test@acme.com");
            assertThat((Map<String, Object>) request.body().get("eventProperties"))
                    .containsEntry("customer_name", "Test user")
                    .containsEntry("payment_id", "pay_2IjeQm4hqU6RA4Z4kwDee")
                    .containsEntry("amount", "4.00")
                    .containsEntry("currency", "USD")
                    .containsEntry("payment_method", "card")
                    .containsKey("payment_date"); // toLocaleDateString(): whatever the locale says, hence our own scripts
        }
    }

    @Test
    void warnsOncePerScriptNotPerEvent() {
        try (JavaScriptTransforms transforms = transforms("https://app.loops.so/api");
             LogCapture log = new LogCapture(JavaScriptTransforms.class)) {
            for (int i = 0; i < 3; i++) {
                transforms.transform(Samples.event("payment.succeeded"), TEMPLATE);
            }

            assertThat(log.warnings()).containsExactly(
                    "transform dodo_dashboard_payment_succeeded.js uses the Loops URL https://api.loops.so/v1/events/send"
                            + " (the Dodo dashboard template's is wrong); sending to the configured Loops base URL"
                            + " https://app.loops.so/api instead",
                    "transform dodo_dashboard_payment_succeeded.js puts event data under 'properties' (as the Dodo"
                            + " dashboard template does); sending it as 'eventProperties', which is what Loops reads");
        }
    }

    private static JavaScriptTransforms transforms(String loopsBaseUrl) {
        return new JavaScriptTransforms(TestSettings.transforms(Map.of("bridge.transforms.directory", "src/test/resources/transform")), loopsBaseUrl);
    }
}
