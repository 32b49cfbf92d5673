package io.tutti.tensor.simd;

import io.tutti.tensor.DType;
import io.tutti.tensor.Tensor;
import io.tutti.tensor.reference.ReferenceBackend;

/**
 * The fast CPU backend: float32 kernels on the Vector API, spread over a shared thread pool. Any
 * case it has no kernel for (other dtypes, unusual layouts) falls through to the reference loops it
 * extends, so it is always complete and always correct.
 */
public class SimdBackend extends ReferenceBackend {
    @Override
    public String name() {
        return "simd";
    }

    @Override
    public void matmul(Tensor a, Tensor b, Tensor out) {
        if (a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32 && out.dtype() == DType.FLOAT32) {
            Gemm.matmul(a, b, out);
        } else {
            super.matmul(a, b, out);
        }
    }
}
