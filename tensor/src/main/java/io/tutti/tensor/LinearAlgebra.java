package io.tutti.tensor;

import java.util.Arrays;

/** {@code torch.matmul}'s shape rules around the backend's batched matmul primitive. */
final class LinearAlgebra {
    private LinearAlgebra() {
    }

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, got shapes "
                    + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape()));
        }
        Elementwise.checkDevices("matmul", a, b);
        boolean vecA = a.dim() == 1;
        boolean vecB = b.dim() == 1;
        Tensor a2 = vecA ? a.unsqueeze(0) : a;
        Tensor b2 = vecB ? b.unsqueeze(1) : b;
        int m = a2.shape(-2);
        int k = a2.shape(-1);
        int k2 = b2.shape(-2);
        int n = b2.shape(-1);
        if (k != k2) {
            throw new IllegalArgumentException("matmul: shapes " + Arrays.toString(a.shape()) + " and " + Arrays.toString(b.shape())
                    + " do not match: " + k + " != " + k2);
        }
        int[] batchA = Arrays.copyOf(a2.shape(), a2.dim() - 2);
        int[] batchB = Arrays.copyOf(b2.shape(), b2.dim() - 2);
        int[] batch = Shapes.broadcast("matmul", batchA, batchB);
        DType dt = DType.promote(a.dtype(), b.dtype());
        if (b2.dim() == 2 && a2.dim() > 2) {
            // One matrix against a batch of them (a linear layer over [batch, seq, features]): stack the
            // batch's rows into one product, so B is packed once instead of once per matrix.
            int count = m;
            for (int size : batchA) {
                count *= size;
            }
            Tensor rows = a2.to(dt).reshape(count, k);
            Tensor flat = Tensor.zeros(dt, a.device(), count, n);
            a.backend().matmul(rows, b2.to(dt), flat);
            Tensor out = flat.reshape(concat(batchA, m, n));
            return vecB ? out.squeeze(-1) : out;
        }
        int[] aShape = concat(batch, m, k);
        int[] bShape = concat(batch, k, n);
        Tensor out = Tensor.zeros(dt, a.device(), concat(batch, m, n));
        a.backend().matmul(a2.to(dt).expand(aShape), b2.to(dt).expand(bShape), out);
        if (vecA) {
            out = out.squeeze(-2);
        }
        if (vecB) {
            out = out.squeeze(-1);
        }
        return out;
    }

    private static int[] concat(int[] batch, int r, int c) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = r;
        s[batch.length + 1] = c;
        return s;
    }
}
