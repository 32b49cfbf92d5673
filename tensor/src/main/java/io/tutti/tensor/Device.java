package io.tutti.tensor;

import java.util.Objects;

/**
 * Where a tensor's storage lives. {@link #CPU} is always present and is served by the current CPU
 * backend (see {@link Backends#cpu()}); other devices (an OpenCL GPU, say) come from backends found
 * through {@link java.util.ServiceLoader}.
 */
public final class Device {
    /** The host: Java heap arrays. */
    public static final Device CPU = new Device("cpu", null);

    private final String name;
    private final Backend backend;

    /**
     * A non-CPU device served by one backend. Backend providers create these; users pick them
     * through {@link Backends#device(String)}.
     */
    public Device(String name, Backend backend) {
        this.name = Objects.requireNonNull(name, "name");
        this.backend = backend;
    }

    public String name() {
        return name;
    }

    public boolean isCpu() {
        return this == CPU;
    }

    /** The backend that runs operations on tensors of this device. */
    public Backend backend() {
        return backend == null ? Backends.cpu() : backend;
    }

    @Override
    public String toString() {
        return name;
    }
}
