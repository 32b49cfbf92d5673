package io.tutti.tensor;

import org.junit.jupiter.api.Test;

import static io.tutti.tensor.KernelTesting.dot;
import static io.tutti.tensor.KernelTesting.forEachBackendAndDType;
import static io.tutti.tensor.KernelTesting.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class NnFunctionsTest {

    @Test
    void embeddingPicksRowsForIndicesOfAnyShape() {
        forEachBackendAndDType(dt -> {
            Tensor weight = Tensor.arange(0, 15, 1, dt).reshape(5, 3);
            Tensor idx = Tensor.of(new int[] {0, 4, 2, 2}, 2, 2);
            Tensor e = NnFunctions.embedding(weight, idx);
            assertThat(e.shape()).containsExactly(2, 2, 3);
            assertThat(e.toDoubleArray()).containsExactly(0, 1, 2, 12, 13, 14, 6, 7, 8, 6, 7, 8);
            assertThat(NnFunctions.embedding(weight, Tensor.scalar(3, DType.INT32)).toDoubleArray()).containsExactly(9, 10, 11);
        });
    }

    @Test
    void embeddingBackwardAddsRepeatedRowsAndIsTheAdjoint() {
        Generator gen = new Generator(5);
        forEachBackendAndDType(dt -> {
            Tensor idx = Tensor.of(new int[] {1, 3, 1, 0, 1, 3}, 2, 3);
            Tensor g = Tensor.ones(dt, 2, 3, 2);
            Tensor gw = NnFunctions.embeddingBackward(g, idx, 4);
            assertThat(gw.toDoubleArray()).containsExactly(1, 1, 3, 3, 0, 0, 2, 2);

            Tensor w = random(gen, dt, 4, 2);
            Tensor r = random(gen, dt, 2, 3, 2);
            double lhs = dot(NnFunctions.embedding(w, idx), r);
            assertThat(dot(w, NnFunctions.embeddingBackward(r, idx, 4))).isCloseTo(lhs, within(1e-5));
        });
    }

    @Test
    void embeddingRejectsOutOfRangeIndices() {
        Tensor weight = Tensor.zeros(5, 3);
        assertThatThrownBy(() -> NnFunctions.embedding(weight, Tensor.of(new int[] {1, 5}, 2)))
                .isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("embedding: index 5 is out of range for 5 embeddings (indices of shape [2])");
        assertThatThrownBy(() -> NnFunctions.embedding(weight, Tensor.of(new int[] {-1}, 1)))
                .hasMessageStartingWith("embedding: index -1 is out of range");
        assertThatThrownBy(() -> NnFunctions.embedding(weight, Tensor.zeros(2)))
                .hasMessage("embedding: indices must be int32, got FLOAT32");
        assertThatThrownBy(() -> NnFunctions.embedding(Tensor.zeros(5), Tensor.of(new int[] {1}, 1)))
                .hasMessageStartingWith("embedding: weight of shape [5] must be 2-d");
    }

    @Test
    void dropoutMaskKeepsWithProbabilityOneMinusPAndRescales() {
        for (Backend b : Backends.cpuBackends()) {
            try (var s = Backends.use(b)) {
                Generator gen = new Generator(42);
                Tensor mask = NnFunctions.dropoutMask(gen, 0.3, 100, 100);
                assertThat(mask.dtype()).isEqualTo(DType.FLOAT32);
                assertThat(gen.offset()).isEqualTo(10_000);
                float kept = (float) (1 / 0.7);
                int ones = 0;
                for (float v : mask.toFloatArray()) {
                    assertThat(v).isIn(0f, kept);
                    ones += v != 0 ? 1 : 0;
                }
                // Binomial(10000, 0.7) has standard deviation 46; 5 sigma is 230.
                assertThat(ones).isBetween(7000 - 230, 7000 + 230);
                assertThat(NnFunctions.dropoutMask(new Generator(42), 0.3, 100, 100).toFloatArray())
                        .containsExactly(mask.toFloatArray());
            }
        }
    }

    @Test
    void dropoutMaskEdgeProbabilities() {
        Generator gen = new Generator(1);
        assertThat(NnFunctions.dropoutMask(gen, 0, 3, 2).toFloatArray()).containsOnly(1f).hasSize(6);
        assertThat(NnFunctions.dropoutMask(gen, 1, 4).toFloatArray()).containsOnly(0f).hasSize(4);
        assertThat(NnFunctions.dropoutMask(gen, 0.5, DType.FLOAT64, 3).dtype()).isEqualTo(DType.FLOAT64);
        assertThatThrownBy(() -> NnFunctions.dropoutMask(gen, 1.5, 2)).hasMessage("dropoutMask: p must be in [0, 1], got 1.5");
    }

    @Test
    void oneHotEncodesLabelsOfAnyShape() {
        Tensor h = NnFunctions.oneHot(Tensor.of(new int[] {2, 0, 1, 2}, 2, 2), 3);
        assertThat(h.shape()).containsExactly(2, 2, 3);
        assertThat(h.dtype()).isEqualTo(DType.INT32);
        assertThat(h.toIntArray()).containsExactly(0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1);
        assertThat(NnFunctions.oneHot(Tensor.of(new int[] {1, 3}, 2), -1).shape()).containsExactly(2, 4);
        assertThatThrownBy(() -> NnFunctions.oneHot(Tensor.of(new int[] {3}, 1), 3))
                .hasMessageStartingWith("oneHot: index 3 is out of range for 3 classes");
    }
}
