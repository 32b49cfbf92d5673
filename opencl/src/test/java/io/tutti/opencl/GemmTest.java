package io.tutti.opencl;

import io.tutti.tensor.TensorAssertions;
import io.tutti.tensor.DType;
import io.tutti.tensor.Device;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tiled GEMM kernel in every candidate configuration, on shapes that divide the tiles (the
 * vector-load path), ragged shapes (the bounds-checked path) and transposed operands, against the
 * reference backend.
 */
class GemmTest {
    private static final int[][] MKN = {{64, 64, 64}, {128, 32, 64}, {16, 16, 16}, {33, 47, 29}, {100, 3, 70}, {1, 300, 64}};

    @Test
    void theChosenTilesFitTheDevice() {
        OpenClBackend backend = TestDevice.backend();
        Gemm.Tiles tiles = backend.gemm().tiles(DType.FLOAT32);
        DeviceInfo info = OpenCl.info(Integer.parseInt(backend.name().substring("opencl:".length())));
        if (tiles != null) {
            assertThat((long) tiles.threads()).isLessThanOrEqualTo(info.maxWorkGroupSize);
            assertThat(tiles.localBytes(DType.FLOAT32)).isLessThanOrEqualTo(info.localMemBytes);
        }
    }

    @TestFactory
    List<DynamicTest> everyTileConfigurationMatchesTheReference() {
        OpenClBackend backend = TestDevice.backend();
        Device device = backend.device();
        List<DType> types = backend.supportsFloat64() ? List.of(DType.FLOAT32, DType.FLOAT64) : List.of(DType.FLOAT32);
        List<DynamicTest> tests = new ArrayList<>();
        for (Gemm.Tiles tiles : Gemm.CANDIDATES) {
            tests.add(DynamicTest.dynamicTest(tiles.toString(), () -> {
                Gemm gemm = backend.gemm();
                gemm.override = tiles;
                try {
                    for (DType dtype : types) {
                        for (int[] d : MKN) {
                            Tensor a = new Generator(d[0]).normal(0, 1, dtype, 2, d[0], d[1]);
                            Tensor b = new Generator(d[2]).normal(0, 1, dtype, d[1], d[2]);
                            Tensor expected = OpenClConformanceTest.reference(x -> x.matmul(b), a);
                            String what = tiles + " " + dtype + " " + Arrays.toString(d);
                            Tensor ad = a.to(device);
                            Tensor bd = b.to(device);
                            TensorAssertions.assertClose(what, expected, ad.matmul(bd), dtype);
                            Tensor at = a.mT().contiguous().to(device).mT();   // column-major storage
                            Tensor bt = b.t().contiguous().to(device).t();
                            TensorAssertions.assertClose(what + " transposed", expected, at.matmul(bt), dtype);
                        }
                    }
                } finally {
                    gemm.override = null;
                }
            }));
        }
        return tests;
    }
}
