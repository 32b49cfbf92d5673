package io.tutti.multimodal.data;

/** The three parts of a data set. Model selection uses {@link #VALIDATION}; {@link #TEST} is only reported. */
public enum Split {
    TRAIN(0), VALIDATION(1), TEST(2);

    private final int code;

    Split(int code) {
        this.code = code;
    }

    /** The integer used for this split in stored {@code split} tensors (0 train, 1 validation, 2 test). */
    public int code() {
        return code;
    }

    public static Split ofCode(int code) {
        for (Split s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("split: code " + code + " is not 0 (train), 1 (validation) or 2 (test)");
    }
}
