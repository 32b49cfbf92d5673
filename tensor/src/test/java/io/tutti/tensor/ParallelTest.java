package io.tutti.tensor;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared pool's contract: every index once, failures rethrown, nested and concurrent calls complete. */
class ParallelTest {

    private static AtomicIntegerArray cover(int n, int grain) {
        AtomicIntegerArray hits = new AtomicIntegerArray(n);
        Parallel.forRange(n, grain, (from, to) -> {
            for (int i = from; i < to; i++) {
                hits.incrementAndGet(i);
            }
        });
        return hits;
    }

    private static void assertEachOnce(AtomicIntegerArray hits) {
        for (int i = 0; i < hits.length(); i++) {
            assertThat(hits.get(i)).as("index " + i).isEqualTo(1);
        }
    }

    @Test
    void everyIndexRunsExactlyOnceForManySizesAndGrains() {
        for (int n : new int[] {0, 1, 2, 3, 7, 64, 1000, 4097}) {
            for (int grain : new int[] {1, 2, 16, 5000}) {
                assertEachOnce(cover(n, grain));
            }
        }
    }

    @Test
    void aFailureInAnyRangeIsRethrownToTheCaller() {
        for (int failing = 0; failing < 4; failing++) {
            int bad = failing * 250;
            assertThatThrownBy(() -> Parallel.forRange(1000, 1, (from, to) -> {
                if (from <= bad && bad < to) {
                    throw new IllegalStateException("range with " + bad);
                }
            })).isInstanceOf(IllegalStateException.class).hasMessage("range with " + bad);
        }
        assertEachOnce(cover(100, 1));   // the pool still works afterwards
    }

    @Test
    void nestedCallsRunSeriallyInsideTheOuterRanges() {
        AtomicIntegerArray hits = new AtomicIntegerArray(64 * 64);
        Parallel.forRange(64, 1, (from, to) -> {
            for (int i = from; i < to; i++) {
                int row = i;
                Parallel.forRange(64, 1, (f, t) -> {
                    for (int j = f; j < t; j++) {
                        hits.incrementAndGet(row * 64 + j);
                    }
                });
            }
        });
        assertEachOnce(hits);
    }

    @Test
    void concurrentCallersEachGetTheirWholeRange() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<AtomicIntegerArray>> results = new ArrayList<>();
            for (int c = 0; c < 16; c++) {
                int n = 500 + c * 37;
                results.add(callers.submit(() -> {
                    AtomicIntegerArray last = null;
                    for (int r = 0; r < 50; r++) {
                        last = cover(n, 1);
                        assertEachOnce(last);
                    }
                    return last;
                }));
            }
            for (Future<AtomicIntegerArray> f : results) {
                assertEachOnce(f.get());
            }
        } finally {
            callers.shutdownNow();
        }
    }
}
