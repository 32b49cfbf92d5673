package io.tutti.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the same logical tensor in several memory layouts (contiguous, permuted, strided at a
 * non-zero offset), so that tests can check that an op's result does not depend on layout and that
 * backends read strides correctly. The views are built on the tensor's own device, so a device
 * backend's kernels see real device views. Shared with other modules' tests through tensor's test-jar.
 */
public final class Layouts {
    private Layouts() {
    }

    /** The values of {@code t}, laid out in every way this class knows, on {@code t}'s device. */
    public static List<Tensor> of(Tensor t) {
        List<Tensor> all = new ArrayList<>();
        all.add(t.contiguous());
        all.add(permuted(t));
        all.add(strided(t));
        return all;
    }

    /** {@code t} moved to {@code device}, in every layout. */
    public static List<Tensor> of(Tensor t, Device device) {
        return of(t.to(device));
    }

    /** Same values, stored with dimensions reversed and viewed back: a non-contiguous view. */
    public static Tensor permuted(Tensor t) {
        int r = t.dim();
        if (r < 2) {
            return strided(t);
        }
        int[] rev = new int[r];
        for (int i = 0; i < r; i++) {
            rev[i] = r - 1 - i;
        }
        return t.permute(rev).contiguous().permute(rev);
    }

    /** Same values, every other element of a larger tensor filled with junk, at a non-zero offset. */
    public static Tensor strided(Tensor t) {
        int r = t.dim();
        if (r == 0) {
            return t.reshape(1).pad(new int[] {1, 0}, 7).narrow(0, 1, 1).reshape();
        }
        int[] bigShape = t.shape();
        bigShape[r - 1] = 2 * bigShape[r - 1] + 1;
        double junk = t.dtype() == DType.INT32 ? -12345 : Double.NaN;
        Tensor big = Tensor.full(junk, t.dtype(), bigShape).to(t.device());
        Tensor view = big.slice(r - 1, 1, bigShape[r - 1], 2);
        view.copyFrom(t);
        return view;
    }
}
