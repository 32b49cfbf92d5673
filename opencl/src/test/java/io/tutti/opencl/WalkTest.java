package io.tutti.opencl;

import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Packing of strided walks for the kernels; needs no device. */
class WalkTest {
    @Test
    void contiguousOperandsMergeIntoOneDimension() {
        Tensor a = Tensor.zeros(2, 3, 4);
        Walk w = Walk.of("t", a.shape(), a, a);
        assertThat(w.rank()).isEqualTo(1);
        assertThat(w.numel()).isEqualTo(24);
        assertThat(w.packed()[2]).isEqualTo(24);
    }

    @Test
    void dimensionsMergeOnlyWhereEveryOperandAllows() {
        Tensor a = Tensor.zeros(2, 3, 4);
        Tensor t = Tensor.zeros(4, 3, 2).permute(2, 1, 0);
        Walk w = Walk.of("t", a.shape(), a, t);
        assertThat(w.rank()).isEqualTo(3);
        Tensor expanded = Tensor.zeros(1, 4).expand(3, 4);
        Walk b = Walk.of("t", expanded.shape(), expanded, Tensor.zeros(3, 4));
        assertThat(b.rank()).isEqualTo(2);
        int strideOfFirstOperand = b.packed()[2 + Walk.MAX_RANK + Walk.MAX_OPERANDS];
        assertThat(strideOfFirstOperand).isZero();
    }

    @Test
    void sizeOneDimensionsDropAndOffsetsAreKept() {
        Tensor a = Tensor.zeros(1, 5, 1).narrow(1, 2, 3);
        Walk w = Walk.of("t", a.shape(), a);
        assertThat(w.rank()).isEqualTo(1);
        assertThat(w.packed()[2 + Walk.MAX_RANK]).isEqualTo(2);
        assertThat(Walk.of("t", new int[0], Tensor.scalar(1)).rank()).isZero();
        assertThat(Walk.of("t", new int[] {3, 0}, Tensor.zeros(3, 0)).numel()).isZero();
    }

    @Test
    void tooManyUnmergeableDimensionsAreRefused() {
        int[] shape = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        int[] strides = {3000, 1000, 300, 90, 27, 9, 5, 3, 1};   // no stride is twice the next
        assertThatThrownBy(() -> Walk.of("copy", shape, new int[][] {strides}, new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("copy").hasMessageContaining("8");
    }
}
