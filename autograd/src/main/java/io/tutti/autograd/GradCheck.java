package io.tutti.autograd;

import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Checks a function's analytical gradients (what backward computes) against numerical ones (central
 * differences), for users' own ops and models as well as the built-in ones. Defaults are PyTorch's:
 * step {@code eps = 1e-6}, and an entry passes when {@code |analytical - numerical| <= atol + rtol *
 * |numerical|} with {@code atol = 1e-5}, {@code rtol = 1e-3}. Inputs must be float64.
 *
 * <pre>{@code
 * GradCheck.check(in -> in.get(0).mul(in.get(1)).sum(), x, y);           // throws GradCheckError on a mismatch
 * GradCheck.of(f).fastMode(true).check(inputs);                           // one random projection v^T J u
 * }</pre>
 *
 * <p>Every input that requires a gradient is perturbed in place, one element at a time, and the
 * function re-run. The function may therefore close over variables it does not receive as
 * arguments, such as a module's parameters: pass them in {@code inputs} too and they are checked.
 */
public final class GradCheck {
    private final java.util.function.Function<List<Variable>, Variable> f;
    private double eps = 1e-6;
    private double atol = 1e-5;
    private double rtol = 1e-3;
    private boolean fastMode;
    private long seed = 0x5EED;

    private GradCheck(java.util.function.Function<List<Variable>, Variable> f) {
        this.f = f;
    }

    /** A checker for {@code f} with PyTorch's default settings. */
    public static GradCheck of(java.util.function.Function<List<Variable>, Variable> f) {
        return new GradCheck(f);
    }

    /** Checks {@code f} at {@code inputs} with the defaults; throws {@link GradCheckError} on a mismatch. */
    public static void check(java.util.function.Function<List<Variable>, Variable> f, Variable... inputs) {
        of(f).check(Arrays.asList(inputs));
    }

    public GradCheck eps(double eps) {
        if (!(eps > 0)) {
            throw new IllegalArgumentException("gradCheck: eps must be positive, got " + eps);
        }
        this.eps = eps;
        return this;
    }

    public GradCheck atol(double atol) {
        this.atol = atol;
        return this;
    }

    public GradCheck rtol(double rtol) {
        this.rtol = rtol;
        return this;
    }

    /** Checks one random projection {@code v^T J u} instead of every Jacobian entry (cheap for big inputs). */
    public GradCheck fastMode(boolean fast) {
        this.fastMode = fast;
        return this;
    }

    /** Seed of the random u and v of fast mode. */
    public GradCheck seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** One failing Jacobian entry (or, in fast mode, a failing projection: {@code element} is null). */
    public record Mismatch(int input, int[] element, int outputElement, double analytical, double numerical, String note) {
        /** A readable report naming the input, the element and both values. */
        public String describe() {
            String where = element == null
                    ? "v^T J u over all inputs"
                    : "input " + input + ", element " + Arrays.toString(element) + ", output element " + outputElement;
            return "gradCheck: mismatch at " + where + ": analytical " + analytical + ", numerical " + numerical
                    + " (difference " + Math.abs(analytical - numerical) + ")" + (note.isEmpty() ? "" : "; " + note);
        }
    }

    /** Runs the check; throws {@link GradCheckError} naming the worst mismatch. */
    public void check(List<Variable> inputs) {
        Optional<Mismatch> m = findMismatch(inputs);
        if (m.isPresent()) {
            throw new GradCheckError(m.get());
        }
    }

    /** Runs the check and returns the worst mismatch, if any. */
    public Optional<Mismatch> findMismatch(List<Variable> inputs) {
        List<Integer> checked = validate(inputs);
        if (!fastMode) {
            return full(inputs, checked);
        }
        Optional<Mismatch> projection = projection(inputs, checked);
        if (projection.isEmpty()) {
            return projection;
        }
        // Fast mode cannot say which element is wrong; the full check can, and shows both findings.
        Mismatch p = projection.get();
        String note = "fast mode: v^T J u analytical " + p.analytical() + ", numerical " + p.numerical();
        return Optional.of(full(inputs, checked).map(m -> new Mismatch(m.input(), m.element(), m.outputElement(),
                m.analytical(), m.numerical(), note)).orElse(p));
    }

    private List<Integer> validate(List<Variable> inputs) {
        List<Integer> checked = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            Variable v = inputs.get(i);
            if (!v.requiresGrad()) {
                continue;
            }
            if (v.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("gradCheck: input " + i + " is " + v.dtype() + "; central differences need "
                        + "float64 inputs (convert with to(DType.FLOAT64))");
            }
            if (!v.isLeaf()) {
                throw new IllegalArgumentException("gradCheck: input " + i + " is not a leaf; pass leaf variables (detach() one)");
            }
            if (v.data().hasOverlap() || !v.device().isCpu()) {
                throw new IllegalArgumentException("gradCheck: input " + i + " must be a CPU tensor whose elements do not share memory");
            }
            checked.add(i);
        }
        if (checked.isEmpty()) {
            throw new IllegalArgumentException("gradCheck: no input requires a gradient");
        }
        return checked;
    }

    @SuppressWarnings("try")   // the scope is used only for its close()
    private Variable forwardRecorded(List<Variable> inputs) {
        Variable out;
        try (Autograd.Scope g = Autograd.enableGrad()) {
            out = f.apply(inputs);
        }
        if (out.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("gradCheck: the function returned " + out.dtype() + "; it must compute in float64");
        }
        return out;
    }

    @SuppressWarnings("try")
    private double[] evaluate(List<Variable> inputs) {
        try (Autograd.Scope g = Autograd.noGrad()) {
            return f.apply(inputs).data().toDoubleArray();
        }
    }

    private boolean close(double analytical, double numerical) {
        return Math.abs(analytical - numerical) <= atol + rtol * Math.abs(numerical);
    }

    private Optional<Mismatch> full(List<Variable> inputs, List<Integer> checked) {
        Variable out = forwardRecorded(inputs);
        Tensor outData = out.data();
        int nOut = outData.numel();
        // analytical[k][j * nOut + i] = d out_i / d x_{k, j}: one backward per output element.
        double[][] analytical = new double[checked.size()][];
        for (int k = 0; k < checked.size(); k++) {
            analytical[k] = new double[inputs.get(checked.get(k)).numel() * nOut];
        }
        for (int i = 0; i < nOut; i++) {
            Tensor oneHot = outData.zerosLike();
            oneHot.set(1, unravel(i, outData.shape()));
            List<Tensor> grads = Autograd.grad(out, inputs, oneHot, true);
            for (int k = 0; k < checked.size(); k++) {
                Tensor g = grads.get(checked.get(k));
                if (g != null) {
                    double[] values = g.toDoubleArray();
                    for (int j = 0; j < values.length; j++) {
                        analytical[k][j * nOut + i] = values[j];
                    }
                }
            }
        }
        Mismatch worst = null;
        double worstExcess = 0;
        int failures = 0;
        for (int k = 0; k < checked.size(); k++) {
            int input = checked.get(k);
            Tensor x = inputs.get(input).data();
            int[] shape = x.shape();
            for (int j = 0; j < x.numel(); j++) {
                int[] at = unravel(j, shape);
                double original = x.get(at);
                x.set(original + eps, at);
                double[] plus = evaluate(inputs);
                x.set(original - eps, at);
                double[] minus = evaluate(inputs);
                x.set(original, at);
                for (int i = 0; i < nOut; i++) {
                    double numerical = (plus[i] - minus[i]) / (2 * eps);
                    double a = analytical[k][j * nOut + i];
                    if (!close(a, numerical)) {
                        failures++;
                        double excess = Math.abs(a - numerical) - rtol * Math.abs(numerical);
                        if (worst == null || excess > worstExcess || Double.isNaN(excess)) {
                            worst = new Mismatch(input, at, i, a, numerical, "");
                            worstExcess = excess;
                        }
                    }
                }
            }
        }
        if (worst == null) {
            return Optional.empty();
        }
        String note = failures == 1 ? "" : failures + " Jacobian entries differ; this is the worst";
        return Optional.of(new Mismatch(worst.input(), worst.element(), worst.outputElement(), worst.analytical(),
                worst.numerical(), note));
    }

    private Optional<Mismatch> projection(List<Variable> inputs, List<Integer> checked) {
        Generator gen = new Generator(seed);
        Variable out = forwardRecorded(inputs);
        Tensor v = gen.normal(0, 1, DType.FLOAT64, out.shape());
        List<Tensor> u = new ArrayList<>();
        List<Tensor> originals = new ArrayList<>();
        for (int k : checked) {
            Tensor x = inputs.get(k).data();
            u.add(gen.normal(0, 1, DType.FLOAT64, x.shape()));
            originals.add(x.copy());
        }
        List<Tensor> grads = Autograd.grad(out, inputs, v, false);
        double analytical = 0;
        for (int k = 0; k < checked.size(); k++) {
            Tensor g = grads.get(checked.get(k));
            if (g != null) {
                analytical += g.mul(u.get(k)).sum().item();
            }
        }
        double[] plus = evaluateShifted(inputs, checked, originals, u, eps);
        double[] minus = evaluateShifted(inputs, checked, originals, u, -eps);
        shift(inputs, checked, originals, u, 0);
        double[] vs = v.toDoubleArray();
        double numerical = 0;
        for (int i = 0; i < vs.length; i++) {
            numerical += vs[i] * (plus[i] - minus[i]) / (2 * eps);
        }
        if (close(analytical, numerical)) {
            return Optional.empty();
        }
        return Optional.of(new Mismatch(-1, null, -1, analytical, numerical, ""));
    }

    private double[] evaluateShifted(List<Variable> inputs, List<Integer> checked, List<Tensor> originals, List<Tensor> u, double step) {
        shift(inputs, checked, originals, u, step);
        return evaluate(inputs);
    }

    private static void shift(List<Variable> inputs, List<Integer> checked, List<Tensor> originals, List<Tensor> u, double step) {
        for (int k = 0; k < checked.size(); k++) {
            Tensor x = inputs.get(checked.get(k)).data();
            x.copyFrom(step == 0 ? originals.get(k) : originals.get(k).add(u.get(k).mul(step)));
        }
    }

    private static int[] unravel(int flat, int[] shape) {
        int[] at = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            at[d] = flat % shape[d];
            flat /= shape[d];
        }
        return at;
    }
}
