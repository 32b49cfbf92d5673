package io.tutti.tensor;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Hand-computed values for the Tensor API on the default CPU backend. */
class TensorOpsTest {

    private static Tensor m23() {
        return Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    }

    @Test
    void creation() {
        assertThat(Tensor.zeros(2, 2).toFloatArray()).containsExactly(0, 0, 0, 0);
        assertThat(Tensor.ones(DType.INT32, 3).toIntArray()).containsExactly(1, 1, 1);
        assertThat(Tensor.full(2.5, DType.FLOAT64, 2).toDoubleArray()).containsExactly(2.5, 2.5);
        assertThat(Tensor.arange(4).toIntArray()).containsExactly(0, 1, 2, 3);
        assertThat(Tensor.arange(1, 2, 0.25, DType.FLOAT32).toFloatArray()).containsExactly(1f, 1.25f, 1.5f, 1.75f);
        assertThat(Tensor.arange(3, 0, -1, DType.INT32).toIntArray()).containsExactly(3, 2, 1);
        assertThat(Tensor.eye(2, DType.FLOAT32).toFloatArray()).containsExactly(1, 0, 0, 1);
        assertThat(Tensor.scalar(3).dim()).isZero();
        assertThat(Tensor.scalar(3).item()).isEqualTo(3.0);
        assertThatThrownBy(() -> Tensor.of(new float[] {1, 2, 3}, 2, 2)).hasMessageContaining("of: 3 values do not fill shape [2, 2]");
        assertThatThrownBy(() -> Tensor.zeros(-1)).hasMessageContaining("negative");
    }

    @Test
    void dtypeConversionTruncatesTowardZero() {
        Tensor x = Tensor.of(new float[] {-1.7f, 2.9f, 0.5f}, 3);
        assertThat(x.to(DType.INT32).toIntArray()).containsExactly(-1, 2, 0);
        assertThat(x.to(DType.FLOAT64).dtype()).isEqualTo(DType.FLOAT64);
        assertThat(Tensor.of(new int[] {3}, 1).to(DType.FLOAT32).toFloatArray()).containsExactly(3f);
    }

    @Test
    void viewsShareStorage() {
        Tensor x = m23();
        assertThat(x.permute(1, 0).toFloatArray()).containsExactly(1, 4, 2, 5, 3, 6);
        assertThat(x.unsqueeze(0).shape()).containsExactly(1, 2, 3);
        assertThat(x.unsqueeze(-1).shape()).containsExactly(2, 3, 1);
        assertThat(x.unsqueeze(1).squeeze().shape()).containsExactly(2, 3);
        assertThat(x.unsqueeze(1).squeeze(1).shape()).containsExactly(2, 3);
        assertThat(x.squeeze(0).shape()).containsExactly(2, 3);
        assertThat(x.narrow(1, 1, 2).toFloatArray()).containsExactly(2, 3, 5, 6);
        assertThat(x.slice(1, 0, 3, 2).toFloatArray()).containsExactly(1, 3, 4, 6);
        assertThat(x.slice(1, -2, 100, 1).toFloatArray()).containsExactly(2, 3, 5, 6);
        assertThat(x.select(0, 1).toFloatArray()).containsExactly(4, 5, 6);
        assertThat(x.select(1, -1).toFloatArray()).containsExactly(3, 6);
        assertThat(Tensor.vector(1, 2).unsqueeze(1).expand(2, 3).toFloatArray()).containsExactly(1, 1, 1, 2, 2, 2);
        assertThat(Tensor.vector(1, 2, 3).expand(2, -1).toFloatArray()).containsExactly(1, 2, 3, 1, 2, 3);
        assertThat(x.flatten(0, 1).shape()).containsExactly(6);
        assertThat(x.reshape(-1, 2).shape()).containsExactly(3, 2);
        Tensor v = x.narrow(1, 1, 1);
        v.fillInPlace(9);
        assertThat(x.toFloatArray()).containsExactly(1, 9, 3, 4, 9, 6);
        assertThatThrownBy(() -> x.expand(3, 3)).hasMessageContaining("expand");
        assertThatThrownBy(() -> x.reshape(4, 2)).hasMessageContaining("reshape: shape [2, 3] (6 elements) cannot become [4, 2]");
        assertThatThrownBy(() -> x.permute(0, 0)).hasMessageContaining("repeated");
        assertThatThrownBy(() -> x.select(0, 2)).hasMessageContaining("out of range");
    }

    @Test
    void reshapeOfPermutedViewCopiesOnlyWhenStridesForbidIt() {
        Tensor x = Tensor.arange(0, 24, 1, DType.FLOAT32).reshape(2, 3, 4);
        Tensor p = x.permute(1, 0, 2);
        Tensor merged = p.reshape(3, 8);
        assertThat(merged.storage()).isNotSameAs(x.storage());
        Tensor split = x.reshape(2, 3, 2, 2);
        assertThat(split.storage()).isSameAs(x.storage());
        Tensor sliced = x.narrow(2, 0, 2);
        assertThat(sliced.reshape(6, 2).storage()).isSameAs(x.storage());
        assertThat(sliced.reshape(6, 2).toFloatArray()).containsExactly(0, 1, 4, 5, 8, 9, 12, 13, 16, 17, 20, 21);
    }

    @Test
    void catStackSplitPad() {
        Tensor x = m23();
        assertThat(Tensor.cat(1, x, x.narrow(1, 0, 1)).toFloatArray()).containsExactly(1, 2, 3, 1, 4, 5, 6, 4);
        assertThat(Tensor.stack(0, Tensor.vector(1, 2), Tensor.vector(3, 4)).shape()).containsExactly(2, 2);
        assertThat(Tensor.stack(1, Tensor.vector(1, 2), Tensor.vector(3, 4)).toFloatArray()).containsExactly(1, 3, 2, 4);
        List<Tensor> parts = x.split(2, 1);
        assertThat(parts).hasSize(2);
        assertThat(parts.get(1).toFloatArray()).containsExactly(3, 6);
        assertThat(x.split(new int[] {1, 2}, 1).get(1).shape()).containsExactly(2, 2);
        assertThat(x.chunk(3, 1)).hasSize(3);
        assertThat(x.pad(new int[] {0, 1, 1, 0}, 0).toFloatArray()).containsExactly(0, 0, 0, 0, 1, 2, 3, 0, 4, 5, 6, 0);
        assertThat(x.pad(new int[] {-1, 0}, 0).toFloatArray()).containsExactly(2, 3, 5, 6);
        assertThatThrownBy(() -> Tensor.cat(0, x, Tensor.zeros(2, 2))).hasMessageContaining("cat: shapes [2, 3] and [2, 2] differ in dimension 1");
        assertThatThrownBy(() -> x.split(new int[] {1, 1}, 1)).hasMessageContaining("add to 2");
    }

    @Test
    void indexing() {
        Tensor x = m23();
        Tensor idx = Tensor.of(new int[] {2, 0, 1, 1}, 2, 2);
        assertThat(x.gather(1, idx).toFloatArray()).containsExactly(3, 1, 5, 5);
        assertThat(x.indexSelect(1, Tensor.of(new int[] {2, 0}, 2)).toFloatArray()).containsExactly(3, 1, 6, 4);
        assertThat(x.indexSelect(0, Tensor.of(new int[] {1, 1, 0}, 3)).shape()).containsExactly(3, 3);
        Tensor z = Tensor.zeros(2, 3);
        z.scatterAddInPlace(1, idx, Tensor.ones(2, 2));
        assertThat(z.toFloatArray()).containsExactly(1, 0, 1, 0, 2, 0);
        Tensor ia = Tensor.zeros(3, 2).indexAdd(0, Tensor.of(new int[] {2, 2}, 2), Tensor.ones(2, 2));
        assertThat(ia.toFloatArray()).containsExactly(0, 0, 0, 0, 2, 2);
        Tensor mask = Tensor.of(new float[] {1, 0, 1}, 3);
        assertThat(x.maskedFill(mask, -1).toFloatArray()).containsExactly(-1, 2, -1, -1, 5, -1);
        assertThat(Tensor.where(x.gt(3), x, Tensor.scalar(0)).toFloatArray()).containsExactly(0, 0, 0, 4, 5, 6);
        assertThatThrownBy(() -> x.gather(1, Tensor.of(new int[] {3}, 1, 1))).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("gather: index 3 is out of bounds for size 3");
        assertThatThrownBy(() -> x.indexSelect(0, Tensor.of(new float[] {0}, 1))).hasMessageContaining("int32");
    }

    @Test
    void elementwiseBroadcastAndPromotion() {
        Tensor x = m23();
        Tensor col = Tensor.of(new float[] {10, 20}, 2, 1);
        assertThat(x.add(col).toFloatArray()).containsExactly(11, 12, 13, 24, 25, 26);
        assertThat(x.sub(1).mul(2).div(4).toFloatArray()).containsExactly(0, 0.5f, 1, 1.5f, 2, 2.5f);
        assertThat(x.to(DType.FLOAT64).add(x).dtype()).isEqualTo(DType.FLOAT64);
        assertThat(Tensor.of(new int[] {1, 2}, 2).div(Tensor.of(new int[] {2, 2}, 2)).toFloatArray()).containsExactly(0.5f, 1f);
        assertThat(Tensor.of(new int[] {1, 2}, 2).add(0.5).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(Tensor.of(new int[] {1, 2}, 2).add(1).dtype()).isEqualTo(DType.INT32);
        assertThat(x.pow(2).toFloatArray()).containsExactly(1, 4, 9, 16, 25, 36);
        assertThat(x.clamp(2, 4).toFloatArray()).containsExactly(2, 2, 3, 4, 4, 4);
        assertThat(x.eq(2).toFloatArray()).containsExactly(0, 1, 0, 0, 0, 0);
        assertThat(x.maximum(Tensor.scalar(3.5)).toFloatArray()).containsExactly(3.5f, 3.5f, 3.5f, 4, 5, 6);
        assertThat(Tensor.vector(-2, 0, 3).sign().toFloatArray()).containsExactly(-1, 0, 1);
        assertThat(Tensor.vector(-2, 0, 3).relu().toFloatArray()).containsExactly(0, 0, 3);
        assertThat(Tensor.vector(0).sigmoid().item()).isEqualTo(0.5);
        assertThat(Tensor.vector(1).gelu().item()).isCloseTo(0.8413447460685429, within(1e-6));
        assertThat(Tensor.vector(1).geluTanh().item()).isCloseTo(0.8411919906082768, within(1e-6));
        assertThat(Tensor.vector(1).silu().item()).isCloseTo(0.7310585786300049, within(1e-6));
        assertThat(Tensor.vector(4).rsqrt().item()).isEqualTo(0.5);
        assertThatThrownBy(() -> x.add(Tensor.zeros(3, 2))).hasMessageContaining("add: shapes [2, 3] and [3, 2] cannot be broadcast");
    }

    @Test
    void inPlaceUpdates() {
        Tensor w = m23();
        w.addInPlace(Tensor.vector(1, 1, 1), -0.5);
        assertThat(w.toFloatArray()).containsExactly(0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f);
        w.mulInPlace(2).clampInPlace(2, 8);
        assertThat(w.toFloatArray()).containsExactly(2, 3, 5, 7, 8, 8);
        w.zeroInPlace();
        assertThat(w.sum().item()).isZero();
        assertThatThrownBy(() -> Tensor.vector(1).expand(3).addInPlace(Tensor.vector(1, 2, 3)))
                .hasMessageContaining("expanded view");
        assertThatThrownBy(() -> Tensor.vector(1, 2).addInPlace(Tensor.zeros(2, 2))).hasMessageContaining("does not broadcast to the target shape");
    }

    @Test
    void reductions() {
        Tensor x = m23();
        assertThat(x.sum().item()).isEqualTo(21.0);
        assertThat(x.sum(0, false).toFloatArray()).containsExactly(5, 7, 9);
        assertThat(x.sum(new int[] {1}, true).shape()).containsExactly(2, 1);
        assertThat(x.mean(new int[] {0, 1}, false).item()).isEqualTo(3.5);
        assertThat(x.max(1, false).toFloatArray()).containsExactly(3, 6);
        assertThat(x.min(0, false).toFloatArray()).containsExactly(1, 2, 3);
        assertThat(x.prod(new int[] {1}, false).toFloatArray()).containsExactly(6, 120);
        assertThat(x.argmax(1, false).toIntArray()).containsExactly(2, 2);
        assertThat(x.argmin(0, true).shape()).containsExactly(1, 3);
        assertThat(x.argmax().item()).isEqualTo(5.0);
        assertThat(x.var(new int[] {1}, 1, false).toFloatArray()).containsExactly(1, 1);
        assertThat(x.var(new int[] {1}, 0, false).toFloatArray()[0]).isCloseTo(2f / 3, within(1e-6f));
        assertThat(x.std(null, 1, false).item()).isCloseTo(Math.sqrt(3.5), within(1e-6));
        assertThat(x.logsumexp(new int[] {1}, false).get(0)).isCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), within(1e-5));
        assertThat(x.norm().item()).isCloseTo(Math.sqrt(91), within(1e-5));
        assertThat(x.norm(1, new int[] {1}, false).toFloatArray()).containsExactly(6, 15);
        assertThat(x.norm(Double.POSITIVE_INFINITY, null, false).item()).isEqualTo(6.0);
        assertThat(Tensor.zeros(0, 3).sum(0, false).toFloatArray()).containsExactly(0, 0, 0);
        assertThat(Tensor.of(new int[] {1, 2}, 2).sum().dtype()).isEqualTo(DType.INT32);
        assertThatThrownBy(() -> Tensor.zeros(0, 3).max(0, false)).hasMessageContaining("max: cannot reduce dimension 0 of size 0");
        assertThatThrownBy(() -> Tensor.of(new int[] {1}, 1).mean()).hasMessageContaining("mean: needs a floating tensor");
    }

    @Test
    void logsumexpHandlesInfinities() {
        Tensor x = Tensor.vector(Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY);
        assertThat(x.logsumexp(null, false).item()).isEqualTo(Double.NEGATIVE_INFINITY);
        Tensor big = Tensor.vector(1000, 1000);
        assertThat(big.logsumexp(null, false).item()).isCloseTo(1000 + Math.log(2), within(1e-3));
    }

    @Test
    void reductionsPropagateNaN() {
        Tensor x = Tensor.vector(1, Float.NaN, 3);
        assertThat(x.max().item()).isNaN();
        assertThat(x.min().item()).isNaN();
        assertThat(x.argmax().item()).isEqualTo(1.0);
    }

    @Test
    void matmulShapes() {
        Tensor a = m23();
        Tensor v = Tensor.vector(1, 0, -1);
        assertThat(a.matmul(v).toFloatArray()).containsExactly(-2, -2);
        assertThat(Tensor.vector(1, 1).matmul(a).toFloatArray()).containsExactly(5, 7, 9);
        assertThat(v.matmul(v).dim()).isZero();
        Tensor batch = Tensor.stack(0, a, a.mul(2));
        assertThat(batch.matmul(a.t()).shape()).containsExactly(2, 2, 2);
        assertThat(batch.matmul(a.t()).toFloatArray()).containsExactly(14, 32, 32, 77, 28, 64, 64, 154);
        assertThat(a.unsqueeze(0).unsqueeze(0).expand(2, 3, 2, 3).matmul(Tensor.ones(3, 1)).shape()).containsExactly(2, 3, 2, 1);
        assertThatThrownBy(() -> a.matmul(a)).hasMessageContaining("matmul: shapes [2, 3] and [2, 3] do not match: 3 != 2");
    }

    @Test
    void softmaxRowsSumToOneAndLogSoftmaxAgrees() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 1000, 1000, 1000}, 2, 3);
        Tensor s = x.softmax(-1);
        assertThat(s.sum(1, false).toFloatArray()).containsExactly(new float[] {1, 1}, within(1e-6f));
        assertThat(s.get(1, 0)).isCloseTo(1.0 / 3, within(1e-6));
        assertThat(x.logSoftmax(1).exp().sub(s).abs().max().item()).isLessThan(1e-6);
        assertThat(x.softmax(0).sum(0, false).toFloatArray()).containsExactly(new float[] {1, 1, 1}, within(1e-6f));
    }

    @Test
    void generatorIsReproducibleAndCounterBased() {
        Generator g1 = new Generator(5);
        Generator g2 = new Generator(5);
        assertThat(g1.randn(10).toFloatArray()).containsExactly(g2.randn(10).toFloatArray());
        Generator whole = new Generator(9);
        float[] ten = whole.rand(10).toFloatArray();
        Generator parts = new Generator(9);
        float[] first = parts.rand(4).toFloatArray();
        float[] rest = parts.rand(6).toFloatArray();
        assertThat(first[3]).isEqualTo(ten[3]);
        assertThat(rest[0]).isEqualTo(ten[4]);
        int[] perm = new Generator(1).permutation(20);
        assertThat(perm).containsExactlyInAnyOrder(Tensor.arange(20).toIntArray());
        Tensor u = new Generator(3).uniform(-2, 2, DType.FLOAT64, 10000);
        assertThat(u.min().item()).isGreaterThanOrEqualTo(-2);
        assertThat(u.max().item()).isLessThan(2);
        assertThat(u.mean().item()).isCloseTo(0, within(0.05));
        Tensor n = new Generator(4).randn(20000);
        assertThat(n.mean().item()).isCloseTo(0, within(0.03));
        assertThat(n.std(null, 1, false).item()).isCloseTo(1, within(0.03));
        Tensor b = new Generator(4).bernoulli(0.3, DType.FLOAT32, 20000);
        assertThat(b.mean().item()).isCloseTo(0.3, within(0.02));
    }

    @Test
    void toStringShowsValuesShapeAndDtype() {
        assertThat(Tensor.vector(1, 2).toString()).isEqualTo("tensor([1.0000, 2.0000], shape=[2], dtype=float32)");
        assertThat(Tensor.zeros(100, 100).toString()).contains("...");
    }
}
