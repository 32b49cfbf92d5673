package io.tutti.opencl;

import io.tutti.tensor.Layouts;
import io.tutti.tensor.Backends;
import io.tutti.tensor.BinaryOp;
import io.tutti.tensor.DType;
import io.tutti.tensor.Device;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;
import io.tutti.tensor.UnaryOp;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

import static io.tutti.tensor.TensorAssertions.assertClose;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every tensor operation on the OpenCL device, over awkward shapes (scalar, size 1, odd, empty) and
 * layouts built on the device (permuted, strided at an offset, broadcast), checked against the
 * reference backend on the CPU. The same table as the tensor module's conformance test, plus int32.
 */
class OpenClConformanceTest {
    private static final int[][] SHAPES = {{}, {1}, {7}, {0}, {3, 5}, {1, 9}, {4, 1}, {2, 3, 17}, {2, 0, 3}, {3, 1, 2, 33}};

    private record Case(String name, Function<Tensor, Tensor> op, boolean positiveInput) {
    }

    private static List<Case> floatCases() {
        List<Case> cases = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT;
            cases.add(new Case(op.name(), x -> x.unary(op), positive));
        }
        cases.add(new Case("softmax(-1)", x -> x.dim() == 0 ? x.softmax(0) : x.softmax(-1), false));
        cases.add(new Case("logSoftmax(0)", x -> x.logSoftmax(0), false));
        cases.add(new Case("logsumexp(-1)", x -> x.dim() == 0 ? x : x.logsumexp(new int[] {-1}, false), false));
        cases.add(new Case("sum(all)", Tensor::sum, false));
        cases.add(new Case("sum(0)", x -> x.dim() == 0 ? x.sum() : x.sum(0, false), false));
        cases.add(new Case("sum(-1,keep)", x -> x.dim() == 0 ? x.sum() : x.sum(-1, true), false));
        cases.add(new Case("mean(0,-1)", x -> x.dim() < 2 ? x.mean() : x.mean(new int[] {0, -1}, false), false));
        cases.add(new Case("max(-1)", x -> x.numel() == 0 ? x.sum() : x.dim() == 0 ? x.max() : x.max(-1, false), false));
        cases.add(new Case("min(0)", x -> x.numel() == 0 ? x.sum() : x.dim() == 0 ? x.min() : x.min(0, false), false));
        cases.add(new Case("max(all)", x -> x.numel() == 0 ? x.sum() : x.max(), false));
        cases.add(new Case("prod(-1)", x -> x.dim() == 0 ? x : x.prod(new int[] {-1}, false), false));
        cases.add(new Case("argmax(-1)", x -> x.numel() == 0 ? x.sum() : x.dim() == 0 ? x.argmax() : x.argmax(-1, false), false));
        cases.add(new Case("argmin(0)", x -> x.numel() == 0 ? x.sum() : x.dim() == 0 ? x.argmin() : x.argmin(0, true), false));
        cases.add(new Case("var(-1)", x -> x.dim() == 0 ? x : x.var(new int[] {-1}, 0, false), false));
        cases.add(new Case("norm", x -> x.norm(), false));
        cases.add(new Case("copy", Tensor::copy, false));
        cases.add(new Case("to(float64)", x -> x.to(DType.FLOAT64), false));
        cases.add(new Case("to(float32)", x -> x.to(DType.FLOAT32), false));
        cases.add(new Case("to(int32)", x -> x.mul(10).to(DType.INT32), false));
        cases.add(new Case("add scalar", x -> x.add(1.5), false));
        cases.add(new Case("mul self", x -> x.mul(x), false));
        cases.add(new Case("pow 3", x -> x.pow(3), false));
        cases.add(new Case("clamp", x -> x.clamp(-0.5, 0.25), false));
        cases.add(new Case("gt 0", x -> x.gt(0), false));
        cases.add(new Case("where", x -> Tensor.where(x.gt(0), x, x.neg().mul(2)), false));
        cases.add(new Case("where(int cond)", x -> Tensor.where(x.gt(0).to(DType.INT32), x, x.mul(3)), false));
        cases.add(new Case("maskedFill", x -> x.maskedFill(x.lt(-0.5), -7), false));
        cases.add(new Case("pad", x -> x.dim() == 0 ? x : x.pad(new int[] {1, 2}, 0.5), false));
        cases.add(new Case("cat", x -> x.dim() == 0 ? x : Tensor.cat(x.dim() - 1, x, x.mul(2), x.narrow(x.dim() - 1, 0, 0)), false));
        cases.add(new Case("stack", x -> Tensor.stack(0, x, x.neg()), false));
        cases.add(new Case("matmul self^T", x -> x.dim() < 2 ? x : x.matmul(x.mT()), false));
        return cases;
    }

    /** int32 inputs: the ops that keep integers (and a few that convert). */
    private static List<Case> intCases() {
        List<Case> cases = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            if (op.acceptsIntegers()) {
                cases.add(new Case(op.name(), x -> x.unary(op), false));
            }
        }
        cases.add(new Case("exp (converts)", Tensor::exp, false));
        cases.add(new Case("sum(all)", Tensor::sum, false));
        cases.add(new Case("sum(-1)", x -> x.dim() == 0 ? x : x.sum(-1, false), false));
        cases.add(new Case("prod(-1)", x -> x.dim() == 0 ? x : x.prod(new int[] {-1}, false), false));
        cases.add(new Case("max(0)", x -> x.numel() == 0 ? x : x.dim() == 0 ? x.max() : x.max(0, false), false));
        cases.add(new Case("argmin(-1)", x -> x.numel() == 0 ? x : x.dim() == 0 ? x.argmin() : x.argmin(-1, false), false));
        cases.add(new Case("to(float32)", x -> x.to(DType.FLOAT32), false));
        cases.add(new Case("add", x -> x.add(x), false));
        cases.add(new Case("mul 7", x -> x.mul(x.scalarLike(7)), false));
        cases.add(new Case("pow 2", x -> x.pow(x.scalarLike(2)), false));
        cases.add(new Case("pow -1", x -> x.pow(x.scalarLike(-1)), false));
        cases.add(new Case("div (true)", x -> x.div(x.scalarLike(3)), false));
        cases.add(new Case("maximum", x -> x.maximum(x.neg()), false));
        cases.add(new Case("ge", x -> x.ge(x.scalarLike(1)), false));
        cases.add(new Case("matmul self^T", x -> x.dim() < 2 ? x : x.matmul(x.mT()), false));
        return cases;
    }

    private static Tensor input(int[] shape, boolean positive, long seed, DType dtype) {
        Tensor x = new Generator(seed).normal(0, 1, DType.FLOAT64, shape);
        if (dtype == DType.INT32) {
            return x.mul(5).to(DType.INT32);
        }
        return (positive ? x.abs().add(0.1) : x).to(dtype);
    }

    static Tensor reference(Function<Tensor, Tensor> op, Tensor x) {
        try (var s = Backends.use(Backends.reference())) {
            return op.apply(x);
        }
    }

    private static List<DType> dtypes(Device device) {
        return ((OpenClBackend) device.backend()).supportsFloat64() ? List.of(DType.FLOAT32, DType.FLOAT64) : List.of(DType.FLOAT32);
    }

    @TestFactory
    List<DynamicTest> unaryReductionAndCompositeOpsMatchReference() {
        Device device = TestDevice.get();
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dtype : dtypes(device)) {
            for (Case c : floatCases()) {
                tests.add(DynamicTest.dynamicTest(dtype + " " + c.name(), () -> checkOnShapes(device, c, dtype)));
            }
        }
        for (Case c : intCases()) {
            tests.add(DynamicTest.dynamicTest("INT32 " + c.name(), () -> checkOnShapes(device, c, DType.INT32)));
        }
        return tests;
    }

    private static void checkOnShapes(Device device, Case c, DType dtype) {
        for (int[] shape : SHAPES) {
            Tensor x = input(shape, c.positiveInput(), shape.length * 31L + 7, dtype);
            Tensor expected = reference(c.op(), x);
            for (Tensor layout : Layouts.of(x, device)) {
                Tensor actual = c.op().apply(layout);
                assertThat(actual.device()).as(c.name() + " result device").isSameAs(device);
                assertClose(c.name() + " on " + Arrays.toString(shape) + " strides " + Arrays.toString(layout.strides()),
                        expected, actual, dtype);
            }
        }
    }

    @TestFactory
    List<DynamicTest> binaryOpsBroadcast() {
        Device device = TestDevice.get();
        int[][][] pairs = {{{3, 5}, {3, 5}}, {{3, 5}, {5}}, {{3, 1}, {1, 4}}, {{2, 3, 17}, {3, 1}}, {{}, {4, 2}},
            {{0, 3}, {3}}, {{1}, {7}}, {{2, 1, 33}, {2, 6, 33}}};
        List<DType> types = new ArrayList<>(dtypes(device));
        types.add(DType.INT32);
        List<DynamicTest> tests = new ArrayList<>();
        for (BinaryOp op : BinaryOp.values()) {
            tests.add(DynamicTest.dynamicTest(op.name(), () -> {
                for (int[][] pair : pairs) {
                    for (DType dtype : types) {
                        if (dtype == DType.INT32 && op == BinaryOp.DIV) {
                            continue;   // int division promotes to float32, covered by the float runs
                        }
                        Tensor a = input(pair[0], op == BinaryOp.POW && dtype != DType.INT32, 11, dtype);
                        Tensor b = input(pair[1], false, 12, dtype);
                        if (op == BinaryOp.POW && dtype == DType.INT32) {
                            b = b.abs().minimum(b.scalarLike(3)).sub(b.scalarLike(1));   // exponents -1..2
                        } else if (op.isComparison()) {
                            b = b.mul(0).add(a.numel() > 0 && b.numel() > 0 ? (dtype == DType.INT32 ? 1 : 0.1) : 0);
                        }
                        Tensor bb = b;
                        BiFunction<Tensor, Tensor, Tensor> f = (x, y) -> binary(op, x, y);
                        Tensor expected = reference(x -> f.apply(x, bb), a);
                        for (Tensor la : Layouts.of(a, device)) {
                            for (Tensor lb : Layouts.of(b, device)) {
                                assertClose(op + " " + dtype + " " + Arrays.toString(pair[0]) + " x " + Arrays.toString(pair[1]),
                                        expected, f.apply(la, lb), dtype);
                            }
                        }
                    }
                }
            }));
        }
        return tests;
    }

    /** The public method behind each binary op. */
    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        switch (op) {
            case ADD: return a.add(b);
            case SUB: return a.sub(b);
            case MUL: return a.mul(b);
            case DIV: return a.div(b);
            case POW: return a.pow(b);
            case MAXIMUM: return a.maximum(b);
            case MINIMUM: return a.minimum(b);
            case EQ: return a.eq(b);
            case NE: return a.ne(b);
            case LT: return a.lt(b);
            case LE: return a.le(b);
            case GT: return a.gt(b);
            default: return a.ge(b);
        }
    }

    @TestFactory
    List<DynamicTest> matmulAndIndexing() {
        Device device = TestDevice.get();
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("matmul layouts", () -> {
            int[][] mkn = {{1, 1, 1}, {3, 5, 2}, {17, 33, 9}, {4, 0, 3}, {0, 3, 2}, {65, 70, 67}, {64, 32, 64}};
            List<DType> types = new ArrayList<>(dtypes(device));
            types.add(DType.INT32);
            for (int[] d : mkn) {
                for (DType dtype : types) {
                    Tensor a = input(new int[] {2, d[0], d[1]}, false, 3, dtype);
                    Tensor b = input(new int[] {d[1], d[2]}, false, 4, dtype);
                    Tensor expected = reference(x -> x.matmul(b), a);
                    for (Tensor la : Layouts.of(a, device)) {
                        for (Tensor lb : Layouts.of(b, device)) {
                            assertClose("matmul " + dtype + " " + Arrays.toString(d), expected, la.matmul(lb), dtype);
                        }
                    }
                }
            }
        }));
        tests.add(DynamicTest.dynamicTest("matmul batch broadcasting and vectors", () -> {
            for (DType dtype : dtypes(device)) {
                Tensor a = input(new int[] {3, 1, 20, 24}, false, 8, dtype);
                Tensor b = input(new int[] {4, 24, 36}, false, 9, dtype);
                Tensor v = input(new int[] {24}, false, 10, dtype);
                Tensor ad = a.to(device);
                Tensor bd = b.to(device);
                Tensor vd = v.to(device);
                assertClose("batch broadcast", reference(x -> x.matmul(b), a), ad.matmul(bd), dtype);
                assertClose("matrix x vector", reference(x -> x.matmul(v), a), ad.matmul(vd), dtype);
                assertClose("vector x matrix", reference(x -> v.matmul(x), b), vd.matmul(bd), dtype);
                assertClose("transposed both", reference(x -> x.mT().matmul(a.mT()), b.narrow(0, 0, 1)),
                        bd.narrow(0, 0, 1).mT().matmul(ad.mT()), dtype);
            }
        }));
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32, DType.INT32}) {
            if (dtype == DType.FLOAT64 && !dtypes(device).contains(dtype)) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(dtype + " gather/scatter/index", () -> {
                Tensor x = input(new int[] {4, 6}, false, 5, dtype);
                Tensor idx = Tensor.of(new int[] {5, 0, 3, 3, 1, 2, 0, 0}, 4, 2);
                Tensor sel = Tensor.of(new int[] {3, 0, 3}, 3);
                Tensor add = Tensor.of(new int[] {1, 1, 2, 0}, 4);
                Function<Tensor, Tensor> f = t -> {
                    Tensor i = idx.to(t.device());
                    Tensor s = sel.to(t.device());
                    return Tensor.cat(1,
                            t.gather(1, i),
                            t.indexSelect(0, s).pad(new int[] {0, 0, 0, 1}, 0).narrow(1, 0, 2),
                            t.indexSelect(1, s),
                            t.zerosLike().scatterAdd(1, i, t.narrow(1, 0, 2)),
                            t.zerosLike().indexAdd(0, add.to(t.device()), t),
                            t.gather(0, i.narrow(1, 1, 1)));   // a non-contiguous index
                };
                Tensor expected = reference(f, x);
                for (Tensor layout : Layouts.of(x, device)) {
                    assertClose("indexing", expected, f.apply(layout), dtype);
                }
            }));
        }
        return tests;
    }
}
