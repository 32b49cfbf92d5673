package io.tutti.autograd;

import io.tutti.autograd.OpInfo.Sample;
import io.tutti.tensor.Backend;
import io.tutti.tensor.Backends;
import io.tutti.tensor.DType;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Drives every row of {@link OpTable} through forward, GradCheck, non-contiguous inputs and every CPU backend. */
@SuppressWarnings("try")   // scopes are opened only to be closed
class OpTableTest {
    private static final long SEED = 20240611L;

    static Stream<Named<OpInfo>> rows() {
        return OpTable.rows().stream().map(r -> Named.of(r.name(), r));
    }

    /** The samples of a row in one dtype, each followed by a variant whose inputs are non-contiguous views. */
    private static List<Sample> samples(OpInfo row, DType dtype) {
        List<Sample> result = new ArrayList<>();
        for (Sample s : row.samples().build(new Samples(dtype, SEED))) {
            result.add(s);
            List<Tensor> strided = new ArrayList<>();
            boolean changed = false;
            for (Tensor t : s.inputs()) {
                Tensor n = nonContiguous(t);
                changed |= n != t;
                strided.add(n);
            }
            if (changed) {
                result.add(new Sample(s.label() + ", non-contiguous", strided));
            }
        }
        return result;
    }

    /** The same values in a strided layout: transposed storage for matrices, every other element for vectors. */
    static Tensor nonContiguous(Tensor t) {
        if (!t.dtype().isFloating() || t.dim() == 0 || t.numel() < 2) {
            return t;
        }
        if (t.dim() >= 2) {
            Tensor transposed = t.mT().contiguous().mT();
            if (!transposed.isContiguous()) {
                return transposed;
            }
        }
        int[] shape = t.shape();
        shape[shape.length - 1] *= 2;
        Tensor r = t.newZeros(shape).slice(-1, 0, shape[shape.length - 1], 2);
        r.copyFrom(t);
        assertThat(r.isContiguous()).isFalse();
        return r;
    }

    private static List<Variable> variables(List<Tensor> inputs) {
        List<Variable> vs = new ArrayList<>();
        for (Tensor t : inputs) {
            vs.add(new Variable(t, t.dtype().isFloating()));
        }
        return vs;
    }

    private static List<Tensor> cast(List<Tensor> inputs, DType dtype) {
        List<Tensor> r = new ArrayList<>();
        for (Tensor t : inputs) {
            r.add(t.dtype().isFloating() ? t.to(dtype) : t);
        }
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void forwardMatchesTheTensorOpOnTheReferenceBackend(OpInfo row) {
        try (Backends.Scope b = Backends.use(Backends.reference())) {
            for (DType dtype : List.of(DType.FLOAT64, DType.FLOAT32)) {
                for (Sample s : samples(row, dtype)) {
                    Tensor expected = row.reference().apply(s.inputs());
                    Tensor actual = row.op().apply(variables(s.inputs())).data();
                    String what = row.name() + " " + s.label() + " " + dtype;
                    assertThat(actual.shape()).as(what).containsExactly(expected.shape());
                    assertThat(actual.dtype()).as(what).isEqualTo(expected.dtype());
                    assertClose(what, actual, expected, dtype == DType.FLOAT64 ? 1e-12 : 1e-6);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void gradCheckInFloat64(OpInfo row) {
        try (Backends.Scope b = Backends.use(Backends.reference())) {
            for (Sample s : samples(row, DType.FLOAT64)) {
                List<Variable> inputs = variables(s.inputs());
                GradCheck check = GradCheck.of(row.op()).eps(row.eps()).atol(row.atol()).rtol(row.rtol());
                try {
                    check.check(inputs);
                } catch (GradCheckError e) {
                    fail(row.name() + " " + s.label() + ": " + e.getMessage());
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void everyCpuBackendAgreesWithTheFloat64Reference(OpInfo row) {
        List<Sample> exact = samples(row, DType.FLOAT64);
        List<Sample> single = samples(row, DType.FLOAT32);
        for (int i = 0; i < exact.size(); i++) {
            Outcome truth;
            try (Backends.Scope b = Backends.use(Backends.reference())) {
                truth = run(row, exact.get(i).inputs(), null);
            }
            for (Backend backend : Backends.cpuBackends()) {
                try (Backends.Scope b = Backends.use(backend)) {
                    Outcome got = run(row, single.get(i).inputs(), truth.gradOutput.to(DType.FLOAT32));
                    String what = row.name() + " " + single.get(i).label() + " on " + backend.name();
                    assertClose(what + " forward", got.output, truth.output, 1e-5);
                    for (int k = 0; k < truth.grads.size(); k++) {
                        Tensor expected = truth.grads.get(k);
                        Tensor actual = got.grads.get(k);
                        if (expected == null) {
                            assertThat(actual).as(what + " grad " + k).isNull();
                        } else {
                            assertThat(actual).as(what + " grad " + k).isNotNull();
                            assertThat(actual.dtype()).as(what + " grad " + k).isEqualTo(DType.FLOAT32);
                            assertClose(what + " grad of input " + k, actual, expected, 1e-4);
                        }
                    }
                }
            }
        }
    }

    private record Outcome(Tensor output, Tensor gradOutput, List<Tensor> grads) {
    }

    /** Forward, then backward from {@code gradOutput} (a seeded random one when null); the inputs' gradients. */
    private static Outcome run(OpInfo row, List<Tensor> inputs, Tensor gradOutput) {
        List<Variable> vs = variables(inputs);
        Variable out = row.op().apply(vs);
        Tensor g = gradOutput != null ? gradOutput : new Samples(out.dtype(), 7).randn(out.shape());
        if (out.requiresGrad()) {
            out.backward(g);
        }
        List<Tensor> grads = new ArrayList<>();
        for (Variable v : vs) {
            grads.add(v.requiresGrad() ? v.grad() : null);
        }
        return new Outcome(out.data(), g, grads);
    }

    static void assertClose(String what, Tensor actual, Tensor expected, double tolerance) {
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        assertThat(a.length).as(what + " size").isEqualTo(e.length);
        for (int i = 0; i < a.length; i++) {
            double diff = Math.abs(a[i] - e[i]);
            boolean same = Double.compare(a[i], e[i]) == 0;
            if (!same && !(diff <= tolerance * (1 + Math.abs(e[i])))) {
                fail(what + ": element " + i + " is " + a[i] + ", expected " + e[i]);
            }
        }
    }

    @Test
    void everyFunctionClassHasATableRowThatReachesIt() throws Exception {
        Set<String> functions = new TreeSet<>();
        for (Class<? extends Function> c : FunctionClasses.in("io.tutti.autograd.functions")) {
            String s = c.getSimpleName();
            functions.add(Character.toLowerCase(s.charAt(0)) + s.substring(1));
        }
        assertThat(functions).as("Function classes found on the class path").hasSizeGreaterThan(30).contains("add", "matmul");
        Set<String> rowFunctions = new HashSet<>();
        OpTable.rows().forEach(r -> rowFunctions.add(r.functionName()));
        Set<String> missing = new TreeSet<>(functions);
        missing.removeAll(rowFunctions);
        assertThat(missing).as("Function classes without a row in OpTable").isEmpty();

        // A row named after a Function must really record that Function in at least one sample.
        for (OpInfo row : OpTable.rows()) {
            if (!functions.contains(row.functionName())) {
                continue;
            }
            boolean reached = false;
            for (Sample s : row.samples().build(new Samples(DType.FLOAT64, SEED))) {
                reached |= graphFunctions(row.op().apply(variables(s.inputs()))).contains(row.functionName());
            }
            assertThat(reached).as(row.name() + " records " + row.functionName()).isTrue();
        }
    }

    @Test
    void rowNamesAreUnique() {
        List<String> names = new ArrayList<>();
        OpTable.rows().forEach(r -> names.add(r.name()));
        assertThat(names).doesNotHaveDuplicates();
    }

    static Set<String> graphFunctions(Variable v) {
        Set<String> names = new HashSet<>();
        if (v.isLeaf()) {
            return names;
        }
        Set<Context> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Context> todo = new ArrayDeque<>();
        todo.push(v.node());
        while (!todo.isEmpty()) {
            Context c = todo.pop();
            if (!seen.add(c)) {
                continue;
            }
            if (c.function != null) {
                names.add(c.function.name());
            }
            for (Context n : c.next) {
                if (n != null) {
                    todo.push(n);
                }
            }
        }
        return names;
    }
}
