package io.dodoloops.bridge.transform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.dodoloops.bridge.loops.LoopsRequest;
import org.junit.jupiter.api.Test;

/** The bean is called from several consumer threads at once; GraalJS contexts are single-threaded. */
class ConcurrencyTest {

    private static final String[][] CASES = {
            {"payment.succeeded", "payment_confirmation.js"},
            {"subscription.active", "subscription_welcome.js"},
            {"payment.failed", "payment_failed.js"}};

    @Test
    void eightThreadsTimesTwoHundredCallsAllGetTheirOwnResult() throws Exception {
        try (JavaScriptTransforms transforms = Samples.shippedTransforms(Map.of())) {
            List<DodoEvent> events = new ArrayList<>();
            List<LoopsRequest> expected = new ArrayList<>();
            for (String[] c : CASES) {
                events.add(Samples.event(c[0]));
                expected.add(transforms.transform(Samples.event(c[0]), c[1]));
            }

            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Integer>> workers = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    int thread = t;
                    workers.add(pool.submit(() -> {
                        int correct = 0;
                        for (int i = 0; i < 200; i++) {
                            int c = (thread + i) % CASES.length;
                            if (transforms.transform(events.get(c), CASES[c][1]).equals(expected.get(c))) {
                                correct++;
                            }
                        }
                        return correct;
                    }));
                }
                for (Future<Integer> worker : workers) {
                    assertThat(worker.get(2, TimeUnit.MINUTES)).isEqualTo(200);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
