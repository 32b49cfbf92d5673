package io.tutti.nn.data;

import io.tutti.tensor.DType;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Batching, reproducible per-epoch shuffling, dropLast, background loading, errors and early close. */
class DataLoaderTest {
    /** Ten examples whose "x" row is {@code [i, 10 i]} and label {@code i}. */
    private static TensorDataset tenExamples() {
        Tensor x = Tensor.arange(10).to(DType.FLOAT32).reshape(10, 1).mul(Tensor.of(new float[] {1, 10}, 1, 2));
        return TensorDataset.of("x", x, "y", Tensor.arange(10));
    }

    private static List<int[]> labels(Iterable<Batch> batches) {
        List<int[]> out = new ArrayList<>();
        for (Batch b : batches) {
            out.add(b.get("y").toIntArray());
        }
        return out;
    }

    private static List<int[]> epoch(DataLoader loader, int epoch) {
        List<int[]> out = new ArrayList<>();
        try (DataLoader.BatchIterator it = loader.iterator(epoch)) {
            it.forEachRemaining(b -> out.add(b.get("y").toIntArray()));
        }
        return out;
    }

    @Test
    void batchesInOrderWithASmallerLastBatchUnlessDropped() {
        DataLoader loader = DataLoader.builder(tenExamples()).batchSize(4).build();
        List<int[]> batches = labels(loader);
        assertThat(batches).hasSize(3);
        assertThat(batches.get(0)).containsExactly(0, 1, 2, 3);
        assertThat(batches.get(2)).containsExactly(8, 9);
        assertThat(loader.numBatches()).isEqualTo(3);
        Batch first = loader.iterator(0).next();
        assertThat(first.get("x").shape()).containsExactly(4, 2);
        assertThat(first.get("x").select(0, 3).toDoubleArray()).containsExactly(3, 30);

        DataLoader dropping = DataLoader.builder(tenExamples()).batchSize(4).dropLast(true).build();
        assertThat(labels(dropping)).hasSize(2);
        assertThat(dropping.numBatches()).isEqualTo(2);
    }

    @Test
    void shuffledEpochsArePermutationsThatDependOnlyOnSeedAndEpoch() {
        DataLoader a = DataLoader.builder(tenExamples()).batchSize(3).shuffle(42).build();
        DataLoader b = DataLoader.builder(tenExamples()).batchSize(3).shuffle(42).prefetch(0).build();
        int[] order0 = a.order(0);
        int[] sorted = order0.clone();
        Arrays.sort(sorted);
        assertThat(sorted).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(order0).isNotEqualTo(a.order(1));
        assertThat(order0).isNotEqualTo(DataLoader.builder(tenExamples()).shuffle(43).build().order(0));
        // Epoch 3 is the same whether reached after epochs 0-2 or directly (a resumed run), in background or inline mode.
        labels(a);
        labels(a);
        labels(a);
        List<int[]> fourthFromIterating = labels(a);
        List<int[]> direct = epoch(b, 3);
        assertThat(fourthFromIterating).hasSameSizeAs(direct);
        for (int i = 0; i < direct.size(); i++) {
            assertThat(fourthFromIterating.get(i)).containsExactly(direct.get(i));
        }
        assertThat(direct.get(0)).containsExactly(Arrays.copyOf(a.order(3), 3));
    }

    @Test
    void anyDatasetWorksThroughCollate() {
        Dataset<Example> squares = new Dataset<>() {
            @Override
            public int size() {
                return 5;
            }

            @Override
            public Example get(int index) {
                return Example.of("x", Tensor.of(new float[] {index, index * index}, 2), "label", Tensor.scalar(index % 2, DType.INT32));
            }
        };
        Batch b = DataLoader.builder(squares).batchSize(5).build().iterator(0).next();
        assertThat(b.size()).isEqualTo(5);
        assertThat(b.get("x").select(0, 4).toDoubleArray()).containsExactly(4, 16);
        assertThat(b.get("label").toIntArray()).containsExactly(0, 1, 0, 1, 0);
        assertThat(b.names()).containsExactly("x", "label");

        List<String> custom = new ArrayList<>();
        Collate<Example> counting = examples -> {
            custom.add("batch of " + examples.size());
            return Collate.stack().collate(examples);
        };
        DataLoader.builder(squares, counting).batchSize(2).prefetch(0).build().forEach(batch -> { });
        assertThat(custom).containsExactly("batch of 2", "batch of 2", "batch of 1");
    }

    @Test
    void anErrorWhileLoadingReachesTheConsumer() {
        Dataset<Example> failing = new Dataset<>() {
            @Override
            public int size() {
                return 6;
            }

            @Override
            public Example get(int index) {
                if (index == 4) {
                    throw new IllegalStateException("corrupt example 4");
                }
                return Example.of("x", Tensor.zeros(1));
            }
        };
        DataLoader.BatchIterator it = DataLoader.builder(failing).batchSize(2).build().iterator(0);
        it.next();
        it.next();
        assertThatThrownBy(it::hasNext).hasMessageContaining("loading batch 2 of epoch 0 failed")
                .hasRootCauseMessage("corrupt example 4");
        assertThat(it.hasNext()).isFalse();
    }

    @Test
    void closingEarlyStopsTheBackgroundThread() throws InterruptedException {
        AtomicInteger loaded = new AtomicInteger();
        Dataset<Example> counting = new Dataset<>() {
            @Override
            public int size() {
                return 1000;
            }

            @Override
            public Example get(int index) {
                loaded.incrementAndGet();
                return Example.of("x", Tensor.zeros(1));
            }
        };
        DataLoader loader = DataLoader.builder(counting).batchSize(1).prefetch(2).build();
        try (DataLoader.BatchIterator it = loader.iterator(0)) {
            it.next();
        }
        Thread.sleep(50);
        int afterClose = loaded.get();
        assertThat(afterClose).as("only a bounded number of batches ahead").isLessThan(10);
        Thread.sleep(50);
        assertThat(loaded.get()).as("nothing loaded after close").isEqualTo(afterClose);
    }

    @Test
    void badArgumentsAreNamed() {
        assertThatThrownBy(() -> DataLoader.builder(tenExamples()).batchSize(0)).hasMessageContaining("batch size must be positive");
        assertThatThrownBy(() -> TensorDataset.of("x", Tensor.zeros(3), "y", Tensor.zeros(4)))
                .hasMessageContaining("field 'y' of shape [4] has a batch size other than 3");
        assertThatThrownBy(() -> tenExamples().get(10)).hasMessageContaining("index 10 is out of range for 10 examples");
        assertThatThrownBy(() -> Collate.stack().collate(List.of(Example.of("x", Tensor.zeros(2)), Example.of("x", Tensor.zeros(3)))))
                .hasMessageContaining("field 'x' is FLOAT32 [2] in one example and FLOAT32 [3] in another");
    }
}
