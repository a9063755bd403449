package io.dodoloops.bridge.loops;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitSlicesTest {

    @ParameterizedTest(name = "{0}/s -> {1} per {2} ms")
    @CsvSource({"10,1,105", "5,1,210", "3,1,350", "1,1,1050", "15,2,140", "100,10,105", "100000,10000,105"})
    void aRateIsReleasedInSlicesOfAboutATenthOfASecondWithFivePercentHeadroom(int perSecond, int requests, long periodMs) {
        assertThat(RateLimitSlices.slices(perSecond))
                .isEqualTo(Map.of(RateLimitSlices.REQUESTS, requests, RateLimitSlices.PERIOD_MS, periodMs));
    }

    @ParameterizedTest(name = "{0}/s")
    @CsvSource({"1", "3", "7", "10", "13", "15", "99", "101", "250"})
    void theSlicesNeverAddUpToMoreThanTheRate(int perSecond) {
        Map<String, Object> slices = RateLimitSlices.slices(perSecond);
        int requests = (int) slices.get(RateLimitSlices.REQUESTS);
        long periodMs = (long) slices.get(RateLimitSlices.PERIOD_MS);

        assertThat(1000.0 * requests / periodMs).isLessThanOrEqualTo(perSecond).isGreaterThan(perSecond * 0.9);
        assertThat(periodMs).isLessThanOrEqualTo(1050);
    }

    @Test
    void aRateBelowOneIsRefusedAtStartUp() {
        MockEnvironment environment = new MockEnvironment().withProperty("bridge.loops.rate-limit", "0");

        assertThatThrownBy(() -> new RateLimitSlices().postProcessEnvironment(environment, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("LOOPS_RATE_LIMIT");
    }
}
