package io.tutti.tensor;

import io.tutti.tensor.reference.ReferenceBackend;
import org.junit.jupiter.api.Test;

import static io.tutti.tensor.KernelTesting.assertClose;
import static io.tutti.tensor.KernelTesting.dot;
import static io.tutti.tensor.KernelTesting.forEachBackendAndDType;
import static io.tutti.tensor.KernelTesting.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ConvolutionTest {

    /** One convolution setting: input [n, c, h, w], weight [o, c / groups, kh, kw], and the window. */
    private record Case(int n, int c, int h, int w, int o, int kh, int kw, int[] stride, int[] padding, int[] dilation, int groups) {
    }

    private static final Case[] CASES = {
        new Case(2, 3, 7, 5, 4, 3, 2, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 2}, 1),
        new Case(1, 6, 9, 8, 6, 3, 3, new int[] {2}, new int[] {2}, new int[] {2}, 3),
        new Case(3, 4, 5, 7, 8, 1, 3, new int[] {1}, new int[] {0, 1}, new int[] {1}, 4),
        new Case(2, 5, 6, 3, 3, 1, 1, new int[] {3, 2}, new int[] {0}, new int[] {1}, 1),
        new Case(1, 2, 4, 4, 2, 4, 4, new int[] {1}, new int[] {3}, new int[] {1}, 2),
    };

    // ------------------------------------------------------------------ naive references

    private static double at(double[] x, int c, int h, int w, int n, int ch, int r, int col) {
        if (r < 0 || r >= h || col < 0 || col >= w) {
            return 0;
        }
        return x[((n * c + ch) * h + r) * w + col];
    }

    private static int out(int size, int k, int s, int p, int d) {
        return (size + 2 * p - d * (k - 1) - 1) / s + 1;
    }

    /** Direct convolution: every output element as its own sum, no unfolding. */
    private static double[] naiveConv(double[] x, double[] wt, double[] bias, Case k) {
        int[] s = Convolution.pair("t", "s", k.stride);
        int[] p = Convolution.pair("t", "p", k.padding);
        int[] d = Convolution.pair("t", "d", k.dilation);
        int oh = out(k.h, k.kh, s[0], p[0], d[0]);
        int ow = out(k.w, k.kw, s[1], p[1], d[1]);
        int cg = k.c / k.groups;
        int og = k.o / k.groups;
        double[] y = new double[k.n * k.o * oh * ow];
        for (int n = 0; n < k.n; n++) {
            for (int o = 0; o < k.o; o++) {
                int g = o / og;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = bias == null ? 0 : bias[o];
                        for (int c = 0; c < cg; c++) {
                            for (int ki = 0; ki < k.kh; ki++) {
                                for (int kj = 0; kj < k.kw; kj++) {
                                    double xv = at(x, k.c, k.h, k.w, n, g * cg + c, i * s[0] - p[0] + ki * d[0], j * s[1] - p[1] + kj * d[1]);
                                    sum += xv * wt[((o * cg + c) * k.kh + ki) * k.kw + kj];
                                }
                            }
                        }
                        y[((n * k.o + o) * oh + i) * ow + j] = sum;
                    }
                }
            }
        }
        return y;
    }

    /** Direct im2col with PyTorch's row order (channel, kernel row, kernel column). */
    private static double[] naiveUnfold(double[] x, int n0, int c0, int h, int w, Window2d win) {
        int oh = win.outputHeight(h);
        int ow = win.outputWidth(w);
        int taps = win.taps();
        double[] cols = new double[n0 * c0 * taps * oh * ow];
        for (int n = 0; n < n0; n++) {
            for (int c = 0; c < c0; c++) {
                for (int ki = 0; ki < win.kernelH(); ki++) {
                    for (int kj = 0; kj < win.kernelW(); kj++) {
                        int row = c * taps + ki * win.kernelW() + kj;
                        for (int i = 0; i < oh; i++) {
                            for (int j = 0; j < ow; j++) {
                                int r = i * win.strideH() - win.padH() + ki * win.dilationH();
                                int col = j * win.strideW() - win.padW() + kj * win.dilationW();
                                cols[((n * c0 * taps + row) * oh + i) * ow + j] = at(x, c0, h, w, n, c, r, col);
                            }
                        }
                    }
                }
            }
        }
        return cols;
    }

    // ------------------------------------------------------------------ tests

    @Test
    void unfoldOfTinyPlaneMatchesPyTorchLayout() {
        Tensor x = Tensor.arange(1, 10, 1, DType.FLOAT32).reshape(1, 1, 3, 3);
        Tensor cols = Convolution.unfold2d(x, new int[] {2}, new int[] {1}, new int[] {0}, new int[] {1});
        assertThat(cols.shape()).containsExactly(1, 4, 4);
        assertThat(cols.toFloatArray()).containsExactly(1, 2, 4, 5, 2, 3, 5, 6, 4, 5, 7, 8, 5, 6, 8, 9);
        Tensor counts = Convolution.fold2d(Tensor.ones(1, 4, 4), new int[] {3, 3}, new int[] {2}, new int[] {1}, new int[] {0},
                new int[] {1});
        assertThat(counts.toFloatArray()).containsExactly(1, 2, 1, 2, 4, 2, 1, 2, 1);
    }

    @Test
    void unfoldMatchesNaiveIm2colAndFoldIsItsAdjoint() {
        Generator gen = new Generator(11);
        forEachBackendAndDType(dt -> {
            for (Case k : CASES) {
                Window2d win = Convolution.window("test", new int[] {k.kh, k.kw}, k.stride, k.padding, k.dilation);
                Tensor x = random(gen, dt, k.n, k.c, k.h, k.w);
                Tensor cols = Convolution.unfold2d(x, win);
                assertThat(cols.dtype()).isEqualTo(dt);
                assertClose(cols, naiveUnfold(x.toDoubleArray(), k.n, k.c, k.h, k.w, win), dt);

                Tensor y = random(gen, dt, cols.shape());
                Tensor folded = Convolution.fold2d(y, new int[] {k.h, k.w}, win);
                assertThat(folded.shape()).containsExactly(k.n, k.c, k.h, k.w);
                double lhs = dot(cols, y);
                double rhs = dot(x, folded);
                assertThat(rhs).isCloseTo(lhs, within((dt == DType.FLOAT64 ? 1e-10 : 1e-4) * (1 + Math.abs(lhs))));
            }
        });
    }

    @Test
    void conv2dMatchesDirectConvolution() {
        Generator gen = new Generator(3);
        forEachBackendAndDType(dt -> {
            for (Case k : CASES) {
                Tensor x = random(gen, dt, k.n, k.c, k.h, k.w);
                Tensor w = random(gen, dt, k.o, k.c / k.groups, k.kh, k.kw);
                Tensor b = random(gen, dt, k.o);
                Tensor y = Convolution.conv2d(x, w, b, k.stride, k.padding, k.dilation, k.groups);
                assertClose(y, naiveConv(x.toDoubleArray(), w.toDoubleArray(), b.toDoubleArray(), k), dt);
                Tensor noBias = Convolution.conv2d(x, w, null, k.stride, k.padding, k.dilation, k.groups);
                assertClose(noBias, naiveConv(x.toDoubleArray(), w.toDoubleArray(), null, k), dt);
            }
        });
    }

    @Test
    void conv2dAcceptsNonContiguousInput() {
        Generator gen = new Generator(5);
        Tensor x = random(gen, DType.FLOAT64, 2, 3, 5, 6).transpose(2, 3);
        Tensor w = random(gen, DType.FLOAT64, 2, 3, 2, 2);
        Case k = new Case(2, 3, 6, 5, 2, 2, 2, new int[] {1}, new int[] {1}, new int[] {1}, 1);
        Tensor y = Convolution.conv2d(x, w, null, 1, 1);
        assertClose(y, naiveConv(x.contiguous().toDoubleArray(), w.toDoubleArray(), null, k), DType.FLOAT64);
    }

    @Test
    void conv1dMatchesDirectConvolutionOfAHeightOnePlane() {
        Generator gen = new Generator(8);
        forEachBackendAndDType(dt -> {
            Tensor x = random(gen, dt, 2, 4, 11);
            Tensor w = random(gen, dt, 6, 2, 3);
            Tensor b = random(gen, dt, 6);
            Tensor y = Convolution.conv1d(x, w, b, 2, 1, 2, 2);
            Case k = new Case(2, 4, 1, 11, 6, 1, 3, new int[] {1, 2}, new int[] {0, 1}, new int[] {1, 2}, 2);
            assertThat(y.shape()).containsExactly(2, 6, 5);
            assertClose(y, naiveConv(x.toDoubleArray(), w.toDoubleArray(), b.toDoubleArray(), k), dt);
        });
    }

    @Test
    void unfold1dAndFold1dAreAdjoint() {
        Generator gen = new Generator(9);
        forEachBackendAndDType(dt -> {
            Tensor x = random(gen, dt, 2, 3, 10);
            Tensor cols = Convolution.unfold1d(x, 3, 2, 2, 2);
            // out = floor((10 + 4 - 4 - 1) / 2) + 1 = 5 positions, 3 channels x 3 taps.
            assertThat(cols.shape()).containsExactly(2, 9, 5);
            Tensor y = random(gen, dt, 2, 9, 5);
            Tensor folded = Convolution.fold1d(y, 10, 3, 2, 2, 2);
            assertThat(folded.shape()).containsExactly(2, 3, 10);
            assertThat(dot(x, folded)).isCloseTo(dot(cols, y), within(dt == DType.FLOAT64 ? 1e-10 : 1e-3));
        });
        // Tap 1 of the second window (start 2 - 2 = 0, dilation 2) is element 2.
        Tensor x = Tensor.arange(0, 10, 1, DType.FLOAT64).reshape(1, 1, 10);
        assertThat(Convolution.unfold1d(x, 3, 2, 2, 2).get(0, 1, 1)).isEqualTo(2.0);
    }

    @Test
    void conv2dGradientsAreTheAdjointsOfTheForward() {
        Generator gen = new Generator(21);
        forEachBackendAndDType(dt -> {
            for (Case k : CASES) {
                Tensor x = random(gen, dt, k.n, k.c, k.h, k.w);
                Tensor w = random(gen, dt, k.o, k.c / k.groups, k.kh, k.kw);
                Tensor y = Convolution.conv2d(x, w, null, k.stride, k.padding, k.dilation, k.groups);
                Tensor g = random(gen, dt, y.shape());
                Tensor gx = Convolution.conv2dInputGrad(g, w, x.shape(), k.stride, k.padding, k.dilation, k.groups);
                Tensor gw = Convolution.conv2dWeightGrad(x, g, w.shape(), k.stride, k.padding, k.dilation, k.groups);
                assertThat(gx.shape()).containsExactly(x.shape());
                assertThat(gw.shape()).containsExactly(w.shape());
                // conv is linear in x and in w, so <conv(x, w), g> = <x, dL/dx> = <w, dL/dw>.
                double forward = dot(y, g);
                double tol = (dt == DType.FLOAT64 ? 1e-10 : 1e-4) * (1 + Math.abs(forward));
                assertThat(dot(x, gx)).isCloseTo(forward, within(tol));
                assertThat(dot(w, gw)).isCloseTo(forward, within(tol));
            }
        });
    }

    @Test
    void conv1dGradientsAreTheAdjointsOfTheForward() {
        Generator gen = new Generator(22);
        Tensor x = random(gen, DType.FLOAT64, 2, 4, 9);
        Tensor w = random(gen, DType.FLOAT64, 2, 2, 3);
        Tensor y = Convolution.conv1d(x, w, null, 2, 1, 1, 2);
        Tensor g = random(gen, DType.FLOAT64, y.shape());
        Tensor gx = Convolution.conv1dInputGrad(g, w, x.shape(), 2, 1, 1, 2);
        Tensor gw = Convolution.conv1dWeightGrad(x, g, w.shape(), 2, 1, 1, 2);
        assertThat(dot(x, gx)).isCloseTo(dot(y, g), within(1e-10));
        assertThat(dot(w, gw)).isCloseTo(dot(y, g), within(1e-10));
    }

    @Test
    void aBackendCanReplaceUnfoldAndFold() {
        int[] calls = new int[2];
        Backend counting = new ReferenceBackend() {
            @Override
            public Tensor unfold2d(Tensor x, Window2d window) {
                calls[0]++;
                return super.unfold2d(x, window);
            }

            @Override
            public Tensor fold2d(Tensor cols, int height, int width, Window2d window) {
                calls[1]++;
                return super.fold2d(cols, height, width, window);
            }
        };
        try (var s = Backends.use(counting)) {
            Tensor x = Tensor.ones(1, 2, 4, 4);
            Tensor w = Tensor.ones(3, 2, 3, 3);
            Tensor y = Convolution.conv2d(x, w, null, 1, 1);
            Convolution.conv2dInputGrad(y, w, x.shape(), new int[] {1}, new int[] {1}, new int[] {1}, 1);
        }
        assertThat(calls).containsExactly(1, 1);
    }

    @Test
    void errorsNameTheOpAndTheShapes() {
        Tensor w = Tensor.zeros(2, 4, 3, 3);
        assertThatThrownBy(() -> Convolution.conv2d(Tensor.zeros(2, 3, 8), w, null, 1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("conv2d: input of shape [2, 3, 8] must be 4-d [N, C, H, W]");
        assertThatThrownBy(() -> Convolution.conv2d(Tensor.zeros(1, 3, 8, 8), w, null, 1, 0))
                .hasMessage("conv2d: weight has 4 input channels per group but input has 3");
        assertThatThrownBy(() -> Convolution.conv2d(Tensor.zeros(1, 6, 8, 8), w, null, new int[] {1}, new int[] {0},
                new int[] {1}, 2))
                .hasMessage("conv2d: weight has 4 input channels per group but input has 6 channels in 2 groups (3 per group)");
        assertThatThrownBy(() -> Convolution.conv2d(Tensor.zeros(1, 4, 2, 8), w, null, 1, 0))
                .hasMessageStartingWith("conv2d: output size [0, 6] is not positive for input size [2, 8] with kernel [3, 3]");
        assertThatThrownBy(() -> Convolution.conv2d(Tensor.zeros(1, 4, 8, 8), w, Tensor.zeros(3), 1, 0))
                .hasMessageContaining("bias of shape [3] must be [2]");
        assertThatThrownBy(() -> Convolution.conv2d(Tensor.zeros(1, 4, 8, 8), w, null, new int[] {1}, new int[] {0},
                new int[] {1}, 0))
                .hasMessageContaining("groups must be positive");
        assertThatThrownBy(() -> Convolution.unfold2d(Tensor.zeros(1, 1, 4, 4), new int[] {2}, new int[] {0}, new int[] {0},
                new int[] {1}))
                .hasMessageStartingWith("unfold2d: kernel [2, 2], stride [0, 0]");
        assertThatThrownBy(() -> Convolution.fold2d(Tensor.zeros(1, 4, 5), new int[] {3, 3}, new int[] {2}, new int[] {1},
                new int[] {0}, new int[] {1}))
                .hasMessageStartingWith("fold2d: input of shape [1, 4, 5] has 5 columns but output size [3, 3]");
        assertThatThrownBy(() -> Convolution.fold2d(Tensor.zeros(1, 5, 4), new int[] {3, 3}, new int[] {2}, new int[] {1},
                new int[] {0}, new int[] {1}))
                .hasMessageContaining("not a multiple of the 4 kernel taps");
        assertThatThrownBy(() -> Convolution.conv1d(Tensor.zeros(2, 8), Tensor.zeros(1, 2, 3), null, 1, 0, 1, 1))
                .hasMessage("conv1d: input of shape [2, 8] must be 3-d [N, C, L]");
    }
}
