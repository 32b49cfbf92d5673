package io.tutti.tensor.simd;

import io.tutti.tensor.CpuStorage;
import io.tutti.tensor.DType;
import io.tutti.tensor.Normalization;
import io.tutti.tensor.Parallel;
import io.tutti.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Fused layer norm, forward and backward, over the rows of {@code D} values a float32 input
 * flattens into (the last {@code k} dimensions make a row). The composite takes about seven whole
 * tensor passes forward and ten backward, each allocating; here a row stays in the L1 cache while
 * it is read two or three times:
 *
 * <ul>
 *   <li>forward: the row's mean, then the sum of squared deviations from it (two passes, so no
 *       cancellation), then one pass writing {@code y = (x - mean) * invStd * weight + bias};</li>
 *   <li>backward: with {@code x̂ = (x - mean) * invStd} and {@code ĝ = grad * weight}, one pass for
 *       {@code Σ ĝ} and {@code Σ ĝ x̂} (adding {@code grad x̂} and {@code grad} into the affine
 *       gradients' partial sums on the way), then one pass writing
 *       {@code dx = (ĝ - Σ ĝ / D - x̂ Σ ĝ x̂ / D) * invStd}.</li>
 * </ul>
 *
 * <p>Rows run in parallel. The weight and bias gradients are sums over rows, so each chunk of
 * {@link #CHUNK_ROWS} rows sums into its own partial and the partials are added in chunk order:
 * the chunks are fixed by the shape alone, so the result is the same bits whatever the thread
 * count. Lanes are added from lane 0 up ({@link VectorReduce#addLanes}), so nothing depends on the
 * JIT's state either.
 */
final class VectorLayerNorm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows per partial sum of the affine gradients. */
    static final int CHUNK_ROWS = 32;

    private VectorLayerNorm() {
    }

    /** Whether the kernels take these tensors: float32 on the CPU (null for an absent operand). */
    static boolean supports(Tensor... tensors) {
        for (Tensor t : tensors) {
            if (t != null && (t.dtype() != DType.FLOAT32 || !(t.storage() instanceof CpuStorage))) {
                return false;
            }
        }
        return true;
    }

    static Normalization.LayerNormOutput forward(Tensor x, int normalizedDims, Tensor weight, Tensor bias, double eps) {
        int d = rowLength(x, normalizedDims);
        int rows = x.numel() / d;
        Tensor in = x.contiguous();
        Tensor y = Tensor.zeros(DType.FLOAT32, x.shape());
        Tensor mean = Tensor.zeros(DType.FLOAT32, statsShape(x, normalizedDims));
        Tensor invStd = Tensor.zeros(DType.FLOAT32, mean.shape());
        boolean affine = weight != null || bias != null;
        float[] w = affine ? valuesOr(weight, 1f, d) : null;
        float[] b = affine ? valuesOr(bias, 0f, d) : null;
        Forward f = new Forward(SimdBackend.floats(in), in.offset(), d, w, b, eps, SimdBackend.floats(y), SimdBackend.floats(mean), SimdBackend.floats(invStd));
        if ((long) rows * d <= Rows.GRAIN) {
            f.rows(0, rows);
        } else {
            Parallel.forRange(rows, Math.max(1, Rows.GRAIN / d), f::rows);
        }
        return new Normalization.LayerNormOutput(y, mean, invStd);
    }

    static Normalization.LayerNormGrads backward(Tensor grad, Tensor x, Tensor mean, Tensor invStd, Tensor weight,
            int normalizedDims, boolean inputGrad, boolean affineGrads) {
        return backward(grad, x, mean, invStd, weight, normalizedDims, inputGrad, affineGrads, true);
    }

    /** {@code parallel == false} runs every chunk on the calling thread: the tests' single-thread baseline. */
    static Normalization.LayerNormGrads backward(Tensor grad, Tensor x, Tensor mean, Tensor invStd, Tensor weight,
            int normalizedDims, boolean inputGrad, boolean affineGrads, boolean parallel) {
        int d = rowLength(x, normalizedDims);
        int rows = x.numel() / d;
        Tensor g = grad.contiguous();
        Tensor in = x.contiguous();
        Tensor gradX = inputGrad ? Tensor.zeros(DType.FLOAT32, x.shape()) : null;
        int chunks = (rows + CHUNK_ROWS - 1) / CHUNK_ROWS;
        float[][] partials = affineGrads ? new float[chunks][2 * d] : null;
        Backward b = new Backward(SimdBackend.floats(g), g.offset(), SimdBackend.floats(in), in.offset(), d, rows, mean.toFloatArray(),
                invStd.toFloatArray(), valuesOr(weight, 1f, d), gradX == null ? null : SimdBackend.floats(gradX), partials);
        if (!parallel || (long) rows * d <= Rows.GRAIN) {
            b.chunks(0, chunks);
        } else {
            Parallel.forRange(chunks, Math.max(1, Rows.GRAIN / (CHUNK_ROWS * d)), b::chunks);
        }
        if (!affineGrads) {
            return new Normalization.LayerNormGrads(gradX, null, null);
        }
        int[] normalizedShape = Arrays.copyOfRange(x.shape(), x.dim() - normalizedDims, x.dim());
        Tensor gradW = Tensor.zeros(DType.FLOAT32, normalizedShape);
        Tensor gradB = Tensor.zeros(DType.FLOAT32, normalizedShape);
        sumPartials(partials, d, SimdBackend.floats(gradW), SimdBackend.floats(gradB));
        return new Normalization.LayerNormGrads(gradX, gradW, gradB);
    }

    /** Adds the chunks' partials in chunk order: {@code [0, d)} of each is the weight's, {@code [d, 2d)} the bias'. */
    private static void sumPartials(float[][] partials, int d, float[] gradW, float[] gradB) {
        for (float[] p : partials) {
            for (int j = 0; j < d; j++) {
                gradW[j] += p[j];
                gradB[j] += p[d + j];
            }
        }
    }

    /** The forward pass's operands; {@code w} and {@code b} are both null or both of length {@code d}. */
    private record Forward(float[] x, int xOffset, int d, float[] w, float[] b, double eps, float[] y, float[] mean,
            float[] invStd) {

        void rows(int from, int to) {
            float[] lanes = new float[L];
            for (int r = from; r < to; r++) {
                int xo = xOffset + r * d;
                float mu = sum(x, xo, d, lanes) / d;
                float var = squaredDeviations(x, xo, d, mu, lanes) / d;
                float rstd = (float) (1 / Math.sqrt(var + eps));
                mean[r] = mu;
                invStd[r] = rstd;
                if (w == null) {
                    normalize(x, xo, y, r * d, d, mu, rstd);
                } else {
                    normalizeAffine(x, xo, w, b, y, r * d, d, mu, rstd);
                }
            }
        }
    }

    /**
     * The backward pass's operands: {@code w} is all ones when the forward pass had no weight (an
     * exact multiply, so one kernel serves both); {@code gradX} null when not asked for;
     * {@code partials} one array of {@code 2 * d} per chunk, or null when the affine gradients are
     * not asked for.
     */
    private record Backward(float[] g, int gOffset, float[] x, int xOffset, int d, int rows, float[] mean, float[] invStd,
            float[] w, float[] gradX, float[][] partials) {

        void chunks(int from, int to) {
            float[] lanes = new float[L];
            float[] sums = new float[2];
            for (int c = from; c < to; c++) {
                float[] partial = partials == null ? null : partials[c];
                for (int r = c * CHUNK_ROWS, end = Math.min(rows, r + CHUNK_ROWS); r < end; r++) {
                    row(r, partial, lanes, sums);
                }
            }
        }

        private void row(int r, float[] partial, float[] lanes, float[] sums) {
            int go = gOffset + r * d;
            int xo = xOffset + r * d;
            float mu = mean[r];
            float rstd = invStd[r];
            if (partial == null) {
                gradSums(g, go, x, xo, w, d, mu, rstd, lanes, sums);
            } else {
                gradSumsAndPartials(g, go, x, xo, w, d, mu, rstd, lanes, sums, partial);
            }
            if (gradX != null) {
                inputGrad(g, go, x, xo, w, gradX, r * d, d, mu, rstd, sums[0] / d, sums[1] / d);
            }
        }
    }

    // Each loop is its own small method, so that C2 compiles each with its vectors in registers.

    private static float sum(float[] x, int xo, int n, float[] lanes) {
        int end = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < end; i += L) {
            acc = acc.add(FloatVector.fromArray(S, x, xo + i));
        }
        float total = VectorReduce.addLanes(acc, lanes);
        for (int i = end; i < n; i++) {
            total += x[xo + i];
        }
        return total;
    }

    private static float squaredDeviations(float[] x, int xo, int n, float mu, float[] lanes) {
        int end = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        for (int i = 0; i < end; i += L) {
            FloatVector dev = FloatVector.fromArray(S, x, xo + i).sub(mu);
            acc = acc.add(dev.mul(dev));
        }
        float total = VectorReduce.addLanes(acc, lanes);
        for (int i = end; i < n; i++) {
            float dev = x[xo + i] - mu;
            total += dev * dev;
        }
        return total;
    }

    private static void normalize(float[] x, int xo, float[] y, int yo, int n, float mu, float rstd) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector.fromArray(S, x, xo + i).sub(mu).mul(rstd).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = (x[xo + i] - mu) * rstd;
        }
    }

    private static void normalizeAffine(float[] x, int xo, float[] w, float[] b, float[] y, int yo, int n, float mu, float rstd) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector xHat = FloatVector.fromArray(S, x, xo + i).sub(mu).mul(rstd);
            xHat.mul(FloatVector.fromArray(S, w, i)).add(FloatVector.fromArray(S, b, i)).intoArray(y, yo + i);
        }
        for (; i < n; i++) {
            y[yo + i] = (x[xo + i] - mu) * rstd * w[i] + b[i];
        }
    }

    /** {@code sums[0] = Σ ĝ}, {@code sums[1] = Σ ĝ x̂} over one row. */
    private static void gradSums(float[] g, int go, float[] x, int xo, float[] w, int n, float mu, float rstd, float[] lanes,
            float[] sums) {
        int end = S.loopBound(n);
        FloatVector sumG = FloatVector.zero(S);
        FloatVector sumGx = FloatVector.zero(S);
        for (int i = 0; i < end; i += L) {
            FloatVector gHat = FloatVector.fromArray(S, g, go + i).mul(FloatVector.fromArray(S, w, i));
            FloatVector xHat = FloatVector.fromArray(S, x, xo + i).sub(mu).mul(rstd);
            sumG = sumG.add(gHat);
            sumGx = sumGx.add(gHat.mul(xHat));
        }
        finishSums(g, go, x, xo, w, n, mu, rstd, end, VectorReduce.addLanes(sumG, lanes), VectorReduce.addLanes(sumGx, lanes),
                sums);
    }

    /**
     * {@link #gradSums}, also adding {@code grad x̂} into {@code partial[0, n)} (the weight's
     * gradient) and {@code grad} into {@code partial[n, 2n)} (the bias').
     */
    private static void gradSumsAndPartials(float[] g, int go, float[] x, int xo, float[] w, int n, float mu, float rstd,
            float[] lanes, float[] sums, float[] partial) {
        int end = S.loopBound(n);
        FloatVector sumG = FloatVector.zero(S);
        FloatVector sumGx = FloatVector.zero(S);
        for (int i = 0; i < end; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, go + i);
            FloatVector gHat = gv.mul(FloatVector.fromArray(S, w, i));
            FloatVector xHat = FloatVector.fromArray(S, x, xo + i).sub(mu).mul(rstd);
            sumG = sumG.add(gHat);
            sumGx = sumGx.add(gHat.mul(xHat));
            FloatVector.fromArray(S, partial, i).add(gv.mul(xHat)).intoArray(partial, i);
            FloatVector.fromArray(S, partial, n + i).add(gv).intoArray(partial, n + i);
        }
        for (int i = end; i < n; i++) {
            float xHat = (x[xo + i] - mu) * rstd;
            partial[i] += g[go + i] * xHat;
            partial[n + i] += g[go + i];
        }
        finishSums(g, go, x, xo, w, n, mu, rstd, end, VectorReduce.addLanes(sumG, lanes), VectorReduce.addLanes(sumGx, lanes),
                sums);
    }

    /** Adds the scalar tail {@code [end, n)} to the vector part's sums and stores both. */
    private static void finishSums(float[] g, int go, float[] x, int xo, float[] w, int n, float mu, float rstd, int end,
            float sumG, float sumGx, float[] sums) {
        for (int i = end; i < n; i++) {
            float gHat = g[go + i] * w[i];
            sumG += gHat;
            sumGx += gHat * ((x[xo + i] - mu) * rstd);
        }
        sums[0] = sumG;
        sums[1] = sumGx;
    }

    /** {@code dx = (ĝ - meanG - x̂ meanGx) * rstd} over one row. */
    private static void inputGrad(float[] g, int go, float[] x, int xo, float[] w, float[] dx, int dxo, int n, float mu, float rstd,
            float meanG, float meanGx) {
        int i = 0;
        for (int end = S.loopBound(n); i < end; i += L) {
            FloatVector gHat = FloatVector.fromArray(S, g, go + i).mul(FloatVector.fromArray(S, w, i));
            FloatVector xHat = FloatVector.fromArray(S, x, xo + i).sub(mu).mul(rstd);
            gHat.sub(meanG).sub(xHat.mul(meanGx)).mul(rstd).intoArray(dx, dxo + i);
        }
        for (; i < n; i++) {
            float xHat = (x[xo + i] - mu) * rstd;
            dx[dxo + i] = (g[go + i] * w[i] - meanG - xHat * meanGx) * rstd;
        }
    }

    private static int rowLength(Tensor x, int normalizedDims) {
        int d = 1;
        for (int i = x.dim() - normalizedDims; i < x.dim(); i++) {
            d *= x.shape(i);
        }
        return d;
    }

    private static int[] statsShape(Tensor x, int normalizedDims) {
        int[] shape = x.shape();
        Arrays.fill(shape, x.dim() - normalizedDims, x.dim(), 1);
        return shape;
    }

    /** A copy of {@code t}'s values, or {@code d} copies of {@code fill} when {@code t} is null. */
    private static float[] valuesOr(Tensor t, float fill, int d) {
        if (t != null) {
            return t.toFloatArray();
        }
        float[] v = new float[d];
        Arrays.fill(v, fill);
        return v;
    }
}
