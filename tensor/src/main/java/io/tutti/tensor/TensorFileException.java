package io.tutti.tensor;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A tensor file (safetensors, {@code .npy}) that cannot be read because its content is malformed,
 * truncated or inconsistent, or holds values the in-memory dtype cannot represent. The message
 * names the format, the file and the problem; {@link #file()} gives the file.
 */
public class TensorFileException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public TensorFileException(Path file, String message) {
        super(message);
        this.file = file;
    }

    public TensorFileException(Path file, String message, Throwable cause) {
        super(message, cause);
        this.file = file;
    }

    /** The file that could not be read. */
    public Path file() {
        return file;
    }
}
