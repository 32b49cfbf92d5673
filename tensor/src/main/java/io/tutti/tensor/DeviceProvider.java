package io.tutti.tensor;

import java.util.List;

/**
 * A {@link java.util.ServiceLoader} service through which modules such as {@code opencl} offer
 * devices. Register an implementation in {@code META-INF/services/io.tutti.tensor.DeviceProvider}.
 */
public interface DeviceProvider {
    /** The devices this provider can run on now; empty when none is present. */
    List<Device> devices();
}
