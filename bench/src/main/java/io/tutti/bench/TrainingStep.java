package io.tutti.bench;

import io.tutti.autograd.Variable;
import io.tutti.nn.Losses;
import io.tutti.optim.SGD;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Tensor;

import java.util.List;
import java.util.Locale;

/**
 * One reference model with fixed random inputs and targets and its SGD (lr 0.01) optimizer: the
 * unit of work the training benchmarks and {@link MemoryProbe} time. {@link #run()} is one step as
 * the peer does it: zero grad, forward, cross entropy, backward, SGD step.
 */
public final class TrainingStep {
    /** The names {@link #of} accepts, in the order the comparison reports them. */
    public static final List<String> MODELS = List.of("mlp", "cnn", "multimodal", "transformer");

    private final ReferenceModels.Model model;
    private final List<Variable> inputs;
    private final Tensor target;
    private final SGD optimizer;

    private TrainingStep(ReferenceModels.Model model, List<Tensor> inputs, int batch, Generator gen) {
        this.model = model;
        this.inputs = inputs.stream().map(Variable::new).toList();
        this.target = labels(gen, batch);
        this.optimizer = new SGD(model.parameters(), SGD.options().lr(0.01));
    }

    /** The step of the named reference model ({@code mlp}, {@code cnn}, {@code multimodal}, {@code transformer}). */
    public static TrainingStep of(String name) {
        Generator gen = new Generator(0);
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "mlp" -> new TrainingStep(ReferenceModels.mlp(gen), List.of(gen.randn(128, 784)), 128, gen);
            case "cnn" -> new TrainingStep(ReferenceModels.cnn(gen), List.of(gen.randn(64, 1, 28, 28)), 64, gen);
            case "multimodal" -> new TrainingStep(ReferenceModels.multimodal(gen),
                    List.of(gen.randn(64, 1, 28, 28), gen.randn(64, 1, 40, 100)), 64, gen);
            case "transformer" -> new TrainingStep(ReferenceModels.transformer(gen), List.of(gen.randn(32, 32, 128)), 32, gen);
            default -> throw new IllegalArgumentException("training step: unknown model '" + name + "', expected one of " + MODELS);
        };
    }

    private static Tensor labels(Generator gen, int batch) {
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = gen.nextInt(10);
        }
        return Tensor.of(y, batch);
    }

    /** One training step; returns the loss before the update. */
    public double run() {
        optimizer.zeroGrad();
        Variable loss = Losses.crossEntropy(model.forward(inputs), target);
        loss.backward();
        optimizer.step();
        return loss.item();
    }

    /** Number of learned scalars, to check the model matches the peer's. */
    public long parameterCount() {
        return model.parameters().stream().mapToLong(p -> p.data().numel()).sum();
    }
}
