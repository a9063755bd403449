package io.dodoloops.bridge.transform;

import io.dodoloops.bridge.TestSettings;
import io.dodoloops.bridge.edits.LiveEditsConfiguration;
import io.dodoloops.bridge.loops.TransactionalEmails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;

import java.util.Map;

import io.dodoloops.bridge.loops.LoopsRequest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.health.HealthContributorAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.health.HealthEndpointAutoConfiguration;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The beans the Camel route refers to by name, built by Spring from configuration. */
class TransformWiringTest {

    private final ApplicationContextRunner spring = TestSettings.contexts()
            .withUserConfiguration(LiveEditsConfiguration.class, TransformConfiguration.class, TransactionalEmails.class,
                    JavaScriptTransforms.class, SubscriptionWelcomeTransform.class);

    @Test
    void routeBeansExistUnderTheirNamesWithDefaultConfiguration() {
        spring.run(context -> {
            assertThat(context).hasBean("javascript").hasBean("subscriptionWelcome");
            assertThat(context.getBean(TransformProperties.class)).isEqualTo(TestSettings.transforms(Map.of()));
        });
    }

    @Test
    void configurationReachesTheScripts() {
        spring.withPropertyValues(
                        "bridge.loops.base-url=http://127.0.0.1:8089/api",
                        "bridge.transforms.env.RETRY_LINK_BASE=https://shop.example/retry/")
                .run(context -> {
                    LoopsRequest request = context.getBean("javascript", JavaScriptTransforms.class)
                            .transform(Samples.event("payment.failed"), "payment_failed.js");

                    assertThat(((Map<?, ?>) request.body().get("eventProperties")).get("retry_link"))
                            .isEqualTo("https://shop.example/retry/pay_2IjeQm4hqU6RA4Z4kwDee");
                });
    }

    /** The bean name makes the component's name: /actuator/health/transforms. */
    @Test
    void healthHasATransformsComponent() {
        spring.withConfiguration(AutoConfigurations.of(HealthContributorAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
                // application.yaml's readiness group names contributors (Camel's, the broker's) this small context has not
                .withPropertyValues("management.endpoint.health.show-components=always", "management.endpoint.health.show-details=always",
                        "management.endpoint.health.validate-group-membership=false")
                .run(context -> {
                    context.getBean("javascript", JavaScriptTransforms.class).transform(Samples.event("payment.failed"), "payment_failed.js");

                    Health transforms = (Health) context.getBean(HealthEndpoint.class).healthForPath("transforms");

                    assertThat(transforms.getStatus()).isEqualTo(Status.UP);
                    assertThat(transforms.getDetails().get("scripts")).asInstanceOf(LIST).contains("payment_failed.js");
                });
    }
}
