package io.dodoloops.bridge.transform;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Locale;

/**
 * Dodo amounts are integers in the currency's smallest unit (cents for USD, yen for JPY, fils for KWD). This is the
 * one place that turns them into the decimal text emails show; scripts reach it as {@code formatAmount}.
 */
public final class Amounts {

    private static final int DEFAULT_FRACTION_DIGITS = 2;

    private Amounts() {
    }

    /**
     * {@code format(400, "USD")} is {@code "4.00"}, {@code format(1500, "JPY")} is {@code "1500"}, {@code format(1234,
     * "KWD")} is {@code "1.234"}. Always a plain '.'-separated number without grouping, whatever the JVM locale;
     * an unknown or missing currency gets two decimals.
     */
    public static String format(long minorUnits, String currencyCode) {
        return BigDecimal.valueOf(minorUnits, fractionDigits(currencyCode)).toPlainString();
    }

    static int fractionDigits(String currencyCode) {
        if (currencyCode == null || currencyCode.isBlank()) {
            return DEFAULT_FRACTION_DIGITS;
        }
        try {
            int digits = Currency.getInstance(currencyCode.trim().toUpperCase(Locale.ROOT)).getDefaultFractionDigits();
            return digits >= 0 ? digits : DEFAULT_FRACTION_DIGITS; // -1 for pseudo-currencies such as XAU
        } catch (IllegalArgumentException unknown) {
            return DEFAULT_FRACTION_DIGITS;
        }
    }
}
