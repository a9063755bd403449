package io.dodoloops.bridge;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Customer emails never reach a log line whole: {@code test@acme.com} is logged as {@code t***@acme.com}. */
public final class EmailMask {

    private static final Pattern EMAIL = Pattern.compile("([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+)");

    private EmailMask() {
    }

    /** {@code text} with every email address in it masked. */
    public static String mask(String text) {
        if (text == null || text.indexOf('@') < 0) {
            return text;
        }
        return EMAIL.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "***@" + m.group(2)));
    }
}
