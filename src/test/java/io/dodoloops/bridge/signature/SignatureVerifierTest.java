package io.dodoloops.bridge.signature;

import static io.dodoloops.bridge.signature.TestSignatures.utf8;
import static io.dodoloops.bridge.signature.TestSignatures.v1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureVerifierTest {

    // Official Standard Webhooks vector A.
    static final String SECRET_A = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ID_A = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    static final long TIME_A = 1614265330;
    static final byte[] BODY_A = utf8("{\"test\": 2432232314}");
    static final String SIGNATURE_A = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    // Official Standard Webhooks vector B.
    static final String SECRET_B = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    static final String ID_B = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk";
    static final long TIME_B = 1649367553;
    static final byte[] BODY_B = utf8("{\"email\":\"test@example.com\",\"username\":\"test_user\"}");
    static final String SIGNATURE_B = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";

    static final String NO_MATCH = "signature does not match any configured secret";

    static SignatureVerifier verifierAt(long nowSeconds, String secrets) {
        return verifierAt(nowSeconds, secrets, SignatureVerifier.DEFAULT_TOLERANCE);
    }

    static SignatureVerifier verifierAt(long nowSeconds, String secrets, Duration tolerance) {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(nowSeconds), ZoneOffset.UTC);
        return new SignatureVerifier(WebhookSecrets.parse(secrets), tolerance, clock);
    }

    static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(Runnable verification, String reason) {
        return assertThatThrownBy(verification::run)
                .isExactlyInstanceOf(SignatureRejectedException.class)
                .hasMessage(reason)
                .satisfies(e -> assertThat(((SignatureRejectedException) e).reason()).isEqualTo(reason));
    }

    @Nested
    @DisplayName("signatures made with the configured secret verify")
    class Accepted {

        @Test
        void officialVectorA() {
            assertThatCode(() -> verifierAt(TIME_A, SECRET_A).verify(ID_A, "1614265330", SIGNATURE_A, BODY_A))
                    .doesNotThrowAnyException();
        }

        @Test
        void officialVectorB() {
            assertThatCode(() -> verifierAt(TIME_B, SECRET_B).verify(ID_B, "1649367553", SIGNATURE_B, BODY_B))
                    .doesNotThrowAnyException();
        }

        @Test
        void aDodoShapedLicenseKeyEvent() {
            byte[] body = utf8("{\"business_id\":\"bus_P3SXLcppjXgagmHSVaH3N\",\"data\":{\"activations_limit\":null,"
                    + "\"business_id\":\"bus_P3SXLcppjXgagmHSVaH3N\",\"created_at\":\"2025-08-04T05:43:19.882409Z\","
                    + "\"customer_id\":\"cus_8VbC6JDZzPEqfBPUdpj0K\",\"expires_at\":null,\"id\":\"lic_bL8HwBAMfuQKS8HODxegO\","
                    + "\"instances_count\":0,\"key\":\"db44b22c-fe9b-4a68-bf0d-b0e0d6c6c8c0\",\"payload_type\":\"LicenseKey\","
                    + "\"payment_id\":\"pay_E5v6dwdKJCg83Gcxd3TRA\",\"product_id\":\"pdt_64iOqOi80QypjfohmrwAH\","
                    + "\"status\":\"active\",\"subscription_id\":null},\"timestamp\":\"2025-08-04T05:43:19.882409Z\","
                    + "\"type\":\"license_key.created\"}");

            assertThatCode(() -> verifierAt(1754286199, SECRET_A).verify(ID_A, "1754286199",
                    "v1,/UxtdqgMS/RItvMQbdaESjSsQgReTyEX5A2XWa/82gw=", body))
                    .doesNotThrowAnyException();
        }

        @Test
        void aMatchingEntryAfterAWrongOneInTheHeaderList() {
            String header = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= " + SIGNATURE_A;

            assertThatCode(() -> verifierAt(TIME_A, SECRET_A).verify(ID_A, "1614265330", header, BODY_A))
                    .doesNotThrowAnyException();
        }

        @Test
        void unknownVersionsAndMalformedEntriesAreSkipped() {
            String header = "v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=  nocomma v2,abc " + SIGNATURE_A;

            assertThatCode(() -> verifierAt(TIME_A, SECRET_A).verify(ID_A, "1614265330", header, BODY_A))
                    .doesNotThrowAnyException();
        }
    }

    @Nested
    @DisplayName("signatures that do not match are rejected")
    class Mismatch {

        @ParameterizedTest
        @ValueSource(strings = {
                "v1,dawfeoifkpqwoekfpqoekf",
                "v1,",
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=", // vector A, last character altered
                "v1,not*base64!",
                "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v1,dawfeoifkpqwoekfpqoekf",
                SIGNATURE_B})
        void forVectorA(String header) {
            assertRejected(() -> verifierAt(TIME_A, SECRET_A).verify(ID_A, "1614265330", header, BODY_A), NO_MATCH);
        }

        @Test
        void theOfficialInvalidSignatureForVectorB() {
            String header = "v1,R3PTzyfHASBKHH98a7yexTwaJ4yNIcGhFQc1yuN+BPU=";

            assertRejected(() -> verifierAt(TIME_B, SECRET_B).verify(ID_B, "1649367553", header, BODY_B), NO_MATCH);
        }

        @Test
        void aCorrectSignatureUnderAnUnsupportedVersionOnly() {
            String header = "v1a,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

            assertRejected(() -> verifierAt(TIME_A, SECRET_A).verify(ID_A, "1614265330", header, BODY_A),
                    "no v1 signature in webhook-signature header");
        }

        @ParameterizedTest
        @ValueSource(strings = {"v2,abc", "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", "V1,abc", ",abc"})
        void aHeaderWithNoV1Entry(String header) {
            assertRejected(() -> verifierAt(TIME_A, SECRET_A).verify(ID_A, "1614265330", header, BODY_A),
                    "no v1 signature in webhook-signature header");
        }

        @Test
        void anotherWebhookId() {
            assertRejected(() -> verifierAt(TIME_A, SECRET_A)
                    .verify("msg_p5jXN8AQM9LWM0D4loKWxJeK", "1614265330", SIGNATURE_A, BODY_A), NO_MATCH);
        }

        @Test
        void theSameSignatureReplayedWithAnotherTimestamp() {
            assertRejected(() -> verifierAt(TIME_A, SECRET_A).verify(ID_A, "1614265331", SIGNATURE_A, BODY_A),
                    NO_MATCH);
        }
    }

    @Nested
    @DisplayName("several configured secrets (rotation)")
    class Rotation {

        static final String OLD_AND_NEW = SECRET_A + ", " + SECRET_B;

        @Test
        void aWebhookSignedWithTheOldSecretVerifies() {
            assertThatCode(() -> verifierAt(TIME_A, OLD_AND_NEW).verify(ID_A, "1614265330", SIGNATURE_A, BODY_A))
                    .doesNotThrowAnyException();
        }

        @Test
        void aWebhookSignedWithTheNewSecretVerifies() {
            assertThatCode(() -> verifierAt(TIME_B, OLD_AND_NEW).verify(ID_B, "1649367553", SIGNATURE_B, BODY_B))
                    .doesNotThrowAnyException();
        }

        @Test
        void aWebhookSignedWithNeitherIsRejected() {
            String other = "whsec_" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB";
            String header = v1(other, ID_A, TIME_A, BODY_A);

            assertRejected(() -> verifierAt(TIME_A, OLD_AND_NEW).verify(ID_A, "1614265330", header, BODY_A), NO_MATCH);
        }

        @Test
        void aWebhookSignedWithTheRemovedSecretIsRejected() {
            assertRejected(() -> verifierAt(TIME_A, SECRET_B).verify(ID_A, "1614265330", SIGNATURE_A, BODY_A),
                    NO_MATCH);
        }
    }

    @Nested
    @DisplayName("the timestamp must be a fresh Unix time in seconds")
    class Timestamp {

        static final long NOW = 1_754_286_199;

        void verifySentAt(long sent, Duration tolerance) {
            String header = v1(SECRET_A, ID_A, sent, BODY_A);
            verifierAt(NOW, SECRET_A, tolerance).verify(ID_A, Long.toString(sent), header, BODY_A);
        }

        @Test
        void exactlyAtTheToleranceInEitherDirectionIsAccepted() {
            assertThatCode(() -> verifySentAt(NOW - 300, Duration.ofMinutes(5))).doesNotThrowAnyException();
            assertThatCode(() -> verifySentAt(NOW + 300, Duration.ofMinutes(5))).doesNotThrowAnyException();
            assertThatCode(() -> verifySentAt(NOW, Duration.ofMinutes(5))).doesNotThrowAnyException();
        }

        @Test
        void oneSecondBeyondTheToleranceInThePastIsTooOld() {
            assertRejected(() -> verifySentAt(NOW - 301, Duration.ofMinutes(5)),
                    "webhook-timestamp is too old (tolerance 300 s)");
        }

        @Test
        void oneSecondBeyondTheToleranceInTheFutureIsTooNew() {
            assertRejected(() -> verifySentAt(NOW + 301, Duration.ofMinutes(5)),
                    "webhook-timestamp is too new (tolerance 300 s)");
        }

        @Test
        void aCustomToleranceIsHonouredAndReported() {
            Duration oneMinute = Duration.ofSeconds(60);

            assertThatCode(() -> verifySentAt(NOW - 60, oneMinute)).doesNotThrowAnyException();
            assertThatCode(() -> verifySentAt(NOW + 60, oneMinute)).doesNotThrowAnyException();
            assertRejected(() -> verifySentAt(NOW - 61, oneMinute), "webhook-timestamp is too old (tolerance 60 s)");
            assertRejected(() -> verifySentAt(NOW + 61, oneMinute), "webhook-timestamp is too new (tolerance 60 s)");
        }

        @Test
        void aCorrectlySignedButStaleWebhookIsRejectedAsTooOld() {
            assertRejected(() -> verifierAt(TIME_A + 301, SECRET_A).verify(ID_A, "1614265330", SIGNATURE_A, BODY_A),
                    "webhook-timestamp is too old (tolerance 300 s)");
        }

        @Test
        void millisecondsAreFarInTheFuture() {
            assertRejected(() -> verifySentAt(NOW * 1000, Duration.ofMinutes(5)),
                    "webhook-timestamp is too new (tolerance 300 s)");
        }

        @ParameterizedTest
        @ValueSource(strings = {"abc", "1614265330.5", "1614265330s", "+1614265330", "01614265330", " 1614265330",
                "1614265330 ", "-1", "2025-08-04T05:43:19Z", "99999999999999999999999"})
        void anythingButPlainDecimalSecondsIsRefused(String timestamp) {
            assertRejected(() -> verifierAt(TIME_A, SECRET_A).verify(ID_A, timestamp, SIGNATURE_A, BODY_A),
                    "webhook-timestamp is not a Unix time in seconds");
        }
    }

    @Nested
    @DisplayName("each header is required")
    class MissingHeaders {

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "  "})
        void webhookId(String id) {
            assertRejected(() -> verifierAt(TIME_A, SECRET_A).verify(id, "1614265330", SIGNATURE_A, BODY_A),
                    "missing webhook-id header");
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "  "})
        void webhookTimestamp(String timestamp) {
            assertRejected(() -> verifierAt(TIME_A, SECRET_A).verify(ID_A, timestamp, SIGNATURE_A, BODY_A),
                    "missing webhook-timestamp header");
        }

        @ParameterizedTest
        @NullSource
        @ValueSource(strings = {"", "  "})
        void webhookSignature(String signature) {
            assertRejected(() -> verifierAt(TIME_A, SECRET_A).verify(ID_A, "1614265330", signature, BODY_A),
                    "missing webhook-signature header");
        }
    }

    @Nested
    @DisplayName("the body is verified as raw bytes")
    class RawBody {

        @Test
        void bytesThatAreNotValidUtf8StillVerify() {
            byte[] body = {'{', '"', 'n', '"', ':', '"', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '"', '}'};
            // Decoding and re-encoding would change these bytes, so a String round trip could not pass.
            assertThat(new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8)).isNotEqualTo(body);
            String header = v1(SECRET_A, ID_A, TIME_A, body);

            assertThatCode(() -> verifierAt(TIME_A, SECRET_A).verify(ID_A, "1614265330", header, body))
                    .doesNotThrowAnyException();
        }

        @Test
        void aBodyWithOneByteChangedIsRejected() {
            byte[] tampered = BODY_A.clone();
            tampered[tampered.length - 2] ^= 1;

            assertRejected(() -> verifierAt(TIME_A, SECRET_A).verify(ID_A, "1614265330", SIGNATURE_A, tampered),
                    NO_MATCH);
        }

        @Test
        void anEmptyBodyIsSignedAsNoBytesAndNullMeansEmpty() {
            String header = v1(SECRET_A, ID_A, TIME_A, new byte[0]);
            SignatureVerifier verifier = verifierAt(TIME_A, SECRET_A);

            assertThatCode(() -> verifier.verify(ID_A, "1614265330", header, new byte[0])).doesNotThrowAnyException();
            assertThatCode(() -> verifier.verify(ID_A, "1614265330", header, null)).doesNotThrowAnyException();
            assertRejected(() -> verifier.verify(ID_A, "1614265330", header, utf8(" ")), NO_MATCH);
        }
    }

    @Test
    void noReasonEverContainsASecretOrAComputedSignature() {
        SignatureVerifier verifier = verifierAt(TIME_A, SECRET_A + " " + SECRET_B);
        String expectedForTampered = v1(SECRET_A, ID_A, TIME_A, utf8("{}")).substring(3);
        List<Runnable> failures = List.of(
                () -> verifier.verify(ID_A, "1614265330", SIGNATURE_A, utf8("{}")),
                () -> verifier.verify(ID_A, "1614265330", "v1a,x", BODY_A),
                () -> verifier.verify(ID_A, "1614265000", SIGNATURE_A, BODY_A),
                () -> verifier.verify(ID_A, "x", SIGNATURE_A, BODY_A),
                () -> verifier.verify(null, "1614265330", SIGNATURE_A, BODY_A));
        List<String> reasons = new ArrayList<>();

        for (Runnable failure : failures) {
            assertThatThrownBy(failure::run).isInstanceOfSatisfying(SignatureRejectedException.class,
                    e -> reasons.add(e.reason()));
        }

        assertThat(reasons).hasSize(failures.size()).allSatisfy(reason -> assertThat(reason).doesNotContain(
                SECRET_A, SECRET_A.substring(6), SECRET_B.substring(6), expectedForTampered, SIGNATURE_A.substring(3)));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -1})
    void theToleranceMustBePositive(long seconds) {
        WebhookSecrets secrets = WebhookSecrets.parse(SECRET_A);

        assertThatThrownBy(() -> new SignatureVerifier(secrets, Duration.ofSeconds(seconds), Clock.systemUTC()))
                .isExactlyInstanceOf(IllegalArgumentException.class);
    }
}
