package io.tutti.opencl;

import io.tutti.tensor.TensorAssertions;
import io.tutti.tensor.Backends;
import io.tutti.tensor.DType;
import io.tutti.tensor.Device;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The device's Philox streams against the CPU's: same seed and offset, same numbers. */
class OpenClRandomTest {
    private static final long[][] SEEDS_AND_OFFSETS = {{0, 0}, {42, 17}, {-7, (1L << 32) - 3}, {Long.MAX_VALUE, 123_456_789_012L}};

    @Test
    void uniformMatchesTheCpuBitForBit() {
        Device device = TestDevice.get();
        for (DType dtype : floatTypes(device)) {
            for (long[] so : SEEDS_AND_OFFSETS) {
                for (double[] range : new double[][] {{0, 1}, {-3, 5}, {2, 2}}) {
                    Tensor expected = Tensor.zeros(dtype, 1001);
                    Backends.reference().randomUniform(expected, so[0], so[1], range[0], range[1]);
                    Tensor actual = Tensor.zeros(dtype, device, 1001);
                    device.backend().randomUniform(actual, so[0], so[1], range[0], range[1]);
                    if (supportsFloat64(device)) {
                        assertThat(actual.toDoubleArray()).as(dtype + " seed " + so[0]).containsExactly(expected.toDoubleArray());
                    } else {
                        TensorAssertions.assertClose("uniform", expected, actual, 1e-6);
                    }
                }
            }
        }
    }

    @Test
    void normalMatchesTheCpuToRounding() {
        Device device = TestDevice.get();
        for (DType dtype : floatTypes(device)) {
            for (long[] so : SEEDS_AND_OFFSETS) {
                Tensor expected = Tensor.zeros(dtype, 999);
                Backends.reference().randomNormal(expected, so[0], so[1], 0.5, 2);
                Tensor actual = Tensor.zeros(dtype, device, 999);
                device.backend().randomNormal(actual, so[0], so[1], 0.5, 2);
                // The device's log and cos may differ from Java's in the last bit or two of a double.
                TensorAssertions.assertClose("normal " + dtype + " seed " + so[0], expected, actual, dtype == DType.FLOAT64 ? 1e-13 : 3e-7);
            }
        }
    }

    @Test
    void drawsIntoAViewAtAnOffsetTouchOnlyTheView() {
        Device device = TestDevice.get();
        Tensor big = Tensor.full(-1, DType.FLOAT32, 30).to(device);
        device.backend().randomUniform(big.narrow(0, 10, 10), 5, 0, 0, 1);
        Tensor expected = Tensor.zeros(DType.FLOAT32, 10);
        Backends.reference().randomUniform(expected, 5, 0, 0, 1);
        float[] all = big.toFloatArray();
        for (int i = 0; i < 30; i++) {
            if (i < 10 || i >= 20) {
                assertThat(all[i]).isEqualTo(-1f);
            }
        }
        TensorAssertions.assertClose("view", expected, big.narrow(0, 10, 10), 1e-6);
    }

    @Test
    void integerTensorsAreRefused() {
        Device device = TestDevice.get();
        Tensor t = Tensor.zeros(DType.INT32, device, 3);
        assertThatThrownBy(() -> device.backend().randomNormal(t, 1, 0, 0, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("floating");
    }

    private static boolean supportsFloat64(Device device) {
        return ((OpenClBackend) device.backend()).supportsFloat64();
    }

    private static DType[] floatTypes(Device device) {
        return supportsFloat64(device) ? new DType[] {DType.FLOAT32, DType.FLOAT64} : new DType[] {DType.FLOAT32};
    }
}
