package io.tutti.nn;

import io.tutti.autograd.Autograd;
import io.tutti.autograd.Variable;
import io.tutti.tensor.DType;
import io.tutti.tensor.Generator;
import io.tutti.tensor.Safetensors;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interoperability with PyTorch: state dicts exported by PyTorch ({@code nn/fixtures/make_fixtures.py})
 * load by key into the same Tutti architectures, which then compute PyTorch's outputs; and the
 * state dicts Tutti writes have exactly PyTorch's keys, order, shapes and dtypes.
 *
 * <p>With {@code -Dtutti.nn.exportDir=DIR} the test also writes each Tutti model's state dict and
 * output there, for {@code make_fixtures.py --check DIR} to load into PyTorch.
 */
@SuppressWarnings("try")   // scopes are opened only to be closed
class PyTorchFixturesTest {
    private static final Generator GEN = new Generator(99);

    static Sequential mlp() {
        return Mlp.of(GEN, GELU::new, 6, 16, 16, 3);
    }

    static Sequential cnn() {
        return new Sequential(
                new Conv2d(3, 8, 3, 1, 1, true, GEN), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
                new Conv2d(8, 16, new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, 2, true, GEN), new BatchNorm2d(16),
                new SiLU(), new AdaptiveAvgPool2d(2, 2), new Flatten(), new Linear(64, 5, GEN));
    }

    static Sequential cnn1d() {
        return new Sequential(
                new Conv1d(2, 6, 5, 1, 2, 1, 1, true, GEN), new BatchNorm1d(6), new ReLU(), new MaxPool1d(2),
                new Conv1d(6, 6, 3, 1, 0, 2, 3, false, GEN), new AvgPool1d(2), new Tanh(), new Flatten(), new Linear(18, 4, GEN));
    }

    static Sequential embed() {
        return new Sequential(new Embedding(12, 8, 0, GEN), new LayerNorm(8), new Linear(8, 3, GEN), new Sigmoid());
    }

    static ResNet resnet18() {
        return ResNet.resnet18(1, 4, 3, GEN);
    }

    static TransformerEncoderLayer transformerPost() {
        return new TransformerEncoderLayer(16, 4, 32, GEN);
    }

    static TransformerEncoderLayer transformerPre() {
        return new TransformerEncoderLayer(16, 4, 32, 0.1, TransformerEncoderLayer.Activation.GELU, 1e-5, true, GEN);
    }

    /** Loads the PyTorch state dict strictly after checking that the key lists (and order) and shapes agree. */
    private static <M extends Module> M loaded(String name, M model) throws IOException {
        assertSameLayout(name, model.stateDict(), Fixtures.state(name));
        Map<String, String> metadata = StateDicts.load(model, Fixtures.path(name + ".safetensors"));
        assertThat(metadata).containsEntry("source", "make_fixtures.py");
        model.eval();
        return model;
    }

    private static void assertSameLayout(String name, Map<String, Tensor> tutti, Map<String, Tensor> torch) {
        assertThat(new ArrayList<>(tutti.keySet())).as(name + " state dict keys, in order").isEqualTo(new ArrayList<>(torch.keySet()));
        tutti.forEach((k, t) -> {
            assertThat(t.shape()).as(name + " " + k + " shape").containsExactly(torch.get(k).shape());
            assertThat(t.dtype()).as(name + " " + k + " dtype").isEqualTo(torch.get(k).dtype());
        });
    }

    private static Tensor eval(Layer model, Tensor input) {
        try (var g = Autograd.noGrad()) {
            return model.forward(input).data();
        }
    }

    @Test
    void mlpMatchesPyTorch() throws IOException {
        Sequential m = loaded("mlp", mlp());
        Map<String, Tensor> io = Fixtures.io("mlp");
        Fixtures.assertClose("mlp", eval(m, io.get("input")), io.get("output"));
    }

    @Test
    void cnnWithBatchNormMatchesPyTorchInBothModes() throws IOException {
        checkBatchNormModel("cnn", cnn());
    }

    @Test
    void cnn1dMatchesPyTorchInBothModes() throws IOException {
        checkBatchNormModel("cnn1d", cnn1d());
    }

    @Test
    void resnet18MatchesPyTorchInBothModes() throws IOException {
        checkBatchNormModel("resnet18", resnet18());
    }

    /** Evaluation output, then a training-mode output (batch statistics) and the running statistics it leaves. */
    private static void checkBatchNormModel(String name, Layer model) throws IOException {
        Layer m = loaded(name, model);
        Map<String, Tensor> io = Fixtures.io(name);
        Tensor evalOut = eval(m, io.get("input"));
        Fixtures.assertClose(name + " eval", evalOut, io.get("output"));
        m.train();
        Fixtures.assertClose(name + " train", eval(m, io.get("input")), io.get("train_output"), 1e-4, 1e-4);
        int checked = 0;
        for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
            Tensor expected = io.get("after_train." + e.getKey());
            if (expected != null) {
                Fixtures.assertClose(name + " " + e.getKey() + " after a training step", e.getValue(), expected, 1e-5, 1e-4);
                checked++;
            }
        }
        assertThat(checked).as(name + " running statistics checked").isGreaterThanOrEqualTo(3);
    }

    @Test
    void embeddingAndLayerNormMatchPyTorch() throws IOException {
        Sequential m = loaded("embed", embed());
        Map<String, Tensor> io = Fixtures.io("embed");
        assertThat(io.get("input").dtype()).as("PyTorch's int64 indices read as int32").isEqualTo(DType.INT32);
        Fixtures.assertClose("embed", eval(m, io.get("input")), io.get("output"));
    }

    @Test
    void transformerEncoderLayersMatchPyTorchWithAndWithoutPaddingMasks() throws IOException {
        for (String name : List.of("transformer_post", "transformer_pre")) {
            TransformerEncoderLayer m = loaded(name, name.endsWith("post") ? transformerPost() : transformerPre());
            Map<String, Tensor> io = Fixtures.io(name);
            Variable x = new Variable(io.get("input"));
            try (var g = Autograd.noGrad()) {
                Fixtures.assertClose(name, m.forward(x).data(), io.get("output"));
                Fixtures.assertClose(name + " masked", m.forward(x, io.get("key_padding_mask"), null).data(),
                        io.get("masked_output"));
            }
        }
    }

    @Test
    void multiheadAttentionMatchesPyTorchWithBothMasksAndItsWeights() throws IOException {
        MultiheadAttention m = loaded("mha", new MultiheadAttention(8, 2, GEN));
        Map<String, Tensor> io = Fixtures.io("mha");
        Variable q = new Variable(io.get("query"));
        Variable kv = new Variable(io.get("key_value"));
        try (var g = Autograd.noGrad()) {
            MultiheadAttention.Result r = m.forward(q, kv, kv, io.get("key_padding_mask"), io.get("attn_mask"), true);
            Fixtures.assertClose("mha output", r.output().data(), io.get("output"));
            Fixtures.assertClose("mha weights", r.weights().data(), io.get("weights"));
        }
    }

    @Test
    void modelsSavedByTuttiHavePyTorchsKeysShapesAndDtypes(@TempDir Path dir) throws IOException {
        Map<String, Module> models = new LinkedHashMap<>();
        models.put("mlp", mlp());
        models.put("cnn", cnn());
        models.put("cnn1d", cnn1d());
        models.put("embed", embed());
        models.put("resnet18", resnet18());
        models.put("transformer_post", transformerPost());
        models.put("transformer_pre", transformerPre());
        models.put("mha", new MultiheadAttention(8, 2, GEN));
        for (Map.Entry<String, Module> e : models.entrySet()) {
            Path file = dir.resolve(e.getKey() + ".safetensors");
            StateDicts.save(e.getValue(), file, Map.of("framework", "tutti"));
            assertSameLayout(e.getKey() + " (saved by Tutti)", Safetensors.load(file), Fixtures.state(e.getKey()));
            assertThat(Safetensors.metadata(file)).containsEntry("framework", "tutti");
            export(e.getKey(), e.getValue());
        }
    }

    /**
     * When asked to, writes a Tutti-initialised model (its running statistics moved by a few training
     * passes) and its evaluation output on the fixture's input, for {@code make_fixtures.py --check}.
     */
    private static void export(String name, Module model) throws IOException {
        String dir = System.getProperty("tutti.nn.exportDir");
        if (dir == null) {
            return;
        }
        Map<String, Tensor> io = Fixtures.io(name);
        Tensor output;
        try (var g = Autograd.noGrad()) {
            if (model instanceof MultiheadAttention mha) {
                Variable kv = new Variable(io.get("key_value"));
                mha.eval();
                output = mha.forward(new Variable(io.get("query")), kv, kv, io.get("key_padding_mask"), io.get("attn_mask"), false)
                        .output().data();
            } else {
                Layer layer = (Layer) model;
                Tensor input = io.get("input");
                if (input.dtype().isFloating()) {
                    Generator noise = new Generator(5);
                    for (int i = 0; i < 3; i++) {
                        layer.forward(noise.normal(0.5, 2, DType.FLOAT32, input.shape()));
                    }
                }
                layer.eval();
                output = layer.forward(input).data();
            }
        }
        Path d = Files.createDirectories(Path.of(dir));
        StateDicts.save(model, d.resolve(name + ".safetensors"));
        Safetensors.save(d.resolve(name + ".out.safetensors"), Map.of("output", output));
    }
}
