package io.tutti.tensor;

/**
 * The geometry of a window sliding over the last two dimensions of a tensor, shared by convolution
 * (through {@link Convolution#unfold2d unfold}) and pooling: kernel size, stride, zero padding on
 * both sides, and dilation (the gap between kernel taps), each given for height and width.
 * One-dimensional operations use a height of 1 with no stride, padding or dilation along it.
 *
 * <p>A window position {@code (oh, ow)} covers the padded input at rows
 * {@code oh * strideH + ki * dilationH} and columns {@code ow * strideW + kj * dilationW}, for
 * {@code ki < kernelH} and {@code kj < kernelW}; the number of positions is PyTorch's
 * {@code floor((size + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1}.
 */
public record Window2d(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW, int dilationH,
                       int dilationW) {

    /** Checks that kernel, stride and dilation are positive and padding is non-negative. */
    public Window2d {
        if (kernelH <= 0 || kernelW <= 0 || strideH <= 0 || strideW <= 0 || dilationH <= 0 || dilationW <= 0
                || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("window: kernel " + kernelH + "x" + kernelW + ", stride " + strideH + "x" + strideW
                    + " and dilation " + dilationH + "x" + dilationW + " must be positive and padding " + padH + "x" + padW
                    + " non-negative");
        }
    }

    /** A window from (height, width) pairs, as PyTorch's {@code _pair} arguments. */
    public static Window2d of(int[] kernel, int[] stride, int[] padding, int[] dilation) {
        return new Window2d(kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]);
    }

    /** Number of kernel taps, {@code kernelH * kernelW}. */
    public int taps() {
        return kernelH * kernelW;
    }

    /** Extent of the dilated kernel along the height: {@code dilationH * (kernelH - 1) + 1}. */
    public int spanH() {
        return dilationH * (kernelH - 1) + 1;
    }

    /** Extent of the dilated kernel along the width. */
    public int spanW() {
        return dilationW * (kernelW - 1) + 1;
    }

    /** Window positions along the height for an unpadded input of {@code height} rows (may be zero or negative when the kernel does not fit). */
    public int outputHeight(int height) {
        return Math.floorDiv(height + 2 * padH - spanH(), strideH) + 1;
    }

    /** Window positions along the width for an unpadded input of {@code width} columns. */
    public int outputWidth(int width) {
        return Math.floorDiv(width + 2 * padW - spanW(), strideW) + 1;
    }

    @Override
    public String toString() {
        return "kernel [" + kernelH + ", " + kernelW + "], stride [" + strideH + ", " + strideW + "], padding [" + padH + ", "
                + padW + "], dilation [" + dilationH + ", " + dilationW + "]";
    }
}
