package io.dodoloops.bridge.loops;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitSlicesTest {

    @ParameterizedTest(name = "{0}/s -> {1} per {2} ms, sent {3} µs apart")
    @CsvSource({"10,1,105,105000", "5,1,210,210000", "3,1,350,350000", "1,1,1050,1050000", "15,2,140,70000",
            "100,10,105,10500", "100000,10000,105,11"})
    void aRateIsReleasedInSlicesOfAboutATenthOfASecondAndSpacedOnTheWireWithFivePercentHeadroom(
            int perSecond, int requests, long periodMs, long spacingMicros) {
        assertThat(RateLimitSlices.slices(perSecond)).isEqualTo(Map.of(RateLimitSlices.REQUESTS, requests,
                RateLimitSlices.PERIOD_MS, periodMs, RateLimitSlices.SPACING_US, spacingMicros));
    }

    @ParameterizedTest(name = "{0}/s")
    @CsvSource({"1", "3", "7", "10", "13", "15", "99", "101", "250"})
    void theSlicesNeverAddUpToMoreThanTheRate(int perSecond) {
        Map<String, Object> slices = RateLimitSlices.slices(perSecond);
        int requests = (int) slices.get(RateLimitSlices.REQUESTS);
        long periodMs = (long) slices.get(RateLimitSlices.PERIOD_MS);

        assertThat(1000.0 * requests / periodMs).isLessThanOrEqualTo(perSecond).isGreaterThan(perSecond * 0.9);
        assertThat(periodMs).isLessThanOrEqualTo(1050);
        assertThat(1e6 / (long) slices.get(RateLimitSlices.SPACING_US)).isLessThanOrEqualTo(perSecond)
                .isGreaterThan(perSecond * 0.9);
    }

    @Test
    void aRateBelowOneIsRefusedAtStartUp() {
        MockEnvironment environment = new MockEnvironment().withProperty("bridge.loops.rate-limit", "0");

        assertThatThrownBy(() -> new RateLimitSlices().postProcessEnvironment(environment, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("LOOPS_RATE_LIMIT");
    }
}
