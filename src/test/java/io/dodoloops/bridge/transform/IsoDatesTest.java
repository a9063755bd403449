package io.dodoloops.bridge.transform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IsoDatesTest {

    @Test
    void givesTheUtcCalendarDateOfADodoTimestamp() {
        assertThat(IsoDates.utcDate("2025-08-04T05:30:45.182629Z")).isEqualTo("2025-08-04");
    }

    @Test
    void convertsOffsetsToUtc() {
        assertThat(IsoDates.utcDate("2025-08-04T01:00:00+05:30")).isEqualTo("2025-08-03");
    }

    @Test
    void acceptsTimestampsWithoutOffsetAndPlainDates() {
        assertThat(IsoDates.utcDate("2025-08-04T23:59:59")).isEqualTo("2025-08-04");
        assertThat(IsoDates.utcDate("2025-08-04")).isEqualTo("2025-08-04");
    }

    @Test
    void missingTimestampIsEmpty() {
        assertThat(IsoDates.utcDate(null)).isEmpty();
        assertThat(IsoDates.utcDate(" ")).isEmpty();
    }

    @Test
    void rejectsTextThatIsNoTimestamp() {
        assertThatThrownBy(() -> IsoDates.utcDate("next tuesday"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not an ISO-8601 timestamp");
    }
}
