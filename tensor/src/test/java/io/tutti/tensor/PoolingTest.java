package io.tutti.tensor;

import org.junit.jupiter.api.Test;

import static io.tutti.tensor.KernelTesting.assertClose;
import static io.tutti.tensor.KernelTesting.dot;
import static io.tutti.tensor.KernelTesting.forEachBackendAndDType;
import static io.tutti.tensor.KernelTesting.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PoolingTest {

    /** One pooling setting over [n, c, h, w] planes; stride null means "the kernel". */
    private record Case(int[] shape, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceil) {
        int h() {
            return shape[shape.length - 2];
        }

        int w() {
            return shape[shape.length - 1];
        }

        int planes() {
            int n = 1;
            for (int i = 0; i < shape.length - 2; i++) {
                n *= shape[i];
            }
            return n;
        }

        int[] s() {
            return stride == null ? kernel : stride;
        }
    }

    private static final Case[] CASES = {
        new Case(new int[] {2, 3, 7, 6}, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1}, new int[] {1, 2}, false),
        new Case(new int[] {2, 3, 7, 6}, new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1}, new int[] {1, 2}, true),
        new Case(new int[] {1, 2, 7, 6}, new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, true),
        new Case(new int[] {3, 5, 5}, new int[] {2, 2}, null, new int[] {0, 0}, new int[] {1, 1}, true),
        new Case(new int[] {1, 1, 9, 8}, new int[] {3, 3}, new int[] {2, 3}, new int[] {2, 1}, new int[] {2, 1}, false),
    };

    // ------------------------------------------------------------------ naive references (PyTorch's CPU loops)

    private static int poolOut(int size, int k, int s, int p, int d, boolean ceil) {
        int num = size + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0);
        int out = Math.floorDiv(num, s) + 1;
        if (ceil && (out - 1) * s >= size + p) {
            out--;
        }
        return out;
    }

    /** Returns {values..., indices...} concatenated: per plane and output position, the max and its flat index. */
    private static double[][] naiveMaxPool(double[] x, Case c) {
        int h = c.h();
        int w = c.w();
        int oh = poolOut(h, c.kernel[0], c.s()[0], c.padding[0], c.dilation[0], c.ceil);
        int ow = poolOut(w, c.kernel[1], c.s()[1], c.padding[1], c.dilation[1], c.ceil);
        double[] values = new double[c.planes() * oh * ow];
        double[] indices = new double[values.length];
        for (int b = 0; b < c.planes(); b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int hs = i * c.s()[0] - c.padding[0];
                    int ws = j * c.s()[1] - c.padding[1];
                    int he = Math.min(hs + (c.kernel[0] - 1) * c.dilation[0] + 1, h);
                    int we = Math.min(ws + (c.kernel[1] - 1) * c.dilation[1] + 1, w);
                    while (hs < 0) {
                        hs += c.dilation[0];
                    }
                    while (ws < 0) {
                        ws += c.dilation[1];
                    }
                    int best = hs * w + ws;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int r = hs; r < he; r += c.dilation[0]) {
                        for (int col = ws; col < we; col += c.dilation[1]) {
                            double v = x[b * h * w + r * w + col];
                            if (v > max) {
                                max = v;
                                best = r * w + col;
                            }
                        }
                    }
                    values[(b * oh + i) * ow + j] = max;
                    indices[(b * oh + i) * ow + j] = best;
                }
            }
        }
        return new double[][] {values, indices};
    }

    private static double[] naiveAvgPool(double[] x, Case c, boolean includePad) {
        int h = c.h();
        int w = c.w();
        int oh = poolOut(h, c.kernel[0], c.s()[0], c.padding[0], 1, c.ceil);
        int ow = poolOut(w, c.kernel[1], c.s()[1], c.padding[1], 1, c.ceil);
        double[] out = new double[c.planes() * oh * ow];
        for (int b = 0; b < c.planes(); b++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int hs = i * c.s()[0] - c.padding[0];
                    int ws = j * c.s()[1] - c.padding[1];
                    int he = Math.min(hs + c.kernel[0], h + c.padding[0]);
                    int we = Math.min(ws + c.kernel[1], w + c.padding[1]);
                    int poolSize = (he - hs) * (we - ws);
                    hs = Math.max(hs, 0);
                    ws = Math.max(ws, 0);
                    he = Math.min(he, h);
                    we = Math.min(we, w);
                    double sum = 0;
                    for (int r = hs; r < he; r++) {
                        for (int col = ws; col < we; col++) {
                            sum += x[b * h * w + r * w + col];
                        }
                    }
                    out[(b * oh + i) * ow + j] = sum / (includePad ? poolSize : (he - hs) * (we - ws));
                }
            }
        }
        return out;
    }

    private static double[] naiveAdaptive(double[] x, int planes, int h, int w, int oh, int ow) {
        double[] out = new double[planes * oh * ow];
        for (int b = 0; b < planes; b++) {
            for (int i = 0; i < oh; i++) {
                int hs = (int) Math.floor((double) i * h / oh);
                int he = (int) Math.ceil((double) (i + 1) * h / oh);
                for (int j = 0; j < ow; j++) {
                    int ws = (int) Math.floor((double) j * w / ow);
                    int we = (int) Math.ceil((double) (j + 1) * w / ow);
                    double sum = 0;
                    for (int r = hs; r < he; r++) {
                        for (int col = ws; col < we; col++) {
                            sum += x[b * h * w + r * w + col];
                        }
                    }
                    out[(b * oh + i) * ow + j] = sum / ((he - hs) * (we - ws));
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ max pooling

    @Test
    void maxPoolIndicesAreFlatPositionsInThePlane() {
        Tensor x = Tensor.arange(1, 17, 1, DType.FLOAT32).reshape(1, 1, 4, 4);
        Pooling.MaxPoolResult r = Pooling.maxPool2d(x, 2);
        assertThat(r.values().shape()).containsExactly(1, 1, 2, 2);
        assertThat(r.values().toFloatArray()).containsExactly(6, 8, 14, 16);
        assertThat(r.indices().dtype()).isEqualTo(DType.INT32);
        assertThat(r.indices().toIntArray()).containsExactly(5, 7, 13, 15);

        Pooling.MaxPoolResult padded = Pooling.maxPool2d(x.neg(), new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, false);
        // Windows over rows and columns {-1, 0, 1} and {1, 2, 3}: the largest of -x is its top-left real element.
        assertThat(padded.values().toFloatArray()).containsExactly(-1, -2, -5, -6);
        assertThat(padded.indices().toIntArray()).containsExactly(0, 1, 4, 5);
    }

    @Test
    void maxPoolTiesPickTheFirstElementAndAllInfiniteWindowsNameTheFirstRealOne() {
        assertThat(Pooling.maxPool2d(Tensor.ones(1, 1, 2, 2), 2).indices().toIntArray()).containsExactly(0);
        Tensor minusInf = Tensor.full(Double.NEGATIVE_INFINITY, DType.FLOAT32, 1, 1, 3, 3);
        Pooling.MaxPoolResult r = Pooling.maxPool2d(minusInf, new int[] {3}, new int[] {1}, new int[] {1}, new int[] {1}, false);
        assertThat(r.indices().toIntArray()).containsExactly(0, 0, 1, 0, 0, 1, 3, 3, 4);
        assertThat(r.values().toFloatArray()).containsOnly(Float.NEGATIVE_INFINITY);
    }

    @Test
    void maxPoolCeilModeAddsAPartialLastWindow() {
        Tensor x = Tensor.arange(0, 25, 1, DType.FLOAT64).reshape(1, 1, 5, 5);
        Pooling.MaxPoolResult r = Pooling.maxPool2d(x, new int[] {2}, null, new int[] {0}, new int[] {1}, true);
        assertThat(r.values().shape()).containsExactly(1, 1, 3, 3);
        assertThat(r.values().toDoubleArray()).containsExactly(6, 8, 9, 16, 18, 19, 21, 23, 24);
        assertThat(r.indices().toIntArray()).containsExactly(6, 8, 9, 16, 18, 19, 21, 23, 24);
    }

    @Test
    void maxPoolMatchesPyTorchsLoop() {
        Generator gen = new Generator(1);
        forEachBackendAndDType(dt -> {
            for (Case c : CASES) {
                Tensor x = random(gen, dt, c.shape);
                Pooling.MaxPoolResult r = Pooling.maxPool2d(x, c.kernel, c.stride, c.padding, c.dilation, c.ceil);
                double[][] expected = naiveMaxPool(x.toDoubleArray(), c);
                assertClose(r.values(), expected[0], dt);
                assertThat(r.indices().toDoubleArray()).containsExactly(expected[1]);
                assertThat(r.values().dim()).isEqualTo(c.shape.length);

                // values are x at the indices, so <values, g> = <x, backward(g)>.
                Tensor g = random(gen, dt, r.values().shape());
                Tensor gx = Pooling.maxPool2dBackward(g, r.indices(), c.shape);
                assertThat(gx.shape()).containsExactly(c.shape);
                assertThat(dot(x, gx)).isCloseTo(dot(r.values(), g), within(dt == DType.FLOAT64 ? 1e-10 : 1e-4));
            }
        });
    }

    @Test
    void maxPoolBackwardAddsTheGradientsOfAMaximumSharedByWindows() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 9, 5, 6, 7, 8}, 1, 1, 3, 3);
        Pooling.MaxPoolResult r = Pooling.maxPool2d(x, new int[] {2}, new int[] {1}, new int[] {0}, new int[] {1}, false);
        assertThat(r.indices().toIntArray()).containsExactly(4, 4, 4, 4);
        Tensor gx = Pooling.maxPool2dBackward(Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2), r.indices(), x.shape());
        assertThat(gx.toFloatArray()).containsExactly(0, 0, 0, 0, 10, 0, 0, 0, 0);
    }

    @Test
    void maxPool1dWorksAlongTheLastDimension() {
        forEachBackendAndDType(dt -> {
            Tensor x = Tensor.of(new double[] {1, 3, 2, 5, 4}, 1, 5).to(dt);
            Pooling.MaxPoolResult r = Pooling.maxPool1d(x, 2, 1, 0, 1, false);
            assertThat(r.values().toDoubleArray()).containsExactly(3, 3, 5, 5);
            assertThat(r.indices().toIntArray()).containsExactly(1, 1, 3, 3);
            Tensor gx = Pooling.maxPool1dBackward(Tensor.ones(dt, 1, 4), r.indices(), x.shape());
            assertThat(gx.toDoubleArray()).containsExactly(0, 2, 0, 2, 0);
            // Stride 0 means the kernel; padding 1 and ceil mode give windows [-1, 0], [1, 2], [3, 4].
            Pooling.MaxPoolResult p = Pooling.maxPool1d(x.neg(), 2, 0, 1, 1, true);
            assertThat(p.values().toDoubleArray()).containsExactly(-1, -2, -4);
            assertThat(p.indices().toIntArray()).containsExactly(0, 2, 4);
        });
    }

    // ------------------------------------------------------------------ average pooling

    @Test
    void avgPoolCountsPaddingByDefaultButNotTheCeilOverhang() {
        Tensor ones = Tensor.ones(1, 1, 3, 3);
        Tensor included = Pooling.avgPool2d(ones, new int[] {3}, new int[] {1}, new int[] {1}, false, true);
        assertClose(included, new double[] {4 / 9.0, 6 / 9.0, 4 / 9.0, 6 / 9.0, 1, 6 / 9.0, 4 / 9.0, 6 / 9.0, 4 / 9.0}, DType.FLOAT32);
        Tensor excluded = Pooling.avgPool2d(ones, new int[] {3}, new int[] {1}, new int[] {1}, false, false);
        assertThat(excluded.toFloatArray()).containsOnly(1f);

        // 6x6, kernel 3, stride 2, padding 1, ceil: 4 windows per axis, the last over row 5, padding row 6, overhang row 7.
        Tensor big = Pooling.avgPool2d(Tensor.ones(1, 1, 6, 6), new int[] {3}, new int[] {2}, new int[] {1}, true, true);
        assertThat(big.shape()).containsExactly(1, 1, 4, 4);
        assertThat((double) big.get(0, 0, 0, 0)).isCloseTo(4 / 9.0, within(1e-6));
        assertThat((double) big.get(0, 0, 0, 3)).isCloseTo(2 / 6.0, within(1e-6));
        assertThat((double) big.get(0, 0, 3, 3)).isCloseTo(1 / 4.0, within(1e-6));
        Tensor bigExcluded = Pooling.avgPool2d(Tensor.ones(1, 1, 6, 6), new int[] {3}, new int[] {2}, new int[] {1}, true, false);
        assertThat(bigExcluded.toFloatArray()).containsOnly(1f);
    }

    @Test
    void avgPoolMatchesPyTorchsLoopAndItsBackwardIsTheAdjoint() {
        Generator gen = new Generator(2);
        forEachBackendAndDType(dt -> {
            for (Case c : CASES) {
                if (c.padding[0] > c.kernel[0] / 2 || c.padding[1] > c.kernel[1] / 2) {
                    continue;   // valid only with the dilation average pooling does not have
                }
                for (boolean includePad : new boolean[] {true, false}) {
                    Tensor x = random(gen, dt, c.shape);
                    Tensor y = Pooling.avgPool2d(x, c.kernel, c.stride, c.padding, c.ceil, includePad);
                    assertClose(y, naiveAvgPool(x.toDoubleArray(), c, includePad), dt);
                    Tensor g = random(gen, dt, y.shape());
                    Tensor gx = Pooling.avgPool2dBackward(g, c.shape, c.kernel, c.stride, c.padding, c.ceil, includePad);
                    assertThat(gx.shape()).containsExactly(c.shape);
                    assertThat(dot(x, gx)).isCloseTo(dot(y, g), within(dt == DType.FLOAT64 ? 1e-10 : 1e-4));
                }
            }
        });
    }

    @Test
    void avgPool1dHandCase() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5}, 1, 1, 5);
        assertThat(Pooling.avgPool1d(x, 2, 2, 1, false, true).toDoubleArray()).containsExactly(0.5, 2.5, 4.5);
        assertThat(Pooling.avgPool1d(x, 2, 2, 1, false, false).toDoubleArray()).containsExactly(1, 2.5, 4.5);
        Tensor gx = Pooling.avgPool1dBackward(Tensor.of(new double[] {1, 1, 1}, 1, 1, 3), x.shape(), 2, 2, 1, false, true);
        assertThat(gx.toDoubleArray()).containsExactly(0.5, 0.5, 0.5, 0.5, 0.5);
    }

    // ------------------------------------------------------------------ adaptive pooling

    @Test
    void adaptivePoolUsesPyTorchsOverlappingWindows() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5}, 1, 5);
        // 5 -> 3: windows [0, 2), [1, 4), [3, 5).
        assertThat(Pooling.adaptiveAvgPool1d(x, 3).toDoubleArray()).containsExactly(1.5, 3, 4.5);
        Tensor plane = Tensor.of(new double[] {1, 2, 3, 4, 5}, 1, 1, 5).expand(1, 5, 5).contiguous();
        assertThat(Pooling.adaptiveAvgPool2d(plane, 1, 3).toDoubleArray()).containsExactly(1.5, 3, 4.5);
    }

    @Test
    void adaptivePoolMatchesDirectAveragesAndItsBackwardIsTheAdjoint() {
        Generator gen = new Generator(4);
        int[][] sizes = {{7, 5, 3, 4}, {3, 4, 5, 7}, {6, 6, 1, 1}, {5, 9, 5, 2}};
        forEachBackendAndDType(dt -> {
            for (int[] s : sizes) {
                Tensor x = random(gen, dt, 2, 3, s[0], s[1]);
                Tensor y = Pooling.adaptiveAvgPool2d(x, s[2], s[3]);
                assertClose(y, naiveAdaptive(x.toDoubleArray(), 6, s[0], s[1], s[2], s[3]), dt);
                Tensor g = random(gen, dt, y.shape());
                Tensor gx = Pooling.adaptiveAvgPool2dBackward(g, x.shape());
                assertThat(dot(x, gx)).isCloseTo(dot(y, g), within(dt == DType.FLOAT64 ? 1e-10 : 1e-4));
            }
            Tensor x1 = random(gen, dt, 2, 3, 7);
            Tensor y1 = Pooling.adaptiveAvgPool1d(x1, 4);
            assertClose(y1, naiveAdaptive(x1.toDoubleArray(), 6, 1, 7, 1, 4), dt);
            Tensor g1 = random(gen, dt, y1.shape());
            assertThat(dot(x1, Pooling.adaptiveAvgPool1dBackward(g1, x1.shape())))
                    .isCloseTo(dot(y1, g1), within(dt == DType.FLOAT64 ? 1e-10 : 1e-4));
        });
    }

    // ------------------------------------------------------------------ errors

    @Test
    void errorsNameTheOpAndTheSizes() {
        assertThatThrownBy(() -> Pooling.maxPool2d(Tensor.zeros(4, 4), 2))
                .hasMessage("maxPool2d: input of shape [4, 4] must be 3-d [C, H, W] or 4-d [N, C, H, W]");
        assertThatThrownBy(() -> Pooling.maxPool2d(Tensor.zeros(1, 4, 4), new int[] {2}, null, new int[] {2}, new int[] {1}, false))
                .hasMessageStartingWith("maxPool2d: padding [2, 2] must be at most half the dilated kernel [2, 2]");
        assertThatThrownBy(() -> Pooling.avgPool2d(Tensor.zeros(1, 2, 5), 3))
                .hasMessageStartingWith("avgPool2d: output size [0, 1] is not positive for input of shape [1, 2, 5]");
        assertThatThrownBy(() -> Pooling.maxPool2d(Tensor.zeros(DType.INT32, 1, 4, 4), 2))
                .hasMessageContaining("maxPool2d: needs a floating tensor");
        assertThatThrownBy(() -> Pooling.adaptiveAvgPool2d(Tensor.zeros(1, 4, 4), 0, 2))
                .hasMessageStartingWith("adaptiveAvgPool2d: output size must be positive, got [0, 2]");
        assertThatThrownBy(() -> Pooling.maxPool2dBackward(Tensor.zeros(1, 2, 2), Tensor.zeros(DType.INT32, 1, 2, 3),
                new int[] {1, 4, 4}))
                .hasMessageStartingWith("maxPool2dBackward: gradOut of shape [1, 2, 2] and indices of shape [1, 2, 3]");
    }
}
