package io.tutti.opencl;

import io.tutti.tensor.Device;
import io.tutti.tensor.DeviceProvider;

import java.util.List;

/**
 * Offers the OpenCL devices to {@link io.tutti.tensor.Backends#devices()} through
 * {@link java.util.ServiceLoader}; an empty list when the machine has no OpenCL platform.
 */
public final class OpenClDeviceProvider implements DeviceProvider {
    @Override
    public List<Device> devices() {
        return OpenCl.devices();
    }
}
