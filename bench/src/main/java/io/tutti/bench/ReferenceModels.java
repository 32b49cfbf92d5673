package io.tutti.bench;

import io.tutti.autograd.Variable;
import io.tutti.nn.Conv2d;
import io.tutti.nn.Flatten;
import io.tutti.nn.Layer;
import io.tutti.nn.Linear;
import io.tutti.nn.MaxPool2d;
import io.tutti.nn.Module;
import io.tutti.nn.ReLU;
import io.tutti.nn.Sequential;
import io.tutti.nn.TransformerEncoderLayer;
import io.tutti.tensor.Generator;

import java.util.List;

/**
 * The four reference models the comparison with PyTorch trains, built from {@code nn} layers
 * exactly as {@code bench/peer/torch_train_bench.py} builds them in PyTorch (same layers, sizes and
 * order, so parameter counts and FLOPs match). Each model takes a list of inputs, because the
 * multimodal one takes two.
 */
public final class ReferenceModels {
    private ReferenceModels() {
    }

    /** A model whose forward takes one or more input variables and returns logits. */
    public abstract static class Model extends Module {
        /** Logits {@code [batch, 10]} for the given inputs. */
        public abstract Variable forward(List<Variable> inputs);
    }

    /** {@code mlp}: 784-512-256-10 with ReLU. */
    public static Model mlp(Generator gen) {
        return new Single(new Sequential(new Linear(784, 512, gen), new ReLU(), new Linear(512, 256, gen), new ReLU(),
                new Linear(256, 10, gen)));
    }

    /** {@code cnn}: the conv trunk over 1x28x28, then linear 10. */
    public static Model cnn(Generator gen) {
        return new Single(new Sequential(trunk(gen), new Linear(flatSize(28, 28), 10, gen)));
    }

    /** {@code multimodal}: a trunk per modality (28x28 image, 40x100 spectrogram) to 128 features each, concat, linear 10. */
    public static Model multimodal(Generator gen) {
        return new Multimodal(gen);
    }

    /** {@code transformer}: one post-norm encoder layer (d 128, 4 heads, ff 256, no dropout), mean over the sequence, linear 10. */
    public static Model transformer(Generator gen) {
        return new Transformer(gen);
    }

    /**
     * conv3x3 32 (pad 1), ReLU, maxpool 2, conv3x3 64 (pad 1), ReLU, maxpool 2, flatten: the shared
     * trunk of the {@code cnn} and both branches of {@code multimodal}.
     */
    static Sequential trunk(Generator gen) {
        return new Sequential(new Conv2d(1, 32, 3, 1, 1, true, gen), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, 1, 1, true, gen), new ReLU(), new MaxPool2d(2), new Flatten());
    }

    /** The trunk's output width for an {@code h x w} input: 64 channels after two halvings. */
    static int flatSize(int h, int w) {
        return 64 * (h / 2 / 2) * (w / 2 / 2);
    }

    private static final class Single extends Model {
        private final Layer net;

        Single(Layer net) {
            this.net = registerModule("net", net);
        }

        @Override
        public Variable forward(List<Variable> inputs) {
            return net.forward(inputs.get(0));
        }
    }

    private static final class Multimodal extends Model {
        private final Sequential img;
        private final Linear imgFc;
        private final Sequential aud;
        private final Linear audFc;
        private final Linear head;

        Multimodal(Generator gen) {
            img = registerModule("img", trunk(gen));
            imgFc = registerModule("img_fc", new Linear(flatSize(28, 28), 128, gen));
            aud = registerModule("aud", trunk(gen));
            audFc = registerModule("aud_fc", new Linear(flatSize(40, 100), 128, gen));
            head = registerModule("head", new Linear(256, 10, gen));
        }

        @Override
        public Variable forward(List<Variable> inputs) {
            Variable fi = imgFc.forward(img.forward(inputs.get(0))).relu();
            Variable fa = audFc.forward(aud.forward(inputs.get(1))).relu();
            return head.forward(Variable.cat(1, fi, fa));
        }
    }

    private static final class Transformer extends Model {
        private final TransformerEncoderLayer layer;
        private final Linear head;

        Transformer(Generator gen) {
            layer = registerModule("layer", new TransformerEncoderLayer(128, 4, 256, 0.0,
                    TransformerEncoderLayer.Activation.RELU, 1e-5, false, gen));
            head = registerModule("head", new Linear(128, 10, gen));
        }

        @Override
        public Variable forward(List<Variable> inputs) {
            return head.forward(layer.forward(inputs.get(0)).mean(1, false));
        }
    }
}
