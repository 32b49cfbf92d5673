package io.tutti.tensor;

import java.util.Arrays;

/** Broadcasting, dtype promotion and output allocation around the backend's elementwise primitives. */
final class Elementwise {
    private Elementwise() {
    }

    static Tensor unary(String name, UnaryOp op, Tensor x) {
        Tensor in = x;
        if (in.dtype() == DType.INT32 && !op.acceptsIntegers()) {
            in = in.to(DType.FLOAT32);
        }
        Tensor out = Tensor.zeros(in.dtype(), in.device(), in.shape());
        in.backend().unary(op, in, out);
        return out;
    }

    static void unaryInPlace(UnaryOp op, Tensor x) {
        checkWritable(op.name().toLowerCase(java.util.Locale.ROOT) + "InPlace", x);
        if (x.dtype() == DType.INT32 && !op.acceptsIntegers()) {
            throw new IllegalArgumentException(op + "InPlace: needs a floating tensor, got int32");
        }
        x.backend().unary(op, x, x);
    }

    static Tensor binary(String name, BinaryOp op, Tensor a, Tensor b) {
        checkDevices(name, a, b);
        DType dt = DType.promote(a.dtype(), b.dtype());
        if (op == BinaryOp.DIV && dt == DType.INT32) {
            dt = DType.FLOAT32;
        }
        int[] shape = Shapes.broadcast(name, a.shape(), b.shape());
        Tensor out = Tensor.zeros(dt, a.device(), shape);
        a.backend().binary(op, a.to(dt).expand(shape), b.to(dt).expand(shape), out);
        return out;
    }

    static void binaryInPlace(String name, BinaryOp op, Tensor target, Tensor other) {
        checkDevices(name, target, other);
        checkWritable(name, target);
        if (op == BinaryOp.DIV && target.dtype() == DType.INT32) {
            throw new IllegalArgumentException(name + ": true division cannot be stored in an int32 tensor");
        }
        int[] shape = broadcastTarget(name, other.shape(), target.shape());
        target.backend().binary(op, target, other.to(target.dtype()).expand(shape), target);
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b) {
        checkDevices("where", cond, a);
        checkDevices("where", a, b);
        DType dt = DType.promote(a.dtype(), b.dtype());
        int[] shape = Shapes.broadcast("where", Shapes.broadcast("where", cond.shape(), a.shape()), b.shape());
        Tensor out = Tensor.zeros(dt, a.device(), shape);
        a.backend().where(cond.expand(shape), a.to(dt).expand(shape), b.to(dt).expand(shape), out);
        return out;
    }

    /** Checks that {@code source} broadcasts to exactly {@code target} (an in-place result cannot grow). */
    static int[] broadcastTarget(String name, int[] source, int[] target) {
        int[] b = Shapes.broadcast(name, source, target);
        if (!Arrays.equals(b, target)) {
            throw new IllegalArgumentException(name + ": shape " + Arrays.toString(source) + " does not broadcast to the target shape "
                    + Arrays.toString(target));
        }
        return target;
    }

    static void checkWritable(String name, Tensor t) {
        if (t.hasOverlap()) {
            throw new IllegalArgumentException(name + ": cannot write into an expanded view of shape " + Arrays.toString(t.shape())
                    + " whose elements share memory; call contiguous() first");
        }
    }

    static void checkDevices(String name, Tensor a, Tensor b) {
        if (!a.device().equals(b.device())) {
            throw new IllegalArgumentException(name + ": tensors are on different devices (" + a.device() + " and " + b.device() + ")");
        }
    }
}
