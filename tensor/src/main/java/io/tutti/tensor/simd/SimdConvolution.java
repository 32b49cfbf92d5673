package io.tutti.tensor.simd;

import io.tutti.tensor.CpuStorage;
import io.tutti.tensor.DType;
import io.tutti.tensor.Parallel;
import io.tutti.tensor.Tensor;
import io.tutti.tensor.Window2d;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * The simd backend's convolution (one group, float32): one thread per image at a time, each image a
 * {@link PanelProduct} with the weight packed once for the whole batch, so there is no batch-sized
 * im2col buffer, no per-image thread hand-off and no edge waste from splitting a small image's
 * columns between threads.
 *
 * <h2>Convolution without im2col (stride 1)</h2>
 * Pad the image once into planes of {@code Hp x Wp}. Output position {@code (oh, ow)} then reads tap
 * {@code (ki, kj)} of channel {@code c} at {@code c * Hp*Wp + (oh * Wp + ow) + (ki*dH * Wp + kj*dW)}:
 * numbering positions on the padded width, {@code q = oh * Wp + ow}, every tap is the same run of
 * the padded image shifted by a constant. So {@code B[(c, ki, kj), q]} is a matrix whose rows are
 * shifted runs ({@link PanelProduct#multiplyRows} reads them in place, or packs them when the weight
 * has many rows), and {@code out = weight · B} computed over
 * {@code outH * Wp} positions holds the output in its first {@code outW} columns of each row; the
 * other {@code Wp - outW} are dropped. The input gradient is the same trick run backwards (the
 * output gradient placed on the padded grid, shifted the other way), and the weight gradient reads
 * the shifted runs as columns ({@link PackedPanels#packBColumns}).
 *
 * <p>Other strides unfold one image at a time into a per-thread buffer that stays in cache, and
 * fold the input gradient back the same way.
 *
 * <p>The weight gradient sums over images in a fixed number of fixed chunks, added in order, so its
 * rounding does not depend on how many threads ran it.
 */
final class SimdConvolution {
    /** Images per weight-gradient chunk (one partial sum each), when the batch is large enough. */
    private static final int CHUNK_IMAGES = 16;
    /** Chunks at least, so that small batches still spread over threads. */
    private static final int MIN_CHUNKS = 4;
    /**
     * Floats of output-gradient grids and padded images the stride-1 weight gradient takes per
     * {@link RowDots} call (384 KB: a third of this machine's L2), when images are small enough to group.
     */
    private static final int GROUP_FLOATS = 96 * 1024;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private SimdConvolution() {
    }

    /**
     * Whether the direct kernels take this convolution: float32 throughout, one group, something to
     * compute, and enough images for every thread (a batch of one is better served by the parallel
     * GEMM of the composite).
     */
    static boolean supports(int groups, int batch, Tensor... tensors) {
        if (groups != 1 || batch < 2 * Parallel.threads()) {
            return false;
        }
        for (Tensor t : tensors) {
            if (t != null && (t.dtype() != DType.FLOAT32 || !(t.storage() instanceof CpuStorage) || t.numel() == 0)) {
                return false;
            }
        }
        return true;
    }

    static Tensor forward(Tensor x, Tensor weight, Tensor bias, Window2d win) {
        Geometry g = new Geometry(x.shape(), weight.shape(), win);
        Tensor in = x.contiguous();
        float[] xs = SimdBackend.floats(in);
        float[] packedW = new float[PackedPanels.packedASize(g.outC, g.depth)];
        Tensor w = weight.contiguous();
        PackedPanels.packA(SimdBackend.floats(w), w.offset(), g.depth, 1, g.outC, g.depth, packedW);
        Tensor shifts = bias == null ? null : bias.contiguous();
        float[] b = shifts == null ? null : SimdBackend.floats(shifts);
        int bo = shifts == null ? 0 : shifts.offset();
        Tensor out = Tensor.zeros(DType.FLOAT32, g.batch, g.outC, g.outH, g.outW);
        float[] os = SimdBackend.floats(out);
        int outPlane = g.outH * g.outW;
        if (g.shifted && g.depth < g.outC) {
            // Few taps (a first layer's one channel): packing B straight at the output positions costs
            // depth x positions reads, less than the outC x positions a crop of the padded grid would.
            int[] rowStart = g.tapRows(0);
            int[] position = new int[outPlane];
            for (int oh = 0; oh < g.outH; oh++) {
                for (int ow = 0; ow < g.outW; ow++) {
                    position[oh * g.outW + ow] = oh * g.wp + ow;
                }
            }
            eachItem(g.batch, (s, ws) -> {
                float[] image = ws.image.atLeast(g.paddedLength());
                g.pad(xs, in.offset() + s * g.inC * g.h * g.w, image, 0);
                int at = s * g.outC * outPlane;
                PanelProduct.multiply(packedW, g.outC, g.depth,
                        (k0, kc, c0, n, dst) -> PackedPanels.packBPicked(image, rowStart, position, k0, kc, c0, n, dst),
                        outPlane, os, at, outPlane, false, ws.scratch);
                addBias(os, at, b, bo, g.outC, outPlane);
            });
        } else if (g.shifted) {
            int[] rowStart = g.tapRows(0);
            int cols = g.outH * g.wp;
            eachItem(g.batch, (s, ws) -> {
                float[] image = ws.image.atLeast(g.paddedLength());
                g.pad(xs, in.offset() + s * g.inC * g.h * g.w, image, 0);
                float[] grid = ws.grid.atLeast(g.outC * cols);
                PanelProduct.multiplyRows(packedW, g.outC, g.depth, image, 0, rowStart, cols, grid, 0, cols, ws.scratch);
                for (int o = 0; o < g.outC; o++) {
                    for (int oh = 0; oh < g.outH; oh++) {
                        copyAddingBias(grid, o * cols + oh * g.wp, b, bo + o, os, (s * g.outC + o) * outPlane + oh * g.outW,
                                g.outW);
                    }
                }
            });
        } else {
            int[] rowStart = rowsOfStride(g.depth, outPlane);
            eachItem(g.batch, (s, ws) -> {
                float[] cols = ws.image.atLeast(g.depth * outPlane);
                g.unfold(xs, in.offset() + s * g.inC * g.h * g.w, cols);
                int at = s * g.outC * outPlane;
                PanelProduct.multiplyRows(packedW, g.outC, g.depth, cols, 0, rowStart, outPlane, os, at, outPlane, ws.scratch);
                addBias(os, at, b, bo, g.outC, outPlane);
            });
        }
        return out;
    }

    static Tensor inputGrad(Tensor gradOut, Tensor weight, int[] inputShape, Window2d win) {
        Geometry g = new Geometry(inputShape, weight.shape(), win);
        Tensor gout = gradOut.contiguous();
        float[] gs = SimdBackend.floats(gout);
        int go = gout.offset();
        Tensor w = weight.contiguous();
        float[] ws0 = SimdBackend.floats(w);
        int outPlane = g.outH * g.outW;
        Tensor gradX = Tensor.zeros(DType.FLOAT32, inputShape);
        float[] dx = SimdBackend.floats(gradX);
        if (g.shifted) {
            // A = weight with its first two axes swapped, [C, O * taps]: row c holds every (o, tap) weight on channel c.
            int taps = win.taps();
            float[] swapped = new float[g.inC * g.outC * taps];
            for (int o = 0; o < g.outC; o++) {
                for (int c = 0; c < g.inC; c++) {
                    System.arraycopy(ws0, w.offset() + (o * g.inC + c) * taps, swapped, (c * g.outC + o) * taps, taps);
                }
            }
            int depth = g.outC * taps;
            float[] packed = new float[PackedPanels.packedASize(g.inC, depth)];
            PackedPanels.packA(swapped, 0, depth, 1, g.inC, depth, packed);
            // The output gradient on the padded grid, each channel's row preceded by room for the largest shift.
            int front = g.largestShift();
            int rowLength = front + g.plane();
            // Only the padded rows that hold the input are computed: positions pH * Wp .. (pH + H) * Wp.
            int first = win.padH() * g.wp;
            int[] rowStart = new int[depth];
            for (int o = 0; o < g.outC; o++) {
                for (int t = 0; t < taps; t++) {
                    rowStart[o * taps + t] = o * rowLength + front - g.shift(t) + first;
                }
            }
            int cols = g.h * g.wp;
            eachItem(g.batch, (s, ws) -> {
                float[] grid = ws.grid.atLeast(g.outC * rowLength);
                g.placeOnGrid(gs, go + s * g.outC * outPlane, grid, 0, rowLength, front);
                float[] result = ws.image.atLeast(g.inC * cols);
                PanelProduct.multiplyRows(packed, g.inC, depth, grid, 0, rowStart, cols, result, 0, cols, ws.scratch);
                for (int c = 0; c < g.inC; c++) {
                    for (int r = 0; r < g.h; r++) {
                        System.arraycopy(result, c * cols + r * g.wp + win.padW(), dx, ((s * g.inC + c) * g.h + r) * g.w, g.w);
                    }
                }
            });
        } else {
            // cols = weightᵀ · gradOut per image, then folded back onto the image.
            float[] packed = new float[PackedPanels.packedASize(g.depth, g.outC)];
            PackedPanels.packA(ws0, w.offset(), 1, g.depth, g.depth, g.outC, packed);
            int[] rowStart = rowsOfStride(g.outC, outPlane);
            eachItem(g.batch, (s, ws) -> {
                int base = go + s * g.outC * outPlane;
                float[] cols = ws.image.atLeast(g.depth * outPlane);
                PanelProduct.multiplyRows(packed, g.depth, g.outC, gs, base, rowStart, outPlane, cols, 0, outPlane, ws.scratch);
                g.fold(cols, dx, s * g.inC * g.h * g.w);
            });
        }
        return gradX;
    }

    /**
     * Whether {@link #weightGrad} takes this input: at stride 1 it also multiplies the input under
     * the dropped columns by their zero gradient, which is exact only while the input is finite.
     */
    static boolean weightGradSupports(Tensor x, Window2d win) {
        if (win.strideH() != 1 || win.strideW() != 1) {
            return true;   // other strides unfold the image: every product is of a real window
        }
        Tensor in = x.contiguous();
        float[] xs = SimdBackend.floats(in);
        for (int i = in.offset(), end = i + (int) in.numel(); i < end; i++) {
            if (!Float.isFinite(xs[i])) {
                return false;
            }
        }
        return true;
    }

    static Tensor weightGrad(Tensor x, Tensor gradOut, int[] weightShape, Window2d win) {
        Geometry g = new Geometry(x.shape(), weightShape, win);
        Tensor in = x.contiguous();
        float[] xs = SimdBackend.floats(in);
        Tensor gout = gradOut.contiguous();
        float[] gs = SimdBackend.floats(gout);
        int go = gout.offset();
        // Fixed by the batch alone, never by the thread count, so the sums are always added in the same order.
        int chunks = Math.max(Math.min(g.batch, MIN_CHUNKS), (g.batch + CHUNK_IMAGES - 1) / CHUNK_IMAGES);
        float[][] partial = new float[chunks][g.outC * g.depth];
        if (g.shifted && g.inC >= MicroKernel.NR) {
            channelsLastWeightGrad(g, xs, in.offset(), gs, go, chunks, partial);
        } else if (g.shifted && g.depth < MicroKernel.NR) {
            dotWeightGrad(g, xs, in.offset(), gs, go, chunks, partial);
        } else {
            packedWeightGrad(g, xs, in.offset(), gs, go, chunks, partial);
        }
        Tensor grad = Tensor.zeros(DType.FLOAT32, weightShape);
        float[] gw = SimdBackend.floats(grad);
        for (float[] p : partial) {
            for (int i = 0; i < gw.length; i++) {
                gw[i] += p[i];
            }
        }
        return grad;
    }

    /**
     * Stride 1 with fewer windows per position than a packed panel is wide (a first layer's one to
     * three channels): {@code dW[o, (c, tap)]} is the dot product of output-gradient row {@code o}
     * with the image run of channel {@code c} shifted by the tap, both on the padded width (the
     * gradient zero in the columns that are not outputs), summed by {@link RowDots} with nothing
     * packed; the packed product would spend most of its B panel on padding (9 of 32 columns used,
     * 3.4x slower at 1x28x28 to 32 and 1x40x100 to 32). Images go through {@code RowDots} a group at
     * a time, so that its lane sums are spread over more products; a group's grids and images stay
     * within about {@link #GROUP_FLOATS}.
     *
     * <p>With more windows the packed products are as fast or faster (at 32 channels, 288 windows,
     * RowDots measured no faster than reading the windows as packed columns).
     */
    private static void dotWeightGrad(Geometry g, float[] xs, int xo, float[] gs, int go, int chunks,
                                      float[][] partial) {
        int outPlane = g.outH * g.outW;
        // The summed positions, rounded up to whole vectors: the grid is zero there, and the padded
        // image gets as many zeros past its end for the last runs to read.
        int len = ceilTo(g.outH * g.wp, RowDots.L);
        int gridSize = g.outC * len;
        int imageSize = g.paddedLength() + len - g.outH * g.wp;
        int perGroup = Math.max(1, Math.min(CHUNK_IMAGES, GROUP_FLOATS / (gridSize + imageSize)));
        int[] rowStart = new int[g.outC];
        for (int o = 0; o < g.outC; o++) {
            rowStart[o] = o * len;
        }
        int[] colStart = g.tapRows(0);
        eachChunk(g.batch, chunks, (chunk, from, to, ws) -> {
            float[] lanes = ws.lanes;
            for (int s = from; s < to; s += perGroup) {
                int count = Math.min(perGroup, to - s);
                float[] grids = ws.grid.atLeast(count * gridSize);
                float[] images = ws.image.atLeast(count * imageSize);
                for (int i = 0; i < count; i++) {
                    g.placeOnGrid(gs, go + (s + i) * g.outC * outPlane, grids, i * gridSize, len, 0);
                    g.pad(xs, xo + (s + i) * g.inC * g.h * g.w, images, i * imageSize);
                    Arrays.fill(images, i * imageSize + g.paddedLength(), (i + 1) * imageSize, 0f);
                }
                RowDots.accumulate(grids, rowStart, gridSize, images, colStart, imageSize, count, len,
                        partial[chunk], 0, g.depth, lanes);
            }
        });
    }

    /**
     * Stride 1 with at least a packed panel's width of input channels: one product per tap,
     * {@code dW[:, :, tap] = gOut · X_tap}, where {@code X_tap[p, c]} is the padded image in
     * channels-last order read from row {@code p + shift(tap)}. Each row of {@code X_tap} is then a
     * contiguous run of channels, so B is packed with array copies, and the only transposition is the
     * image's, once per image ({@code C * Hp * Wp} floats), where reading every window as a column
     * transposes {@code C * taps * outH * Wp} (nine times as many); that transposition took a quarter
     * of this gradient at 32x20x50 to 64. The output gradient is packed once per image and shared by
     * the taps' products.
     */
    private static void channelsLastWeightGrad(Geometry g, float[] xs, int xo, float[] gs, int go, int chunks,
                                               float[][] partial) {
        int outPlane = g.outH * g.outW;
        int depth = g.outH * g.wp;
        int taps = g.win.taps();
        int inC = g.inC;
        // Row p of X_tap is row p + shift(tap) of the channels-last image.
        int[][] rowStart = new int[taps][depth];
        for (int t = 0; t < taps; t++) {
            for (int p = 0; p < depth; p++) {
                rowStart[t][p] = (p + g.shift(t)) * inC;
            }
        }
        int perTap = g.outC * inC;
        eachChunk(g.batch, chunks, (chunk, from, to, ws) -> {
            // The chunk's sums per tap, [taps, outC, inC], reordered into [outC, inC, taps] at the end.
            float[] byTap = ws.byTap.atLeast(taps * perTap);
            for (int s = from; s < to; s++) {
                float[] grid = ws.grid.atLeast(g.outC * depth);
                g.placeOnGrid(gs, go + s * g.outC * outPlane, grid, 0, depth, 0);
                float[] packed = ws.packedA.atLeast(PackedPanels.packedASize(g.outC, depth));
                PackedPanels.packA(grid, 0, depth, 1, g.outC, depth, packed);
                float[] image = ws.image.atLeast(g.paddedRows() * inC);
                g.padChannelsLast(xs, xo + s * inC * g.h * g.w, image);
                for (int t = 0; t < taps; t++) {
                    int[] rows = rowStart[t];
                    PanelProduct.multiply(packed, g.outC, depth,
                            (k0, kc, c0, n, dst) -> PackedPanels.packBRows(image, rows, k0, kc, c0, n, dst),
                            inC, byTap, t * perTap, inC, s > from, ws.scratch);
                }
            }
            float[] sums = partial[chunk];
            for (int t = 0; t < taps; t++) {
                for (int i = 0; i < perTap; i++) {
                    sums[i * taps + t] = byTap[t * perTap + i];
                }
            }
        });
    }

    /**
     * A packed product per image of the output gradient with its image's windows read as columns
     * (on the padded grid at stride 1, where the dropped columns get a zero gradient, else unfolded).
     */
    private static void packedWeightGrad(Geometry g, float[] xs, int xo, float[] gs, int go, int chunks,
                                         float[][] partial) {
        int outPlane = g.outH * g.outW;
        int depth = g.shifted ? g.outH * g.wp : outPlane;
        int[] colStart = g.shifted ? g.tapRows(0) : rowsOfStride(g.depth, outPlane);
        eachChunk(g.batch, chunks, (chunk, from, to, ws) -> {
            for (int s = from; s < to; s++) {
                float[] packed = ws.packedA.atLeast(PackedPanels.packedASize(g.outC, depth));
                float[] image;
                if (g.shifted) {
                    float[] grid = ws.grid.atLeast(g.outC * depth);
                    g.placeOnGrid(gs, go + s * g.outC * outPlane, grid, 0, depth, 0);
                    PackedPanels.packA(grid, 0, depth, 1, g.outC, depth, packed);
                    image = ws.image.atLeast(g.paddedLength());
                    g.pad(xs, xo + s * g.inC * g.h * g.w, image, 0);
                } else {
                    PackedPanels.packA(gs, go + s * g.outC * outPlane, outPlane, 1, g.outC, depth, packed);
                    image = ws.image.atLeast(g.depth * outPlane);
                    g.unfold(xs, xo + s * g.inC * g.h * g.w, image);
                }
                float[] source = image;
                PanelProduct.multiply(packed, g.outC, depth,
                        (k0, kc, c0, n, dst) -> PackedPanels.packBColumns(source, colStart, k0, kc, c0, n, dst),
                        g.depth, partial[chunk], 0, g.depth, s > from, ws.scratch);
            }
        });
    }

    private static int ceilTo(int n, int multiple) {
        return (n + multiple - 1) / multiple * multiple;
    }

    /** Adds {@code b[bo + o]} (when there is a bias) to plane {@code o} of the {@code channels} planes at {@code at}. */
    private static void addBias(float[] out, int at, float[] b, int bo, int channels, int plane) {
        if (b != null) {
            for (int o = 0; o < channels; o++) {
                copyAddingBias(out, at + o * plane, b, bo + o, out, at + o * plane, plane);
            }
        }
    }

    /** {@code dst[d + i] = src[s + i] + b[bi]} for {@code i < n}, or a plain copy when there is no bias. */
    private static void copyAddingBias(float[] src, int s, float[] b, int bi, float[] dst, int d, int n) {
        if (b == null) {
            System.arraycopy(src, s, dst, d, n);
        } else {
            // A plain loop (C2 vectorises it), not VectorBinary: called from deep inside the per-image
            // lambdas, the Vector API kernel was left uninlined and ran boxed, a fifth of the
            // forward at 32x14x14 to 64 (rows of 14).
            float shift = b[bi];
            for (int i = 0; i < n; i++) {
                dst[d + i] = src[s + i] + shift;
            }
        }
    }

    /** {@code starts[i] = i * stride}: the rows of a plain row-major matrix. */
    private static int[] rowsOfStride(int rows, int stride) {
        int[] starts = new int[rows];
        for (int i = 0; i < rows; i++) {
            starts[i] = i * stride;
        }
        return starts;
    }

    private interface ItemBody {
        void run(int item, Workspace ws);
    }

    private interface ChunkBody {
        void run(int chunk, int from, int to, Workspace ws);
    }

    /** Runs {@link #eachItem} over {@code chunks} equal runs of the batch's images {@code [from, to)}. */
    private static void eachChunk(int batch, int chunks, ChunkBody body) {
        eachItem(chunks, (chunk, ws) -> body.run(chunk, (int) ((long) batch * chunk / chunks),
                (int) ((long) batch * (chunk + 1) / chunks), ws));
    }

    /** Runs items {@code 0..count-1} over the pool, each thread taking the next item left. */
    private static void eachItem(int count, ItemBody body) {
        IntConsumer run = item -> body.run(item, WORKSPACE.get());
        Gemm.runShared(count, run);
    }

    /** The sizes of one convolution and of its padded-image layout. */
    private static final class Geometry {
        final int batch;
        final int inC;
        final int h;
        final int w;
        final int outC;
        final int outH;
        final int outW;
        /** Rows of the unfolded image: {@code C * kH * kW}. */
        final int depth;
        final Window2d win;
        /** Stride 1 both ways: the shifted-run path applies. */
        final boolean shifted;
        final int hp;
        final int wp;

        Geometry(int[] inputShape, int[] weightShape, Window2d win) {
            batch = inputShape[0];
            inC = inputShape[1];
            h = inputShape[2];
            w = inputShape[3];
            outC = weightShape[0];
            this.win = win;
            outH = win.outputHeight(h);
            outW = win.outputWidth(w);
            depth = inC * win.taps();
            shifted = win.strideH() == 1 && win.strideW() == 1;
            hp = h + 2 * win.padH();
            wp = w + 2 * win.padW();
        }

        int plane() {
            return hp * wp;
        }

        /** How far tap {@code t} (row-major over the kernel) reads past its window's corner on the padded grid. */
        int shift(int t) {
            return (t / win.kernelW()) * win.dilationH() * wp + (t % win.kernelW()) * win.dilationW();
        }

        int largestShift() {
            return shift(win.taps() - 1);
        }

        /**
         * Floats of a padded image: its planes, then room for the last row of windows to run past the
         * last plane by up to {@code (kW - 1) * dW} (those positions land in dropped columns).
         */
        int paddedLength() {
            return inC * plane() + (win.kernelW() - 1) * win.dilationW();
        }

        /** The start of each row {@code (c, ki, kj)} of the shifted-run matrix, offset by {@code base}. */
        int[] tapRows(int base) {
            int taps = win.taps();
            int[] starts = new int[depth];
            for (int c = 0; c < inC; c++) {
                for (int t = 0; t < taps; t++) {
                    starts[c * taps + t] = base + c * plane() + shift(t);
                }
            }
            return starts;
        }

        /** Copies one image {@code [C, H, W]} at {@code at} into {@code dst} from {@code to}, with its zero border. */
        void pad(float[] x, int at, float[] dst, int to) {
            int plane = plane();
            for (int c = 0; c < inC; c++) {
                int base = to + c * plane;
                // Only the border is zeroed: the top rows and the first row's left margin, then after
                // each row its right margin with the next row's left one (the bottom rows after the last).
                int row = base + win.padH() * wp + win.padW();
                Arrays.fill(dst, base, row, 0f);
                for (int r = 0; r < h; r++, row += wp) {
                    System.arraycopy(x, at + (c * h + r) * w, dst, row, w);
                    Arrays.fill(dst, row + w, r == h - 1 ? base + plane : row + wp, 0f);
                }
            }
            Arrays.fill(dst, to + inC * plane, to + paddedLength(), 0f);
        }

        /** Positions of a padded image with the room {@link #paddedLength} leaves after its last plane. */
        int paddedRows() {
            return plane() + (win.kernelW() - 1) * win.dilationW();
        }

        /**
         * Copies one image {@code [C, H, W]} at {@code at} into {@code dst} in channels-last order on
         * the padded grid, {@code dst[q * C + c]} for position {@code q < paddedRows()}, zero off the image.
         */
        void padChannelsLast(float[] x, int at, float[] dst) {
            // A block of a row's positions at a time, so the rows written stay in L1 while every
            // channel's values are scattered into them; as in pad(), only the border is zeroed.
            final int block = 16;
            int end = paddedRows() * inC;
            Arrays.fill(dst, 0, (win.padH() * wp + win.padW()) * inC, 0f);
            for (int r = 0; r < h; r++) {
                int first = (r + win.padH()) * wp + win.padW();
                Arrays.fill(dst, (first + w) * inC, r == h - 1 ? end : (first + wp) * inC, 0f);
                for (int c0 = 0; c0 < w; c0 += block) {
                    int n = Math.min(block, w - c0);
                    for (int c = 0; c < inC; c++) {
                        int src = at + (c * h + r) * w + c0;
                        for (int i = 0, d = (first + c0) * inC + c; i < n; i++, d += inC) {
                            dst[d] = x[src + i];
                        }
                    }
                }
            }
        }

        /**
         * Places one image's output gradient ({@code gOut[o, oh, ow]} at {@code g[at + (o * outH + oh) * outW + ow]})
         * on the padded width: row {@code o} of {@code grid} starts at {@code to + o * rowLength}, holds
         * {@code front} zeros, then {@code outH} rows of {@code wp} with the gradient in their first
         * {@code outW} columns, then zeros to the end of the row. Only the zeros are written besides the values.
         */
        void placeOnGrid(float[] g, int at, float[] grid, int to, int rowLength, int front) {
            for (int o = 0; o < outC; o++) {
                int base = to + o * rowLength;
                int row = base + front;
                Arrays.fill(grid, base, row, 0f);
                for (int oh = 0; oh < outH; oh++, row += wp) {
                    System.arraycopy(g, at + (o * outH + oh) * outW, grid, row, outW);
                    Arrays.fill(grid, row + outW, oh == outH - 1 ? base + rowLength : row + wp, 0f);
                }
            }
        }

        void unfold(float[] x, int at, float[] cols) {
            int per = win.taps() * outH * outW;
            for (int c = 0; c < inC; c++) {
                Patches.unfoldPlane(x, at + c * h * w, h, w, win, outH, outW, cols, c * per);
            }
        }

        void fold(float[] cols, float[] out, int at) {
            int per = win.taps() * outH * outW;
            for (int c = 0; c < inC; c++) {
                Patches.foldPlane(cols, c * per, h, w, win, outH, outW, out, at + c * h * w);
            }
        }
    }

    /** One thread's buffers, kept for the next call. */
    private static final class Workspace {
        final PanelProduct.Scratch scratch = new PanelProduct.Scratch();
        /** The padded (or unfolded) image, or the product before it is cropped. */
        final ScratchArray image = new ScratchArray();
        /** The output gradient on the padded grid, or the output before it is cropped. */
        final ScratchArray grid = new ScratchArray();
        final ScratchArray packedA = new ScratchArray();
        /** The channels-last weight gradient's per-tap sums. */
        final ScratchArray byTap = new ScratchArray();
        /** A {@link RowDots} tile's accumulators, stored to be summed lane by lane. */
        final float[] lanes = new float[RowDots.LANES];
    }
}
