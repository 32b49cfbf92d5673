package io.tutti.tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The composite unfold (im2col) and fold (col2im) that {@link Backend#unfold2d} and
 * {@link Backend#fold2d} default to, written over two primitives so they run on every backend:
 * unfold pads the input and picks every window element with one {@code indexSelect} through a
 * precomputed int32 index map; fold is its exact adjoint, an {@code indexAdd} through the same map
 * into a zero padded tensor, then a crop.
 *
 * <p>Index maps depend only on the padded plane size and the window, and a network evaluates the
 * same few geometries over and over, so they are kept in a small least-recently-used cache.
 */
final class Im2col {
    private static final int CACHE_ENTRIES = 32;
    /** Maps larger than this (ints) are rebuilt per call rather than pinned in memory. */
    private static final int MAX_CACHED_MAP = 1 << 22;

    private record Key(int paddedH, int paddedW, Window2d window, Device device) {
    }

    private static final Map<Key, Tensor> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Tensor> eldest) {
            return size() > CACHE_ENTRIES;
        }
    };

    private Im2col() {
    }

    /** {@code x [N, C, H, W]} to {@code [N, C * kH * kW, L]}; the caller has checked the shapes. */
    static Tensor unfold(Tensor x, Window2d w) {
        int n = x.shape(0);
        int c = x.shape(1);
        int hp = x.shape(2) + 2 * w.padH();
        int wp = x.shape(3) + 2 * w.padW();
        int positions = w.outputHeight(x.shape(2)) * w.outputWidth(x.shape(3));
        Tensor padded = w.padH() == 0 && w.padW() == 0 ? x : x.pad(new int[] {w.padW(), w.padW(), w.padH(), w.padH()}, 0);
        Tensor cols = padded.reshape(n, c, hp * wp).indexSelect(2, indexMap(hp, wp, w, x.device()));
        return cols.reshape(n, c * w.taps(), positions);
    }

    /** {@code cols [N, C * kH * kW, L]} to {@code [N, C, height, width]}, summing where windows overlap. */
    static Tensor fold(Tensor cols, int height, int width, Window2d w) {
        int n = cols.shape(0);
        int c = cols.shape(1) / w.taps();
        int hp = height + 2 * w.padH();
        int wp = width + 2 * w.padW();
        Tensor padded = cols.newZeros(n, c, hp * wp);
        Indexing.indexAddInPlace(padded, 2, indexMap(hp, wp, w, cols.device()), cols.reshape(n, c, -1));
        Tensor plane = padded.reshape(n, c, hp, wp);
        if (w.padH() == 0 && w.padW() == 0) {
            return plane;
        }
        return plane.narrow(2, w.padH(), height).narrow(3, w.padW(), width).contiguous();
    }

    /**
     * For tap {@code t = ki * kW + kj} and window position {@code l = oh * outW + ow}, entry
     * {@code t * L + l} is the flat offset of that element in the padded {@code hp x wp} plane. This
     * tap-major order makes the selected slices reshape straight into PyTorch's unfold layout.
     */
    private static Tensor indexMap(int hp, int wp, Window2d w, Device device) {
        // Padding is already applied, so the key drops it and padded geometries share maps.
        Window2d unpadded = new Window2d(w.kernelH(), w.kernelW(), w.strideH(), w.strideW(), 0, 0, w.dilationH(), w.dilationW());
        Key key = new Key(hp, wp, unpadded, device);
        synchronized (CACHE) {
            Tensor cached = CACHE.get(key);
            if (cached != null) {
                return cached;
            }
        }
        Tensor map = buildIndexMap(hp, wp, unpadded);
        if (!device.isCpu()) {
            map = map.to(device);
        }
        if (map.numel() <= MAX_CACHED_MAP) {
            synchronized (CACHE) {
                CACHE.put(key, map);
            }
        }
        return map;
    }

    private static Tensor buildIndexMap(int hp, int wp, Window2d w) {
        int outH = w.outputHeight(hp);
        int outW = w.outputWidth(wp);
        int positions = outH * outW;
        int[] map = new int[Shapes.numel(w.taps(), positions)];
        for (int ki = 0; ki < w.kernelH(); ki++) {
            for (int kj = 0; kj < w.kernelW(); kj++) {
                int base = (ki * w.kernelW() + kj) * positions;
                for (int oh = 0; oh < outH; oh++) {
                    int row = (oh * w.strideH() + ki * w.dilationH()) * wp;
                    for (int ow = 0; ow < outW; ow++) {
                        map[base + oh * outW + ow] = row + ow * w.strideW() + kj * w.dilationW();
                    }
                }
            }
        }
        return Tensor.of(map, map.length);
    }
}
