package io.tutti.opencl;

import io.tutti.tensor.Device;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Finds the OpenCL devices of this machine and picks one. Every device gets one {@link Device}
 * named {@code opencl:<n>}, numbered over all platforms in the order the ICD loader lists them;
 * the same objects are returned for the life of the JVM, so tensors compare devices by identity.
 *
 * <p>{@link #device(String)} accepts a selector, which is also what {@code TUTTI_OPENCL_DEVICE}
 * holds:
 * <ul>
 *   <li>{@code 2} or {@code opencl:2}: the device with that number;</li>
 *   <li>{@code gpu}, {@code cpu}, {@code accelerator}, optionally {@code :k}: the k-th (from 0)
 *       device of that type;</li>
 *   <li>any other word, optionally {@code :k}: the k-th device of the first platform whose name
 *       contains the word, ignoring case ({@code nvidia}, {@code pocl:0}, {@code intel:1}).</li>
 * </ul>
 * Without a selector ({@link #defaultDevice()}), the first GPU wins, then the first accelerator,
 * then whatever comes first.
 *
 * <p>When no OpenCL library or platform is present, {@link #devices()} is empty and
 * {@link #unavailableReason()} says why; nothing throws until a device is asked for.
 */
public final class OpenCl {
    /** The environment variable holding a device selector for {@link #defaultDevice()}. */
    public static final String DEVICE_ENV = "TUTTI_OPENCL_DEVICE";

    private static volatile Discovery discovery;

    private OpenCl() {
    }

    /** Every OpenCL device found, in number order; empty when there is no platform. */
    public static List<Device> devices() {
        return discovery().devices;
    }

    /** Whether at least one device was found. */
    public static boolean isAvailable() {
        return !devices().isEmpty();
    }

    /** Why no device is available ({@code null} when one is). */
    public static String unavailableReason() {
        return discovery().reason;
    }

    /** One line per device: number, platform, name, type, version, memory. */
    public static String describe() {
        Discovery d = discovery();
        if (d.infos.isEmpty()) {
            return "no OpenCL device: " + d.reason;
        }
        StringBuilder sb = new StringBuilder();
        for (DeviceInfo info : d.infos) {
            sb.append(info).append('\n');
        }
        return sb.toString();
    }

    /** The device chosen by {@code TUTTI_OPENCL_DEVICE}, or by the default preference when it is unset. */
    public static Device defaultDevice() {
        String selector = System.getenv(DEVICE_ENV);
        if (selector != null && !selector.isBlank()) {
            try {
                return device(selector);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(DEVICE_ENV + "=" + selector + ": " + e.getMessage(), e);
            }
        }
        List<DeviceInfo> infos = requireDevices();
        for (String type : new String[] {"gpu", "accelerator"}) {
            for (DeviceInfo info : infos) {
                if (info.typeName().equals(type)) {
                    return discovery().devices.get(info.index);
                }
            }
        }
        return discovery().devices.get(0);
    }

    /** The device a selector names (see the class comment). */
    public static Device device(String selector) {
        List<DeviceInfo> infos = requireDevices();
        String s = selector.trim().toLowerCase(Locale.ROOT);
        if (s.startsWith("opencl:")) {
            s = s.substring("opencl:".length());
        }
        String word = s;
        int k = 0;
        int colon = s.lastIndexOf(':');
        if (colon >= 0) {
            word = s.substring(0, colon);
            k = parseIndex(selector, s.substring(colon + 1));
        }
        List<DeviceInfo> matches = new ArrayList<>();
        if (colon < 0 && !word.isEmpty() && word.chars().allMatch(Character::isDigit)) {
            int n = parseIndex(selector, word);
            if (n < infos.size()) {
                matches.add(infos.get(n));
            }
        } else if (word.equals("gpu") || word.equals("cpu") || word.equals("accelerator")) {
            for (DeviceInfo info : infos) {
                if (info.typeName().equals(word)) {
                    matches.add(info);
                }
            }
        } else {
            for (DeviceInfo info : infos) {
                if (info.platformName.toLowerCase(Locale.ROOT).contains(word)
                        && (matches.isEmpty() || matches.get(0).platformIndex == info.platformIndex)) {
                    matches.add(info);
                }
            }
        }
        if (k >= matches.size()) {
            throw new IllegalArgumentException("opencl: no device matches '" + selector + "'; devices:\n" + describe());
        }
        return discovery().devices.get(matches.get(k).index);
    }

    /** Lists the devices (run with {@code java -cp ... io.tutti.opencl.OpenCl}). */
    public static void main(String[] args) {
        System.out.print(describe());
    }

    static DeviceInfo info(int index) {
        return discovery().infos.get(index);
    }

    private static int parseIndex(String selector, String digits) {
        try {
            int k = Integer.parseInt(digits);
            if (k >= 0) {
                return k;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("opencl: bad device selector '" + selector
                + "' (expected N, gpu|cpu|accelerator[:k] or <platform>[:k])");
    }

    private static List<DeviceInfo> requireDevices() {
        Discovery d = discovery();
        if (d.infos.isEmpty()) {
            throw new OpenClException("opencl: no OpenCL device: " + d.reason);
        }
        return d.infos;
    }

    private static Discovery discovery() {
        Discovery d = discovery;
        if (d == null) {
            synchronized (OpenCl.class) {
                d = discovery;
                if (d == null) {
                    d = Discovery.run();
                    discovery = d;
                }
            }
        }
        return d;
    }

    /** The result of asking the ICD loader for platforms and devices, once. */
    private static final class Discovery {
        final List<DeviceInfo> infos;
        final List<Device> devices;
        final String reason;

        private Discovery(List<DeviceInfo> infos, String reason) {
            this.infos = Collections.unmodifiableList(infos);
            List<Device> ds = new ArrayList<>();
            for (DeviceInfo info : infos) {
                ds.add(new OpenClBackend(info).device());
            }
            this.devices = Collections.unmodifiableList(ds);
            this.reason = reason;
        }

        static Discovery run() {
            List<DeviceInfo> infos = new ArrayList<>();
            try {
                CL.setExceptionsEnabled(true);
                int[] count = new int[1];
                CL.clGetPlatformIDs(0, null, count);
                cl_platform_id[] platforms = new cl_platform_id[count[0]];
                CL.clGetPlatformIDs(platforms.length, platforms, null);
                for (int p = 0; p < platforms.length; p++) {
                    cl_device_id[] ids = devicesOf(platforms[p]);
                    for (int k = 0; k < ids.length; k++) {
                        infos.add(new DeviceInfo(infos.size(), platforms[p], p, k, ids[k]));
                    }
                }
            } catch (CLException e) {
                String why = e.getStatus() == CL.CL_PLATFORM_NOT_FOUND_KHR
                        ? "no OpenCL platform is installed (on Debian/Ubuntu: apt-get install pocl-opencl-icd ocl-icd-libopencl1)"
                        : "listing OpenCL platforms failed: " + e.getMessage();
                return new Discovery(List.of(), why);
            } catch (LinkageError e) {
                return new Discovery(List.of(), "the OpenCL library could not be loaded (" + e
                        + "); install an ICD loader such as ocl-icd-libopencl1 and a driver such as pocl-opencl-icd");
            }
            if (infos.isEmpty()) {
                return new Discovery(infos, "OpenCL platforms are installed but offer no device");
            }
            return new Discovery(infos, null);
        }

        private static cl_device_id[] devicesOf(cl_platform_id platform) {
            try {
                int[] count = new int[1];
                CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, 0, null, count);
                cl_device_id[] ids = new cl_device_id[count[0]];
                CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, ids.length, ids, null);
                return ids;
            } catch (CLException e) {
                return new cl_device_id[0];   // a platform without devices (CL_DEVICE_NOT_FOUND)
            }
        }
    }
}
