package io.tutti.autograd;

import io.tutti.tensor.Tensor;

import java.util.List;

/**
 * One row of the op table: an op under test, the sample inputs to run it on, the {@link Variable}
 * op and the {@link Tensor} op it must agree with. The name is the op's {@link Function#name()},
 * optionally followed by {@code :variant} when several rows exercise one Function; composite ops
 * (written over other Variable ops) have rows of their own too.
 *
 * <p>Sample inputs that are floating get a gradient; int32 inputs (indices, masks) are constants.
 */
record OpInfo(String name, SampleBuilder samples, java.util.function.Function<List<Variable>, Variable> op,
              java.util.function.Function<List<Tensor>, Tensor> reference, double eps, double atol, double rtol) {

    /** Builds a row's samples in the dtype of {@code make}. */
    @FunctionalInterface
    interface SampleBuilder {
        List<Sample> build(Samples make);
    }

    /** Named inputs of one call. */
    record Sample(String label, List<Tensor> inputs) {
        static Sample of(String label, Tensor... inputs) {
            return new Sample(label, List.of(inputs));
        }
    }

    static OpInfo of(String name, SampleBuilder samples, java.util.function.Function<List<Variable>, Variable> op,
                     java.util.function.Function<List<Tensor>, Tensor> reference) {
        return new OpInfo(name, samples, op, reference, 1e-6, 1e-5, 1e-3);
    }

    /** The same row with GradCheck settings of its own (for ops that round, like a float32 round trip). */
    OpInfo withGradCheck(double eps, double atol, double rtol) {
        return new OpInfo(name, samples, op, reference, eps, atol, rtol);
    }

    /** The name of the Function this row exercises (the part before any ':'). */
    String functionName() {
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }

    @Override
    public String toString() {
        return name;
    }
}
