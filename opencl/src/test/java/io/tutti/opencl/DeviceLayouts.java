package io.tutti.opencl;

import io.tutti.tensor.DType;
import io.tutti.tensor.Device;
import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The same logical tensor on a device in several memory layouts (contiguous, permuted, strided at
 * an offset), built on the device itself so the kernels see real views. Mirrors the tensor
 * module's test helper of the same purpose.
 */
final class DeviceLayouts {
    private DeviceLayouts() {
    }

    /** {@code t} (any device) moved to {@code device} and laid out in every way this class knows. */
    static List<Tensor> of(Tensor t, Device device) {
        Tensor d = t.to(device);
        List<Tensor> all = new ArrayList<>();
        all.add(d);
        all.add(permuted(d));
        all.add(strided(d));
        return all;
    }

    /** Same values, stored with dimensions reversed and viewed back. */
    static Tensor permuted(Tensor t) {
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
    static Tensor strided(Tensor t) {
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
