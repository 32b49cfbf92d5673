package io.tutti.opencl;

import io.tutti.tensor.DType;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One device's OpenCL context and its single in-order command queue, the cache of built programs
 * and kernels, and buffer allocation. Every kernel runs on that queue, so commands execute in the
 * order they were issued and a blocking read sees every earlier write without explicit events.
 *
 * <p>Programs are built once per (kernel file, build options) and kept for the life of the
 * context; kernel arguments are set and the kernel enqueued under this object's lock, because an
 * OpenCL kernel object holds its arguments and must not be shared by two threads at once.
 */
final class OpenClContext {
    private static final String RESOURCES = "/io/tutti/opencl/";

    final DeviceInfo info;
    private final String label;
    private final cl_context context;
    private final cl_command_queue queue;
    private final Map<String, cl_program> programs = new HashMap<>();
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private final AtomicLong liveBytes = new AtomicLong();
    private final String common;

    @SuppressWarnings("deprecation")   // clCreateCommandQueue: the only queue call OpenCL 1.2 devices know
    OpenClContext(DeviceInfo info) {
        this.info = info;
        this.label = info.deviceName();
        this.common = resource("common.cl");
        try {
            cl_context_properties props = new cl_context_properties();
            props.addProperty(CL.CL_CONTEXT_PLATFORM, info.platform);
            this.context = CL.clCreateContext(props, 1, new cl_device_id[] {info.id}, null, null, null);
            this.queue = CL.clCreateCommandQueue(context, info.id, 0, null);
        } catch (CLException e) {
            throw error("creating a context on " + info.name, e);
        }
        // Drain the queue before the JVM exits: a command still running in the driver's threads
        // (PoCL builds a kernel's work-group function when the command first runs) while the native
        // libraries are torn down has aborted the process after the program itself had finished.
        Runtime.getRuntime().addShutdownHook(new Thread(this::drainAtExit, "tutti-opencl-drain"));
    }

    private void drainAtExit() {
        try {
            CL.clFinish(queue);
        } catch (CLException e) {
            // The process is exiting; there is nobody left to tell.
        }
    }

    // ------------------------------------------------------------------ buffers

    /** A zero-filled buffer of {@code bytes} bytes ({@code null} for zero bytes). */
    cl_mem allocate(String op, long bytes) {
        if (bytes == 0) {
            return null;
        }
        checkAllocation(op, bytes);
        try {
            cl_mem mem = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, bytes, null, null);
            CL.clEnqueueFillBuffer(queue, mem, Pointer.to(new int[] {0}), Sizeof.cl_int, 0, bytes, 0, null, null);
            liveBytes.addAndGet(bytes);
            return mem;
        } catch (CLException e) {
            throw error(op + ": allocating " + mib(bytes), e);
        }
    }

    /** A buffer holding a copy of {@code host} ({@code null} for zero bytes). */
    cl_mem upload(String op, Pointer host, long bytes) {
        if (bytes == 0) {
            return null;
        }
        checkAllocation(op, bytes);
        try {
            cl_mem mem = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE | CL.CL_MEM_COPY_HOST_PTR, bytes, host, null);
            liveBytes.addAndGet(bytes);
            return mem;
        } catch (CLException e) {
            throw error(op + ": copying " + mib(bytes) + " to the device", e);
        }
    }

    /** Blocking read of {@code bytes} bytes into {@code host}; returns once every earlier command is done. */
    void download(String op, cl_mem mem, Pointer host, long bytes) {
        if (bytes == 0) {
            return;
        }
        try {
            CL.clEnqueueReadBuffer(queue, mem, CL.CL_TRUE, 0, bytes, host, 0, null, null);
        } catch (CLException e) {
            throw error(op + ": reading " + mib(bytes) + " back from the device", e);
        }
    }

    void copyBuffer(String op, cl_mem src, long srcByte, cl_mem dst, long dstByte, long bytes) {
        try {
            CL.clEnqueueCopyBuffer(queue, src, dst, srcByte, dstByte, bytes, 0, null, null);
        } catch (CLException e) {
            throw error(op, e);
        }
    }

    /** Waits for every queued command. */
    void finish() {
        try {
            CL.clFinish(queue);
        } catch (CLException e) {
            throw error("finish", e);
        }
    }

    void released(long bytes) {
        liveBytes.addAndGet(-bytes);
    }

    /** Bytes of device memory held by storage that has not been released. */
    long liveBytes() {
        return liveBytes.get();
    }

    private void checkAllocation(String op, long bytes) {
        if (bytes > info.maxAllocBytes) {
            throw new OutOfDeviceMemoryException(label + " " + op + ": a buffer of " + mib(bytes) + " exceeds the device's largest "
                    + "single allocation of " + mib(info.maxAllocBytes) + " (" + info.name + ", " + mib(info.globalMemBytes)
                    + " in all)", CL.CL_INVALID_BUFFER_SIZE, null);
        }
    }

    // ------------------------------------------------------------------ programs and kernels

    /** Options naming the OpenCL types for one dtype: T, T4, ACC, F, and flags, as the kernel files expect. */
    String typeOptions(String op, DType dtype) {
        boolean fp64 = info.fp64;
        switch (dtype) {
            case FLOAT32:
                return "-DT=float -DT4=float4 -DACC=float -DF=float -DF_IS_DOUBLE=0 -DIS_INT=0 -DIS_FLOAT=1";
            case FLOAT64:
                requireFp64(op);
                return "-DT=double -DT4=double4 -DACC=double -DF=double -DF_IS_DOUBLE=1 -DIS_INT=0 -DIS_FLOAT=0";
            default:
                return "-DT=int -DT4=int4 -DACC=long " + (fp64 ? "-DF=double -DF_IS_DOUBLE=1" : "-DF=float -DF_IS_DOUBLE=0")
                        + " -DIS_INT=1 -DIS_FLOAT=0";
        }
    }

    /** The OpenCL C spelling of a dtype. */
    static String clType(DType dtype) {
        switch (dtype) {
            case FLOAT32: return "float";
            case FLOAT64: return "double";
            default: return "int";
        }
    }

    void requireFp64(String op) {
        if (!info.fp64) {
            throw new UnsupportedOperationException(label + " " + op + ": float64 needs the cl_khr_fp64 extension, which "
                    + info.name + " lacks; use float32 on this device");
        }
    }

    /** The kernel {@code name} from {@code file} built with {@code options}; built on first use. */
    synchronized cl_kernel kernel(String file, String options, String name) {
        String key = file + ' ' + options + ' ' + name;
        cl_kernel k = kernels.get(key);
        if (k == null) {
            try {
                k = CL.clCreateKernel(program(file, options), name, null);
            } catch (CLException e) {
                throw error("creating kernel " + name + " from " + file, e);
            }
            kernels.put(key, k);
        }
        return k;
    }

    private cl_program program(String file, String options) {
        String key = file + ' ' + options;
        cl_program p = programs.get(key);
        if (p != null) {
            return p;
        }
        p = createProgram(file);
        try {
            CL.clBuildProgram(p, 1, new cl_device_id[] {info.id}, options, null, null);
        } catch (CLException first) {
            String log = buildLog(p);
            if (!failedOnTemporaryFile(log)) {
                throw buildFailure(file, options, first, log);
            }
            // PoCL's kernel cache occasionally loses a temporary file to a race (seen once in CI-like
            // runs: "unable to rename temporary ... No such file or directory"); the same build then
            // succeeds. Other failures are the kernel's own and are reported at once.
            CL.clReleaseProgram(p);
            p = createProgram(file);
            try {
                CL.clBuildProgram(p, 1, new cl_device_id[] {info.id}, options, null, null);
            } catch (CLException second) {
                throw buildFailure(file, options, second, buildLog(p));
            }
        }
        programs.put(key, p);
        return p;
    }

    private cl_program createProgram(String file) {
        try {
            return CL.clCreateProgramWithSource(context, 2, new String[] {common, resource(file)}, null, null);
        } catch (CLException e) {
            throw error("loading " + file, e);
        }
    }

    private OpenClException buildFailure(String file, String options, CLException e, String log) {
        return new OpenClException(label + ": building " + file + " with options '" + options + "' failed ("
                + CL.stringFor_errorCode(e.getStatus()) + ") on " + info.name + "; build log:\n" + log, e.getStatus(), e);
    }

    /** Whether a build log shows the compiler losing a temporary file, not an error in the kernel. */
    static boolean failedOnTemporaryFile(String buildLog) {
        return buildLog.contains("unable to rename temporary") || buildLog.contains("unable to make temporary file");
    }

    private String buildLog(cl_program p) {
        try {
            long[] size = new long[1];
            CL.clGetProgramBuildInfo(p, info.id, CL.CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] log = new byte[(int) size[0]];
            CL.clGetProgramBuildInfo(p, info.id, CL.CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
            return DeviceInfo.cString(log);
        } catch (CLException e) {
            return "(no build log: " + e.getMessage() + ")";
        }
    }

    /** The work-group size limit of a built kernel on this device (register use can lower it below the device's). */
    long kernelWorkGroupSize(cl_kernel kernel) {
        long[] size = new long[1];
        CL.clGetKernelWorkGroupInfo(kernel, info.id, CL.CL_KERNEL_WORK_GROUP_SIZE, Sizeof.size_t, Pointer.to(size), null);
        return size[0];
    }

    static String resource(String file) {
        try (InputStream in = OpenClContext.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException("opencl: kernel source " + RESOURCES + file + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("opencl: reading kernel source " + file, e);
        }
    }

    // ------------------------------------------------------------------ launching

    /** Starts a kernel call: add arguments in order, then {@link Launch#run}. */
    Launch launch(String what, cl_kernel kernel) {
        return new Launch(what, kernel);
    }

    /** The arguments of one kernel call, set and enqueued together under the context's lock. */
    final class Launch {
        private final String what;
        private final cl_kernel kernel;
        private final List<Long> sizes = new ArrayList<>();
        private final List<Pointer> values = new ArrayList<>();

        private Launch(String what, cl_kernel kernel) {
            this.what = what;
            this.kernel = kernel;
        }

        Launch arg(int v) {
            return add(Sizeof.cl_int, Pointer.to(new int[] {v}));
        }

        Launch arg(long v) {
            return add(Sizeof.cl_long, Pointer.to(new long[] {v}));
        }

        Launch arg(Walk w) {
            return add((long) Sizeof.cl_int * Walk.INTS, Pointer.to(w.packed()));
        }

        Launch arg(cl_mem mem) {
            return add(Sizeof.cl_mem, mem == null ? null : Pointer.to(mem));
        }

        /** A floating scalar argument of the kernel's real type: float, or double when {@code dtype} is FLOAT64. */
        Launch real(DType dtype, double v) {
            return dtype == DType.FLOAT64 ? add(Sizeof.cl_double, Pointer.to(new double[] {v}))
                    : add(Sizeof.cl_float, Pointer.to(new float[] {(float) v}));
        }

        /** A scalar of the element type {@code dtype}, converted as {@code CpuStorage.set} would. */
        Launch value(DType dtype, double v) {
            return dtype == DType.INT32 ? arg((int) v) : real(dtype, v);
        }

        /** A {@code __local} buffer of {@code bytes} bytes. */
        Launch local(long bytes) {
            return add(bytes, null);
        }

        private Launch add(long size, Pointer value) {
            sizes.add(size);
            values.add(value);
            return this;
        }

        /** Runs over {@code n} work-items in one dimension, the work-group size left to the driver. */
        void run(long n) {
            run(new long[] {n}, null);
        }

        void run(long[] global, long[] local) {
            synchronized (OpenClContext.this) {
                try {
                    for (int i = 0; i < sizes.size(); i++) {
                        CL.clSetKernelArg(kernel, i, sizes.get(i), values.get(i));
                    }
                    CL.clEnqueueNDRangeKernel(queue, kernel, global.length, null, global, local, 0, null, null);
                } catch (CLException e) {
                    throw error(what, e);
                }
            }
        }
    }

    // ------------------------------------------------------------------ errors

    /** Turns a driver error into an exception naming the device and the operation. */
    OpenClException error(String what, CLException e) {
        return error(label, info, what, e.getStatus(), e);
    }

    static OpenClException error(String label, DeviceInfo info, String what, int status, Throwable cause) {
        String code = CL.stringFor_errorCode(status);
        if (status == CL.CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL.CL_OUT_OF_RESOURCES
                || status == CL.CL_OUT_OF_HOST_MEMORY || status == CL.CL_INVALID_BUFFER_SIZE) {
            String where = info == null ? "" : " (" + info.name + ", " + mib(info.globalMemBytes) + " global memory, largest buffer "
                    + mib(info.maxAllocBytes) + ")";
            return new OutOfDeviceMemoryException(label + " " + what + ": out of device memory (" + code + ")" + where
                    + "; close() storage you no longer need or use smaller batches", status, cause);
        }
        return new OpenClException(label + " " + what + ": " + code, status, cause);
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
