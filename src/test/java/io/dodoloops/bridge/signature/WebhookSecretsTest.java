package io.dodoloops.bridge.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookSecretsTest {

    private static final String SECRET_A = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String SECRET_B = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    private static final byte[] KEY_A = Base64.getDecoder().decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    private static final byte[] KEY_B = Base64.getDecoder().decode("C2FVsBQIhrscChlQIMV+b5sSYspob7oD");

    @Nested
    @DisplayName("a valid configuration")
    class Valid {

        @Test
        void aSingleWhsecSecretYieldsTheBase64DecodedKey() {
            WebhookSecrets secrets = WebhookSecrets.parse(SECRET_A);

            assertThat(secrets.size()).isEqualTo(1);
            assertThat(secrets.keys()).containsExactly(KEY_A);
        }

        @ParameterizedTest
        @ValueSource(strings = {
                SECRET_A + " " + SECRET_B,
                SECRET_A + "," + SECRET_B,
                SECRET_A + ", " + SECRET_B,
                "  " + SECRET_A + " ,\t" + SECRET_B + "\n",
                "," + SECRET_A + ",," + SECRET_B + ","})
        void severalSecretsSeparatedBySpacesAndOrCommasAreKeptInOrder(String configured) {
            WebhookSecrets secrets = WebhookSecrets.parse(configured);

            assertThat(secrets.size()).isEqualTo(2);
            assertThat(secrets.keys()).containsExactly(KEY_A, KEY_B);
        }

        @Test
        void anEntryWithoutThePrefixIsReadAsBase64Too() {
            WebhookSecrets secrets = WebhookSecrets.parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

            assertThat(secrets.keys()).containsExactly(KEY_A);
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS=",      // the Python library's padding cases
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwBr==",
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",       // padding left out
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwBr",
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw=="})   // surplus padding, as Python's appended "=="
        void paddingMayBeMissingOrSurplus(String configured) {
            assertThat(WebhookSecrets.parse(configured).size()).isEqualTo(1);
        }

        @Test
        void missingPaddingGivesTheSameKeyAsCorrectPadding() {
            assertThat(WebhookSecrets.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS").keys())
                    .containsExactlyElementsOf(WebhookSecrets.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS=").keys());
            assertThat(WebhookSecrets.parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw==").keys())
                    .containsExactly(KEY_A);
        }

        @Test
        void theKeysHandedOutAreCopies() {
            WebhookSecrets secrets = WebhookSecrets.parse(SECRET_A);

            secrets.keys().get(0)[0] ^= 1;

            assertThat(secrets.keys()).containsExactly(KEY_A);
        }
    }

    @Nested
    @DisplayName("an invalid configuration is refused without showing the secret")
    class Invalid {

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "   ", " , ,\n"})
        void nothingConfigured(String configured) {
            assertThatThrownBy(() -> WebhookSecrets.parse(configured))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("DODO_WEBHOOK_SECRET is empty: expected one or more whsec_<base64> secrets"
                            + " separated by spaces or commas");
        }

        @Test
        void thePrefixAlone() {
            assertThatThrownBy(() -> WebhookSecrets.parse("whsec_"))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("DODO_WEBHOOK_SECRET entry 1 has nothing after 'whsec_'");
            assertThatThrownBy(() -> WebhookSecrets.parse(SECRET_A + " whsec_=="))
                    .hasMessage("DODO_WEBHOOK_SECRET entry 2 has nothing after 'whsec_'");
        }

        @Test
        void invalidBase64AfterThePrefixNamesTheEntryPosition() {
            String bad = "whsec_s3cr3t*value";

            assertThatThrownBy(() -> WebhookSecrets.parse(SECRET_A + ", " + bad))
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessage("DODO_WEBHOOK_SECRET entry 2 is not valid base64 after 'whsec_'")
                    .hasNoCause() // the decoder's own message quotes the offending character
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t", SECRET_A.substring(6)));
        }

        @Test
        void base64OfImpossibleLengthIsInvalid() {
            assertThatThrownBy(() -> WebhookSecrets.parse("whsec_abcde"))
                    .hasMessage("DODO_WEBHOOK_SECRET entry 1 is not valid base64 after 'whsec_'");
        }

        @Test
        void invalidBase64WithoutThePrefixSaysWhatWasExpected() {
            assertThatThrownBy(() -> WebhookSecrets.parse("wh-sec_s3cr3t"))
                    .hasMessage("DODO_WEBHOOK_SECRET entry 1 is not valid base64 (expected whsec_<base64>)");
        }
    }

    @Test
    void toStringCountsSecretsButNeverShowsThem() {
        assertThat(WebhookSecrets.parse(SECRET_A)).hasToString("WebhookSecrets[1 secret]");
        assertThat(WebhookSecrets.parse(SECRET_A + " " + SECRET_B)).hasToString("WebhookSecrets[2 secrets]");
    }

    @Test
    void generateGivesA32ByteSecretThatParses() {
        SecureRandom random = new SecureRandom();

        String first = WebhookSecrets.generate(random);
        String second = WebhookSecrets.generate(random);

        assertThat(first).startsWith("whsec_").hasSize("whsec_".length() + 44);
        assertThat(WebhookSecrets.parse(first).keys()).singleElement()
                .satisfies(key -> assertThat(key).hasSize(32));
        assertThat(second).isNotEqualTo(first);
    }
}
