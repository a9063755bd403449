package io.dodoloops.bridge.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import org.junit.jupiter.api.Test;

class AmountsTest {

    @Test
    void usesTheCurrencysOwnNumberOfDecimals() {
        assertThat(Amounts.format(400, "USD")).isEqualTo("4.00");
        assertThat(Amounts.format(1500, "JPY")).isEqualTo("1500");
        assertThat(Amounts.format(1234, "KWD")).isEqualTo("1.234");
        assertThat(Amounts.format(123456789, "EUR")).isEqualTo("1234567.89");
    }

    @Test
    void handlesZeroAndNegativeAmounts() {
        assertThat(Amounts.format(0, "USD")).isEqualTo("0.00");
        assertThat(Amounts.format(0, "JPY")).isEqualTo("0");
        assertThat(Amounts.format(-5, "USD")).isEqualTo("-0.05");
        assertThat(Amounts.format(-1500, "USD")).isEqualTo("-15.00");
    }

    @Test
    void unknownOrMissingCurrencyGetsTwoDecimals() {
        assertThat(Amounts.format(400, null)).isEqualTo("4.00");
        assertThat(Amounts.format(400, "")).isEqualTo("4.00");
        assertThat(Amounts.format(400, "ZZZ")).isEqualTo("4.00");
        assertThat(Amounts.format(400, "XAU")).isEqualTo("4.00"); // a real code without decimals defined
    }

    @Test
    void acceptsLowerCaseCurrencyCodes() {
        assertThat(Amounts.format(1500, "jpy")).isEqualTo("1500");
    }

    @Test
    void ignoresTheJvmLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertThat(Amounts.format(123456, "USD")).isEqualTo("1234.56");
            assertThat(Amounts.format(1234, "KWD")).isEqualTo("1.234");
        } finally {
            Locale.setDefault(before);
        }
    }
}
