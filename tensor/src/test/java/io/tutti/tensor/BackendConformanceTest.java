package io.tutti.tensor;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static io.tutti.tensor.TensorAssertions.assertClose;

/**
 * Runs every tensor operation on every CPU backend, over awkward shapes (size 1, odd, empty) and
 * memory layouts (permuted, strided, broadcast), and checks each result against the reference
 * backend on contiguous inputs. This is what makes "the reference is the truth" enforceable.
 */
class BackendConformanceTest {
    private static final int[][] SHAPES = {{}, {1}, {7}, {0}, {3, 5}, {1, 9}, {4, 1}, {2, 3, 17}, {2, 0, 3}, {3, 1, 2, 33}};

    private record Case(String name, Function<Tensor, Tensor> op, boolean positiveInput) {
    }

    private static List<Case> unaryCases() {
        List<Case> cases = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.RSQRT;
            cases.add(new Case(op.name(), x -> x.unary(op), positive));
        }
        cases.add(new Case("softmax(-1)", x -> x.dim() == 0 ? x.softmax(0) : x.softmax(-1), false));
        cases.add(new Case("logSoftmax(0)", x -> x.logSoftmax(0), false));
        cases.add(new Case("sum(all)", Tensor::sum, false));
        cases.add(new Case("sum(0)", x -> x.dim() == 0 ? x.sum() : x.sum(0, false), false));
        cases.add(new Case("sum(-1,keep)", x -> x.dim() == 0 ? x.sum() : x.sum(-1, true), false));
        cases.add(new Case("mean(0,-1)", x -> x.dim() < 2 ? x.mean() : x.mean(new int[] {0, -1}, false), false));
        cases.add(new Case("max(-1)", x -> x.numel() == 0 ? x.sum() : x.dim() == 0 ? x.max() : x.max(-1, false), false));
        cases.add(new Case("min(0)", x -> x.numel() == 0 ? x.sum() : x.dim() == 0 ? x.min() : x.min(0, false), false));
        cases.add(new Case("prod(-1)", x -> x.dim() == 0 ? x : x.prod(new int[] {-1}, false), false));
        cases.add(new Case("argmax(-1)", x -> x.numel() == 0 ? x.sum() : x.dim() == 0 ? x.argmax() : x.argmax(-1, false), false));
        cases.add(new Case("argmin(0)", x -> x.numel() == 0 ? x.sum() : x.dim() == 0 ? x.argmin() : x.argmin(0, true), false));
        cases.add(new Case("var(-1)", x -> x.dim() == 0 ? x : x.var(new int[] {-1}, 0, false), false));
        cases.add(new Case("copy", Tensor::copy, false));
        cases.add(new Case("to(float64)", x -> x.to(DType.FLOAT64), false));
        cases.add(new Case("to(int32)", x -> x.mul(10).to(DType.INT32), false));
        cases.add(new Case("add scalar", x -> x.add(1.5), false));
        cases.add(new Case("mul self", x -> x.mul(x), false));
        cases.add(new Case("pow 3", x -> x.pow(3), false));
        cases.add(new Case("clamp", x -> x.clamp(-0.5, 0.25), false));
        cases.add(new Case("gt 0", x -> x.gt(0), false));
        cases.add(new Case("where", x -> Tensor.where(x.gt(0), x, x.neg().mul(2)), false));
        return cases;
    }

    private static Tensor input(int[] shape, boolean positive, long seed) {
        Tensor x = new Generator(seed).normal(0, 1, DType.FLOAT64, shape);
        return positive ? x.abs().add(0.1) : x;
    }

    private static Tensor reference(Function<Tensor, Tensor> op, Tensor x) {
        try (Backends.Scope s = Backends.use(Backends.reference())) {
            return op.apply(x);
        }
    }

    @TestFactory
    List<DynamicTest> unaryAndReductionOpsMatchReference() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Backend backend : Backends.cpuBackends()) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (Case c : unaryCases()) {
                    tests.add(DynamicTest.dynamicTest(backend.name() + " " + dtype + " " + c.name(), () -> {
                        for (int[] shape : SHAPES) {
                            Tensor x = input(shape, c.positiveInput(), shape.length * 31L + 7).to(dtype);
                            Tensor expected = reference(c.op(), x);
                            for (Tensor layout : Layouts.of(x)) {
                                Tensor actual;
                                try (Backends.Scope s = Backends.use(backend)) {
                                    actual = c.op().apply(layout);
                                }
                                assertClose(c.name() + " on " + Arrays.toString(shape) + " strides " + Arrays.toString(layout.strides()),
                                        expected, actual, dtype);
                            }
                        }
                    }));
                }
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> binaryOpsBroadcastOnEveryBackend() {
        int[][][] pairs = {{{3, 5}, {3, 5}}, {{3, 5}, {5}}, {{3, 1}, {1, 4}}, {{2, 3, 17}, {3, 1}}, {{}, {4, 2}},
            {{0, 3}, {3}}, {{1}, {7}}, {{2, 1, 33}, {2, 6, 33}}};
        List<DynamicTest> tests = new ArrayList<>();
        for (Backend backend : Backends.cpuBackends()) {
            for (BinaryOp op : BinaryOp.values()) {
                tests.add(DynamicTest.dynamicTest(backend.name() + " " + op, () -> {
                    for (int[][] pair : pairs) {
                        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                            Tensor a = input(pair[0], op == BinaryOp.POW, 11).to(dtype);
                            Tensor b = input(pair[1], false, 12).to(dtype);
                            if (op.isComparison()) {
                                b = b.mul(0).add(a.numel() > 0 && b.numel() > 0 ? 0.1 : 0);   // ties and crossings
                            }
                            Tensor bb = b;
                            Function<Tensor, Tensor> f = x -> Elementwise.binary(op.name(), op, x, bb);
                            Tensor expected = reference(f, a);
                            for (Tensor la : Layouts.of(a)) {
                                for (Tensor lb : Layouts.of(b)) {
                                    Tensor actual;
                                    try (Backends.Scope s = Backends.use(backend)) {
                                        actual = Elementwise.binary(op.name(), op, la, lb);
                                    }
                                    assertClose(op + " " + Arrays.toString(pair[0]) + " x " + Arrays.toString(pair[1]), expected, actual, dtype);
                                }
                            }
                        }
                    }
                }));
            }
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> matmulAndIndexingOnEveryBackend() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Backend backend : Backends.cpuBackends()) {
            tests.add(DynamicTest.dynamicTest(backend.name() + " matmul layouts", () -> {
                int[][] mkn = {{1, 1, 1}, {3, 5, 2}, {17, 33, 9}, {4, 0, 3}, {0, 3, 2}, {65, 70, 67}};
                for (int[] d : mkn) {
                    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                        Tensor a = input(new int[] {2, d[0], d[1]}, false, 3).to(dtype);
                        Tensor b = input(new int[] {d[1], d[2]}, false, 4).to(dtype);
                        Tensor expected = reference(x -> x.matmul(b), a);
                        for (Tensor la : Layouts.of(a)) {
                            for (Tensor lb : Layouts.of(b)) {
                                Tensor actual;
                                try (Backends.Scope s = Backends.use(backend)) {
                                    actual = la.matmul(lb);
                                }
                                assertClose("matmul " + Arrays.toString(d), expected, actual, dtype);
                            }
                        }
                    }
                }
            }));
            tests.add(DynamicTest.dynamicTest(backend.name() + " gather/scatter/index", () -> {
                Tensor x = input(new int[] {4, 6}, false, 5);
                Tensor idx = Tensor.of(new int[] {5, 0, 3, 3, 1, 2, 0, 0}, 4, 2);
                Tensor sel = Tensor.of(new int[] {3, 0, 3}, 3);
                Function<Tensor, Tensor> f = t -> Tensor.cat(1,
                        t.gather(1, idx),
                        t.indexSelect(0, sel).pad(new int[] {0, 0, 0, 1}, 0).narrow(1, 0, 2),
                        t.indexSelect(1, sel),
                        t.zerosLike().scatterAdd(1, idx, t.narrow(1, 0, 2)),
                        t.zerosLike().indexAdd(0, Tensor.of(new int[] {1, 1, 2, 0}, 4), t));
                Tensor expected = reference(f, x);
                for (Tensor layout : Layouts.of(x)) {
                    Tensor actual;
                    try (Backends.Scope s = Backends.use(backend)) {
                        actual = f.apply(layout);
                    }
                    assertClose("indexing", expected, actual, DType.FLOAT64);
                }
            }));
        }
        return tests;
    }
}
