package io.tutti.opencl;

/**
 * The device could not hold a buffer: larger than its largest single allocation, or the driver
 * reported {@code CL_MEM_OBJECT_ALLOCATION_FAILURE} / {@code CL_OUT_OF_RESOURCES}. Closing tensors'
 * storage you no longer need ({@link OpenClStorage#close()}) or a smaller batch are the usual cures.
 */
public class OutOfDeviceMemoryException extends OpenClException {
    private static final long serialVersionUID = 1L;

    public OutOfDeviceMemoryException(String message, int status, Throwable cause) {
        super(message, status, cause);
    }
}
