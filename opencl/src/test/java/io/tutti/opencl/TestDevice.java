package io.tutti.opencl;

import io.tutti.tensor.Device;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The OpenCL device the tests run on ({@link OpenCl#defaultDevice()}, so {@code TUTTI_OPENCL_DEVICE}
 * picks it). Without a device the calling test is skipped with the reason, unless
 * {@code TUTTI_REQUIRE_OPENCL=1} is set (as in CI), where a missing device is a failure.
 */
final class TestDevice {
    static final String REQUIRE_ENV = "TUTTI_REQUIRE_OPENCL";

    private TestDevice() {
    }

    static Device get() {
        if (!OpenCl.isAvailable()) {
            String reason = OpenCl.unavailableReason();
            if ("1".equals(System.getenv(REQUIRE_ENV))) {
                fail(REQUIRE_ENV + "=1 but there is no OpenCL device: " + reason);
            }
            assumeTrue(false, "OpenCL tests skipped, no device: " + reason + " (set " + REQUIRE_ENV + "=1 to make this a failure)");
        }
        return OpenCl.defaultDevice();
    }

    static OpenClBackend backend() {
        return (OpenClBackend) get().backend();
    }
}
