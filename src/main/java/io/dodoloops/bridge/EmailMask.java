package io.dodoloops.bridge;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Customer emails never reach a log line whole: {@code test@acme.com} is logged as {@code t***@acme.com}. */
public final class EmailMask {

    // Letters and digits of any script: customers have names like josé@exämple.com.
    private static final Pattern EMAIL = Pattern.compile("([\\p{L}\\p{N}._%+-])[\\p{L}\\p{N}._%+-]*@([\\p{L}\\p{N}.-]+)");

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
