package io.tutti.tensor.simd;

import io.tutti.tensor.Parallel;
import io.tutti.tensor.Tensor;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import static io.tutti.tensor.simd.MicroKernel.MR;
import static io.tutti.tensor.simd.MicroKernel.NR;

/**
 * Float32 batched matrix multiplication in the GotoBLAS / BLIS style: C is cut into blocks of
 * {@link #NC} columns, the depth into slices of {@link #KC}, and the rows into blocks of {@link #MC};
 * each slice of B and block of A is packed ({@link PackedPanels}) so the {@link MicroKernel} reads
 * both with unit stride from cache: a micro-panel of B stays in L1 while the packed block of A
 * streams from L2 and the packed slice of B from L3.
 *
 * <p>Large products are cut over rows (or columns, when C is wide) into a few pieces per thread,
 * which the threads take in turn. The operand every piece needs whole (B for row pieces, A for
 * column pieces) is packed once, by all threads together, and shared; each piece packs only its own
 * blocks of the other. Small products run on the calling thread (in whole tiles without packing A,
 * {@link SmallProduct}), tiny ones in a plain triple loop, and
 * batches of small products are spread over threads one matrix at a time. Sums are accumulated in
 * float, as BLAS does; the depth is never split, so results do not depend on the thread count.
 */
final class Gemm {
    /**
     * Deepest packed slice ({@link #depthStep} cuts the depth into equal slices of at most this). Every
     * slice ends with one pass over its tiles of C, whose lines come from L3 with nothing to prefetch
     * them, a cost of several hundred cycles per tile; the deeper the slice, the more multiply-adds
     * pay for it. A KC x NR micro-panel of B (64 KiB at NR = 32) then streams from L2 rather than
     * sitting in L1, which the kernel, needing ~13 bytes per cycle, does not feel: on Zen 4, 512
     * measured 5-10% faster than 256 single-threaded at n = 1024 and 2048 and 10-15% faster on two
     * threads at n = 512 and 1024, and 256 had measured 20% faster than 128.
     */
    static final int KC = 512;
    /** Rows of A packed at once (a multiple of both kernels' MR): MC x KC floats (288 KiB) sit in L2. */
    static final int MC = 144;
    /** Columns of B packed at once: KC x NC floats (4 MiB) sit in L3. */
    static final int NC = 2048 / NR * NR;

    /** Products with fewer multiply-adds than this stay on the calling thread. */
    private static final long PARALLEL_MIN_MACS = 64L * 64 * 64;
    /** Products with fewer multiply-adds than this skip packing altogether. */
    private static final long DIRECT_MAX_MACS = 8L * 8 * 8;

    /** Narrowest piece of C (rows or columns) handed to one thread at a time. */
    private static final int MIN_SHARE = 128;
    /** Most pieces per thread: enough to even out a busy core, few enough to keep packing cheap. */
    private static final int MAX_SHARES_PER_THREAD = 4;

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private Gemm() {
    }

    /**
     * {@code out[..., i, j] = sum_k a[..., i, k] * b[..., k, j]} on float32 tensors of one rank
     * (at least 2) and equal batch dimensions, read and written through their strides.
     */
    static void matmul(Tensor a, Tensor b, Tensor out) {
        int r = out.dim();
        int m = out.shape(r - 2);
        int n = out.shape(r - 1);
        int k = a.shape(r - 1);
        int batch = 1;
        for (int d = 0; d < r - 2; d++) {
            batch *= out.shape(d);
        }
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        float[] ad = SimdBackend.floats(a);
        float[] bd = SimdBackend.floats(b);
        float[] cd = SimdBackend.floats(out);
        int ars = a.stride(r - 2), acs = a.stride(r - 1);
        int brs = b.stride(r - 2), bcs = b.stride(r - 1);
        int crs = out.stride(r - 2), ccs = out.stride(r - 1);
        int[][] offsets = batchOffsets(out.shape(), a, b, out, batch);
        long macs = (long) m * n * k;
        if (batch > 1 && macs < PARALLEL_MIN_MACS) {
            int grain = (int) Math.max(1, PARALLEL_MIN_MACS / Math.max(1, macs));
            Parallel.forRange(batch, grain, (from, to) -> {
                for (int t = from; t < to; t++) {
                    multiply(ad, offsets[0][t], ars, acs, bd, offsets[1][t], brs, bcs, cd, offsets[2][t], crs, ccs,
                            m, n, k, false);
                }
            });
        } else {
            for (int t = 0; t < batch; t++) {
                multiply(ad, offsets[0][t], ars, acs, bd, offsets[1][t], brs, bcs, cd, offsets[2][t], crs, ccs,
                        m, n, k, true);
            }
        }
    }

    /**
     * One {@code m x k} by {@code k x n} product, {@code m, n > 0}; an empty depth ({@code k == 0})
     * takes the direct loop and writes zeros.
     */
    private static void multiply(float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                                 float[] c, int co, int crs, int ccs, int m, int n, int k, boolean parallel) {
        if (ccs != 1 && crs == 1) {
            // A column-major C (a transposed view) is the row-major C^T = B^T A^T: swap the operands.
            multiply(b, bo, bcs, brs, a, ao, acs, ars, c, co, ccs, crs, n, m, k, parallel);
            return;
        }
        long macs = (long) m * n * k;
        if (macs < DIRECT_MAX_MACS) {
            direct(a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs, m, n, k);
        } else if (macs < PARALLEL_MIN_MACS && SmallProduct.takes(m, n, k, ccs)) {
            SmallProduct.multiply(a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, m, n, k, WORKSPACE.get().packedB);
        } else if (!parallel || macs < PARALLEL_MIN_MACS || Parallel.threads() == 1) {
            blocked(a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs, 0, m, 0, n, k);
        } else if (ccs == 1 && m >= n) {
            rowsWithSharedB(a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, m, n, k);
        } else if (ccs == 1) {
            columnsWithSharedA(a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, m, n, k);
        } else if (m >= n) {
            int panels = PackedPanels.ceilDiv(m, MR);
            int items = shareCount(panels * MR);
            runShared(items, item -> blocked(a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs,
                    share(item, items, panels) * MR, Math.min(m, share(item + 1, items, panels) * MR), 0, n, k));
        } else {
            int panels = PackedPanels.ceilDiv(n, NR);
            int items = shareCount(panels * NR);
            runShared(items, item -> blocked(a, ao, ars, acs, b, bo, brs, bcs, c, co, crs, ccs,
                    0, m, share(item, items, panels) * NR, Math.min(n, share(item + 1, items, panels) * NR), k));
        }
    }

    /**
     * The parallel product cut over rows of C: B is packed once over its whole depth, the threads
     * sharing the work panel by panel, and then every piece of rows packs only its own blocks of A
     * against the shared B. (Cutting first and packing after would pack all of B once per piece.)
     */
    private static void rowsWithSharedB(float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                                        float[] c, int co, int crs, int m, int n, int k) {
        int bPanels = PackedPanels.ceilDiv(n, NR);
        float[] packedB = WORKSPACE.get().shared.atLeast(bPanels * NR * k);
        Parallel.forRange(bPanels, 1, (from, to) -> {
            for (int p = from; p < to; p++) {
                PackedPanels.packB(b, bo + p * NR * bcs, brs, bcs, k, Math.min(NR, n - p * NR), packedB, p * NR * k);
            }
        });
        int panels = PackedPanels.ceilDiv(m, MR);
        int items = shareCount(panels * MR);
        runShared(items, item -> {
            int m0 = share(item, items, panels) * MR;
            int m1 = Math.min(m, share(item + 1, items, panels) * MR);
            Workspace ws = WORKSPACE.get();
            int step = depthStep(k);
            for (int pc = 0; pc < k; pc += step) {
                int kc = Math.min(step, k - pc);
                for (int ic = m0; ic < m1; ic += MC) {
                    int mc = Math.min(MC, m1 - ic);
                    float[] packedA = ws.packedA.atLeast(PackedPanels.packedASize(mc, kc));
                    PackedPanels.packA(a, ao + ic * ars + pc * acs, ars, acs, mc, kc, packedA);
                    macroKernel(packedA, MR * kc, 0, packedB, NR * k, pc * NR, mc, n, kc, c, co + ic * crs, crs, 1, pc > 0,
                            ws.tile);
                }
            }
        });
    }

    /** The parallel product cut over columns of C: the transpose of {@link #rowsWithSharedB}, A packed once and shared. */
    private static void columnsWithSharedA(float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                                           float[] c, int co, int crs, int m, int n, int k) {
        int aPanels = PackedPanels.ceilDiv(m, MR);
        float[] packedA = WORKSPACE.get().shared.atLeast(aPanels * MR * k);
        Parallel.forRange(aPanels, 1, (from, to) -> {
            for (int p = from; p < to; p++) {
                PackedPanels.packA(a, ao + p * MR * ars, ars, acs, Math.min(MR, m - p * MR), k, packedA, p * MR * k);
            }
        });
        int panels = PackedPanels.ceilDiv(n, NR);
        int items = shareCount(panels * NR);
        runShared(items, item -> {
            int n0 = share(item, items, panels) * NR;
            int n1 = Math.min(n, share(item + 1, items, panels) * NR);
            Workspace ws = WORKSPACE.get();
            int step = depthStep(k);
            for (int pc = 0; pc < k; pc += step) {
                int kc = Math.min(step, k - pc);
                for (int jc = n0; jc < n1; jc += NC) {
                    int nc = Math.min(NC, n1 - jc);
                    float[] packedB = ws.packedB.atLeast(PackedPanels.packedBSize(kc, nc));
                    PackedPanels.packB(b, bo + pc * brs + jc * bcs, brs, bcs, kc, nc, packedB);
                    macroKernel(packedA, MR * k, pc * MR, packedB, NR * kc, 0, m, nc, kc, c, co + jc, crs, 1, pc > 0, ws.tile);
                }
            }
        });
    }

    /**
     * How many pieces to cut an extent of C into: a few per thread, so a thread slowed by other work
     * on the machine hands pieces to the others, but each piece at least {@link #MIN_SHARE} wide,
     * because every piece packs the whole other operand again.
     */
    private static int shareCount(int extent) {
        int threads = Parallel.threads();
        int perThread = Math.max(1, Math.min(MAX_SHARES_PER_THREAD, extent / (threads * MIN_SHARE)));
        return threads * perThread;
    }

    /**
     * The depth of every slice but perhaps the last: the depth cut into equal slices of at most
     * {@link #KC} (576 = 288 + 288 keeps the pass over C amortised, 512 + 64 would not).
     */
    static int depthStep(int k) {
        int slices = Math.max(1, PackedPanels.ceilDiv(k, KC));
        return Math.max(1, PackedPanels.ceilDiv(k, slices));
    }

    /** Start, in panels, of piece {@code item} of {@code items} equal pieces of {@code panels}. */
    private static int share(int item, int items, int panels) {
        return (int) ((long) panels * item / items);
    }

    /** Runs pieces {@code 0..items-1} on every thread, each thread taking the next piece left. */
    static void runShared(int items, IntConsumer piece) {
        AtomicInteger next = new AtomicInteger();
        Parallel.forRange(Parallel.threads(), 1, (from, to) -> {
            for (int item = next.getAndIncrement(); item < items; item = next.getAndIncrement()) {
                piece.accept(item);
            }
        });
    }

    /** The plain triple loop, for products too small to repay packing. */
    private static void direct(float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                               float[] c, int co, int crs, int ccs, int m, int n, int k) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                for (int p = 0, ai = ao + i * ars, bi = bo + j * bcs; p < k; p++, ai += acs, bi += brs) {
                    sum += a[ai] * b[bi];
                }
                c[co + i * crs + j * ccs] = sum;
            }
        }
    }

    /** The packed loop nest over rows {@code [m0, m1)} and columns {@code [n0, n1)} of C. */
    private static void blocked(float[] a, int ao, int ars, int acs, float[] b, int bo, int brs, int bcs,
                                float[] c, int co, int crs, int ccs, int m0, int m1, int n0, int n1, int k) {
        Workspace ws = WORKSPACE.get();
        int step = depthStep(k);
        for (int jc = n0; jc < n1; jc += NC) {
            int nc = Math.min(NC, n1 - jc);
            for (int pc = 0; pc < k; pc += step) {
                int kc = Math.min(step, k - pc);
                float[] packedB = ws.packedB.atLeast(PackedPanels.packedBSize(kc, nc));
                PackedPanels.packB(b, bo + pc * brs + jc * bcs, brs, bcs, kc, nc, packedB);
                for (int ic = m0; ic < m1; ic += MC) {
                    int mc = Math.min(MC, m1 - ic);
                    float[] packedA = ws.packedA.atLeast(PackedPanels.packedASize(mc, kc));
                    PackedPanels.packA(a, ao + ic * ars + pc * acs, ars, acs, mc, kc, packedA);
                    macroKernel(packedA, MR * kc, 0, packedB, NR * kc, 0, mc, nc, kc, c, co + ic * crs + jc * ccs, crs, ccs, pc > 0, ws.tile);
                }
            }
        }
    }

    /**
     * Runs the micro-kernel over every MR x NR tile of one packed block pair: A's panel {@code r} at
     * {@code aOffset + r * aStride}, B's panel {@code q} at {@code bOffset + q * bStride} (a block packed
     * on its own, or a slice of an operand packed over its whole depth).
     */
    static void macroKernel(float[] packedA, int aStride, int aOffset, float[] packedB, int bStride, int bOffset, int mc,
                            int nc, int kc, float[] c, int co, int crs, int ccs, boolean accumulate, float[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int width = Math.min(NR, nc - jr);
            int bi = bOffset + jr / NR * bStride;
            for (int ir = 0; ir < mc; ir += MR) {
                int height = Math.min(MR, mc - ir);
                int ai = aOffset + ir / MR * aStride;
                int ci = co + ir * crs + jr * ccs;
                if (ccs == 1 && width == NR && height == MR) {
                    MicroKernel.tile(kc, packedA, ai, packedB, bi, c, ci, crs, accumulate);
                } else {
                    MicroKernel.tile(kc, packedA, ai, packedB, bi, tile, 0, NR, false);
                    mergeTile(tile, height, width, c, ci, crs, ccs, accumulate);
                }
            }
        }
    }

    /** Writes the valid corner of a full tile computed aside, for edges and strided outputs. */
    static void mergeTile(float[] tile, int height, int width, float[] c, int ci, int crs, int ccs, boolean accumulate) {
        for (int i = 0; i < height; i++) {
            for (int j = 0; j < width; j++) {
                int at = ci + i * crs + j * ccs;
                float v = tile[i * NR + j];
                c[at] = accumulate ? c[at] + v : v;
            }
        }
    }

    /** Storage offsets of every matrix in the batch, for a, b and out, in row-major batch order. */
    private static int[][] batchOffsets(int[] shape, Tensor a, Tensor b, Tensor out, int batch) {
        int dims = shape.length - 2;
        int[][] offsets = new int[3][batch];
        Tensor[] ts = {a, b, out};
        int[] index = new int[dims];
        int[] at = {a.offset(), b.offset(), out.offset()};
        for (int t = 0; t < batch; t++) {
            for (int s = 0; s < 3; s++) {
                offsets[s][t] = at[s];
            }
            // Odometer step over the batch dimensions, updating each operand's offset by its stride.
            for (int d = dims - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    for (int s = 0; s < 3; s++) {
                        at[s] += ts[s].stride(d);
                    }
                    break;
                }
                index[d] = 0;
                for (int s = 0; s < 3; s++) {
                    at[s] -= (shape[d] - 1) * ts[s].stride(d);
                }
            }
        }
        return offsets;
    }

    /** One thread's packing buffers, kept for the next product. */
    private static final class Workspace {
        final ScratchArray packedA = new ScratchArray();
        final ScratchArray packedB = new ScratchArray();
        /** The calling thread's operand packed whole and shared with the workers for one product. */
        final ScratchArray shared = new ScratchArray();
        final float[] tile = new float[MR * NR];
    }
}
