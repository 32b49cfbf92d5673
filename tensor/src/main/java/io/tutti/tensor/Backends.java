package io.tutti.tensor;

import io.tutti.tensor.reference.ReferenceBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/**
 * Finds and chooses backends. The CPU backend is the SIMD one when the JVM has the
 * {@code jdk.incubator.vector} module and the reference one otherwise (said once on standard
 * error); {@code TUTTI_BACKEND=reference|simd} forces a choice, and {@link #use} overrides it for
 * the current thread inside a try-with-resources block, which is how tests compare backends.
 */
public final class Backends {
    private static final Backend REFERENCE = new ReferenceBackend();
    private static final ThreadLocal<Backend> OVERRIDE = new ThreadLocal<>();
    private static volatile Backend defaultCpu;
    private static volatile Backend simd;
    private static volatile boolean simdProbed;

    private Backends() {
    }

    /** The plain-loop backend every other backend is tested against. */
    public static Backend reference() {
        return REFERENCE;
    }

    /**
     * The Vector API backend, or {@code null} when this JVM was started without
     * {@code --add-modules jdk.incubator.vector}.
     */
    public static Backend simd() {
        if (!simdProbed) {
            synchronized (Backends.class) {
                if (!simdProbed) {
                    simd = loadSimd();
                    simdProbed = true;
                }
            }
        }
        return simd;
    }

    /** The backend that runs CPU tensor operations on this thread. */
    public static Backend cpu() {
        Backend b = OVERRIDE.get();
        if (b != null) {
            return b;
        }
        b = defaultCpu;
        if (b == null) {
            b = chooseDefault();
        }
        return b;
    }

    /** Makes {@code backend} this thread's CPU backend until the returned scope is closed. */
    public static Scope use(Backend backend) {
        Backend previous = OVERRIDE.get();
        OVERRIDE.set(backend);
        return () -> {
            if (previous == null) {
                OVERRIDE.remove();
            } else {
                OVERRIDE.set(previous);
            }
        };
    }

    /** Every CPU backend this JVM can run: reference always, simd when available. */
    public static List<Backend> cpuBackends() {
        List<Backend> all = new ArrayList<>();
        all.add(REFERENCE);
        if (simd() != null) {
            all.add(simd());
        }
        return all;
    }

    /** Devices offered by {@link DeviceProvider}s on the class path (OpenCL, for example). */
    public static List<Device> devices() {
        List<Device> all = new ArrayList<>();
        all.add(Device.CPU);
        for (DeviceProvider p : ServiceLoader.load(DeviceProvider.class)) {
            all.addAll(p.devices());
        }
        return all;
    }

    /** The device whose name is {@code name} ({@code "cpu"}, or a provider's device name). */
    public static Device device(String name) {
        List<Device> all = devices();
        for (Device d : all) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        List<String> names = new ArrayList<>();
        all.forEach(d -> names.add(d.name()));
        throw new IllegalArgumentException("device: no device named '" + name + "'; available: " + names);
    }

    private static synchronized Backend chooseDefault() {
        if (defaultCpu != null) {
            return defaultCpu;
        }
        String forced = System.getenv("TUTTI_BACKEND");
        Backend chosen;
        if (forced != null && !forced.isBlank()) {
            switch (forced.trim().toLowerCase(Locale.ROOT)) {
                case "reference": chosen = REFERENCE; break;
                case "simd":
                    chosen = simd();
                    if (chosen == null) {
                        throw new IllegalStateException("TUTTI_BACKEND=simd but this JVM lacks jdk.incubator.vector; "
                                + "start it with --add-modules jdk.incubator.vector");
                    }
                    break;
                default:
                    throw new IllegalStateException("TUTTI_BACKEND: unknown backend '" + forced + "' (reference or simd)");
            }
        } else {
            chosen = simd();
            if (chosen == null) {
                System.err.println("tutti: the Vector API (module jdk.incubator.vector) is not available in this JVM; "
                        + "using the reference backend, which is much slower. "
                        + "Start Java with --add-modules jdk.incubator.vector to use the SIMD backend.");
                chosen = REFERENCE;
            }
        }
        defaultCpu = chosen;
        return chosen;
    }

    private static Backend loadSimd() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            // Loaded by name so that no class touching the Vector API is resolved when the module is absent.
            Class<?> c = Class.forName("io.tutti.tensor.simd.SimdBackend");
            return (Backend) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            System.err.println("tutti: could not start the SIMD backend (" + e + "); using the reference backend");
            return null;
        }
    }

    /** A backend override that ends when closed. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
