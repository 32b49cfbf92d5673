package io.tutti.opencl;

/**
 * An OpenCL failure with the device and the operation named: a kernel that did not build (the
 * message carries the compiler's build log), a call the driver rejected, or no usable platform.
 * {@link #status()} is the OpenCL error code when there is one (see {@code org.jocl.CL}).
 */
public class OpenClException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public OpenClException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public OpenClException(String message) {
        this(message, 0, null);
    }

    /** The OpenCL status code ({@code CL_...}, negative), or 0 when the failure was not a driver error. */
    public int status() {
        return status;
    }
}
