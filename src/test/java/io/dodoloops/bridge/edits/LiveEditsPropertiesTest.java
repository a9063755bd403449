package io.dodoloops.bridge.edits;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.dodoloops.bridge.TestSettings;

/** bridge.live-edits.check-interval: a positive duration, or the bridge does not start. */
class LiveEditsPropertiesTest {

    private final ApplicationContextRunner spring = TestSettings.contexts().withUserConfiguration(LiveEditsConfiguration.class);

    @Test
    void theCheckIntervalIsADuration() {
        spring.withPropertyValues("bridge.live-edits.check-interval=500ms").run(context ->
                assertThat(context.getBean(LiveEditsProperties.class).checkInterval()).isEqualTo(Duration.ofMillis(500)));
    }

    @Test
    void aZeroNegativeOrMissingIntervalStopsTheStartWithThePropertyNamed() {
        for (String interval : new String[] {"0s", "-1s"}) {
            spring.withPropertyValues("bridge.live-edits.check-interval=" + interval).run(context ->
                    assertThat(context).getFailure().rootCause().isInstanceOf(IllegalArgumentException.class)
                            .hasMessageStartingWith("bridge.live-edits.check-interval must be a positive duration"));
        }
        spring.withPropertyValues("bridge.live-edits.check-interval=").run(context -> assertThat(context).getFailure()
                .rootCause().hasMessageEndingWith("was null"));
    }
}
