package io.tutti.opencl;

import io.tutti.tensor.Backends;
import io.tutti.tensor.DType;
import io.tutti.tensor.Device;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Discovery, device choice, transfers, storage lifetime and the error messages. */
class OpenClDeviceTest {

    @Test
    void devicesAreOfferedThroughServiceLoaderAndStable() {
        Device device = TestDevice.get();
        assertThat(Backends.devices()).contains(device);
        assertThat(Backends.device(device.name())).isSameAs(device);
        assertThat(OpenCl.devices()).isSameAs(OpenCl.devices());
        assertThat(device.name()).matches("opencl:\\d+");
        assertThat(device.backend().name()).isEqualTo(device.name());
    }

    @Test
    void onlyALostTemporaryFileMakesABuildWorthRetrying() {
        // The log PoCL gave when its kernel cache lost a temporary file under a concurrent build.
        assertThat(OpenClContext.failedOnTemporaryFile("error: <invalid loc>: unable to rename temporary "
                + "'/root/.cache/pocl/kcache/tempfile_y8n4TA.preproc-53fd57c0.cl.tmp' to output file "
                + "'/root/.cache/pocl/kcache/tempfile_y8n4TA.preproc.cl': 'No such file or directory'")).isTrue();
        assertThat(OpenClContext.failedOnTemporaryFile("<source>:3:5: error: use of undeclared identifier 'x'")).isFalse();
        assertThat(OpenClContext.failedOnTemporaryFile("")).isFalse();
    }

    @Test
    void selectorsPickByNumberTypeAndPlatform() {
        Device device = TestDevice.get();
        DeviceInfo info = OpenCl.info(Integer.parseInt(device.name().substring("opencl:".length())));
        assertThat(OpenCl.device(String.valueOf(info.index))).isSameAs(device);
        assertThat(OpenCl.device("opencl:" + info.index)).isSameAs(device);
        Device byType = OpenCl.device(info.typeName());
        assertThat(OpenCl.info(index(byType)).typeName()).isEqualTo(info.typeName());
        String platformWord = info.platformName.split(" ")[0].toUpperCase(java.util.Locale.ROOT);
        assertThat(OpenCl.info(index(OpenCl.device(platformWord + ":" + info.indexInPlatform))).platformIndex)
                .isEqualTo(info.platformIndex);
        assertThatThrownBy(() -> OpenCl.device("no-such-platform-xyz")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no device matches 'no-such-platform-xyz'").hasMessageContaining(device.name());
        assertThatThrownBy(() -> OpenCl.device("gpu:-1")).hasMessageContaining("bad device selector");
        assertThatThrownBy(() -> OpenCl.device("99999")).hasMessageContaining("no device matches");
    }

    private static int index(Device d) {
        return Integer.parseInt(d.name().substring("opencl:".length()));
    }

    @Test
    void roundTripsKeepValuesForEveryDtypeAndView() {
        Device device = TestDevice.get();
        Tensor f = new Generator(1).randn(3, 4);
        assertThat(f.to(device).to(Device.CPU).toFloatArray()).containsExactly(f.toFloatArray());
        Tensor i = Tensor.arange(12).reshape(3, 4);
        assertThat(i.to(device).toIntArray()).containsExactly(i.toIntArray());
        if (((OpenClBackend) device.backend()).supportsFloat64()) {
            Tensor d = new Generator(2).normal(0, 1, DType.FLOAT64, 5);
            assertThat(d.to(device).toDoubleArray()).containsExactly(d.toDoubleArray());
        }
        Tensor onDevice = f.to(device);
        // Views at an offset, transposed views, and empty tensors come back as their own elements.
        assertThat(onDevice.narrow(0, 1, 1).toFloatArray()).containsExactly(f.narrow(0, 1, 1).toFloatArray());
        assertThat(onDevice.t().toFloatArray()).containsExactly(f.t().toFloatArray());
        assertThat(onDevice.narrow(0, 2, 0).to(Device.CPU).shape()).containsExactly(0, 4);
        assertThat(onDevice.get(2, 3)).isEqualTo(f.get(2, 3));
        assertThat(onDevice.sum().item()).isCloseTo(f.sum().item(), org.assertj.core.data.Offset.offset(1e-5));
        assertThat(onDevice.to(device)).isSameAs(onDevice);
    }

    @Test
    void closeReleasesDeviceMemoryAndLaterUseFails() {
        OpenClBackend backend = TestDevice.backend();
        long before = backend.liveBytes();
        Tensor t = Tensor.zeros(DType.FLOAT32, backend.device(), 1000, 250);
        assertThat(backend.liveBytes() - before).isEqualTo(1000L * 250 * 4);
        OpenClStorage storage = (OpenClStorage) t.storage();
        storage.close();
        storage.close();   // idempotent
        assertThat(storage.isClosed()).isTrue();
        assertThat(backend.liveBytes()).isEqualTo(before);
        assertThatThrownBy(() -> t.add(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("released by close()");
        assertThatThrownBy(t::toFloatArray).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theCleanerReleasesDroppedStorage() throws InterruptedException {
        OpenClBackend backend = TestDevice.backend();
        long before = backend.liveBytes();
        allocateAndDrop(backend);
        assertThat(backend.liveBytes()).isGreaterThan(before);
        for (int i = 0; i < 100 && backend.liveBytes() > before; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(backend.liveBytes()).as("bytes still held after dropping the tensor and collecting").isLessThanOrEqualTo(before);
    }

    private static void allocateAndDrop(OpenClBackend backend) {
        Tensor.zeros(DType.FLOAT32, backend.device(), 4096).add(1);
    }

    @Test
    void mixingDevicesFailsWithTheOperationNamed() {
        Device device = TestDevice.get();
        Tensor onDevice = Tensor.ones(3).to(device);
        Tensor onCpu = Tensor.ones(3);
        assertThatThrownBy(() -> onDevice.add(onCpu)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different devices");
        // Paths the core does not check reach the backend, which names the op and both devices.
        assertThatThrownBy(() -> onDevice.gather(0, Tensor.of(new int[] {0, 2}, 2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gather").hasMessageContaining("cpu").hasMessageContaining(device.name());
        assertThatThrownBy(() -> device.backend().copy(onCpu, onDevice)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("copy: a tensor is on cpu");
    }

    @Test
    void tooLargeAnAllocationIsAClearOutOfMemoryError() {
        OpenClBackend backend = TestDevice.backend();
        DeviceInfo info = OpenCl.info(index(backend.device()));
        long elements = info.maxAllocBytes / 4 + 1;
        if (elements <= Integer.MAX_VALUE) {
            assertThatThrownBy(() -> backend.allocate(DType.FLOAT32, (int) elements)).isInstanceOf(OutOfDeviceMemoryException.class)
                    .hasMessageContaining("largest single allocation").hasMessageContaining(backend.name());
        }
        OpenClException e = OpenClContext.error("opencl:0", info, "matmul", org.jocl.CL.CL_MEM_OBJECT_ALLOCATION_FAILURE, null);
        assertThat(e).isInstanceOf(OutOfDeviceMemoryException.class).hasMessageContaining("out of device memory")
                .hasMessageContaining("CL_MEM_OBJECT_ALLOCATION_FAILURE").hasMessageContaining("matmul");
        assertThat(OpenClContext.error("opencl:0", info, "copy", org.jocl.CL.CL_OUT_OF_RESOURCES, null))
                .isInstanceOf(OutOfDeviceMemoryException.class);
    }

    @Test
    void aKernelThatDoesNotBuildReportsTheBuildLog() {
        OpenClBackend backend = TestDevice.backend();
        assertThatThrownBy(() -> backend.context().kernel("elementwise.cl", "-DT=no_such_type -DF=float -DIS_INT=0", "unary"))
                .isInstanceOf(OpenClException.class).hasMessageContaining("building elementwise.cl")
                .hasMessageContaining("build log").hasMessageContaining("no_such_type");
    }

    @Test
    void float64IsRefusedClearlyWithoutFp64AndWorksWithIt() {
        OpenClBackend backend = TestDevice.backend();
        if (backend.supportsFloat64()) {
            Tensor d = Tensor.of(new double[] {1e-300, 2}, 2).to(backend.device());
            assertThat(d.mul(d).toDoubleArray()).containsExactly(1e-300 * 1e-300, 4);
        } else {
            assertThatThrownBy(() -> Tensor.zeros(DType.FLOAT64, backend.device(), 2)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("cl_khr_fp64");
        }
    }

    @Test
    void describeListsEveryDevice() {
        Device device = TestDevice.get();
        assertThat(OpenCl.describe()).contains(device.name() + ": ");
        assertThat(OpenCl.unavailableReason()).isNull();
        assertThat(((OpenClBackend) device.backend()).description()).startsWith(device.name());
    }
}
