package io.tutti.opencl;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** What Tutti needs to know about one OpenCL device, read once at discovery. */
final class DeviceInfo {
    final int index;
    final cl_platform_id platform;
    final int platformIndex;
    final String platformName;
    final int indexInPlatform;
    final cl_device_id id;
    final String name;
    final String version;
    final long type;
    final boolean fp64;
    final int computeUnits;
    final long maxWorkGroupSize;
    final long[] maxWorkItemSizes;
    final long localMemBytes;
    final long globalMemBytes;
    final long maxAllocBytes;

    DeviceInfo(int index, cl_platform_id platform, int platformIndex, int indexInPlatform, cl_device_id id) {
        this.index = index;
        this.platform = platform;
        this.platformIndex = platformIndex;
        this.platformName = platformString(platform, CL.CL_PLATFORM_NAME);
        this.indexInPlatform = indexInPlatform;
        this.id = id;
        this.name = deviceString(id, CL.CL_DEVICE_NAME);
        this.version = deviceString(id, CL.CL_DEVICE_VERSION);
        this.type = deviceLong(id, CL.CL_DEVICE_TYPE, Sizeof.cl_ulong);
        this.fp64 = deviceString(id, CL.CL_DEVICE_EXTENSIONS).contains("cl_khr_fp64");
        this.computeUnits = (int) deviceLong(id, CL.CL_DEVICE_MAX_COMPUTE_UNITS, Sizeof.cl_uint);
        this.maxWorkGroupSize = deviceLong(id, CL.CL_DEVICE_MAX_WORK_GROUP_SIZE, Sizeof.size_t);
        int dims = (int) deviceLong(id, CL.CL_DEVICE_MAX_WORK_ITEM_DIMENSIONS, Sizeof.cl_uint);
        this.maxWorkItemSizes = new long[dims];
        CL.clGetDeviceInfo(id, CL.CL_DEVICE_MAX_WORK_ITEM_SIZES, (long) Sizeof.size_t * dims, Pointer.to(maxWorkItemSizes), null);
        this.localMemBytes = deviceLong(id, CL.CL_DEVICE_LOCAL_MEM_SIZE, Sizeof.cl_ulong);
        this.globalMemBytes = deviceLong(id, CL.CL_DEVICE_GLOBAL_MEM_SIZE, Sizeof.cl_ulong);
        this.maxAllocBytes = deviceLong(id, CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE, Sizeof.cl_ulong);
    }

    /** The Tutti device name: {@code opencl:<index over all platforms>}. */
    String deviceName() {
        return "opencl:" + index;
    }

    String typeName() {
        if ((type & CL.CL_DEVICE_TYPE_GPU) != 0) {
            return "gpu";
        } else if ((type & CL.CL_DEVICE_TYPE_ACCELERATOR) != 0) {
            return "accelerator";
        } else if ((type & CL.CL_DEVICE_TYPE_CPU) != 0) {
            return "cpu";
        }
        return "other";
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %s / %s (%s, %s, %d compute units, %d MiB%s)", deviceName(), platformName, name,
                typeName(), version, computeUnits, globalMemBytes >> 20, fp64 ? ", fp64" : "");
    }

    private static String deviceString(cl_device_id id, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(id, param, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        CL.clGetDeviceInfo(id, param, buffer.length, Pointer.to(buffer), null);
        return cString(buffer);
    }

    private static String platformString(cl_platform_id id, int param) {
        long[] size = new long[1];
        CL.clGetPlatformInfo(id, param, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        CL.clGetPlatformInfo(id, param, buffer.length, Pointer.to(buffer), null);
        return cString(buffer);
    }

    /** Reads a cl_uint, cl_ulong or size_t property (JOCL maps all of them onto a long). */
    private static long deviceLong(cl_device_id id, int param, int size) {
        if (size == Sizeof.cl_uint) {
            int[] v = new int[1];
            CL.clGetDeviceInfo(id, param, size, Pointer.to(v), null);
            return v[0] & 0xFFFFFFFFL;
        }
        long[] v = new long[1];
        CL.clGetDeviceInfo(id, param, size, Pointer.to(v), null);
        return v[0];
    }

    static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8).trim();
    }
}
