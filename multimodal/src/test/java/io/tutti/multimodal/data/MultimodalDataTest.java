package io.tutti.multimodal.data;

import io.tutti.tensor.DType;
import io.tutti.tensor.Safetensors;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class MultimodalDataTest {

    @Test
    void syntheticDataIsDeterministicAndItsModalitiesAsInformativeAsAsked() {
        SyntheticData.Spec spec = SyntheticData.Spec.parse("a:16:0.95,b:8:0.4,c:4:0.0");
        MultimodalData d1 = SyntheticData.generate(spec, 3);
        MultimodalData d2 = SyntheticData.generate(spec, 3);
        assertThat(d1.modalityNames()).containsExactly("a", "b", "c");
        assertThat(d1.modality("b").toFloatArray()).containsExactly(d2.modality("b").toFloatArray());
        assertThat(SyntheticData.generate(spec, 4).modality("a").toFloatArray()).isNotEqualTo(d1.modality("a").toFloatArray());
        assertThat(d1.split(Split.TRAIN).size()).isEqualTo(3000);
        assertThat(d1.split(Split.TEST).size()).isEqualTo(1000);
        // Nearest class centroid (fit on train, scored on test) recovers each modality's informativeness.
        assertThat(centroidAccuracy(d1, "a")).isCloseTo(0.95 + 0.05 / 10, within(0.04));
        assertThat(centroidAccuracy(d1, "b")).isCloseTo(0.4 + 0.6 / 10, within(0.05));
        assertThat(centroidAccuracy(d1, "c")).isCloseTo(0.1, within(0.04));
    }

    private static double centroidAccuracy(MultimodalData d, String m) {
        MultimodalData train = d.split(Split.TRAIN);
        MultimodalData test = d.split(Split.TEST);
        int k = d.numClasses();
        Tensor x = train.modality(m);
        Tensor oneHot = io.tutti.tensor.NnFunctions.oneHot(train.labels(), k).to(DType.FLOAT32);   // [N, K]
        Tensor centroids = oneHot.t().matmul(x).div(oneHot.sum(0, false).unsqueeze(1));          // [K, d]
        Tensor xt = test.modality(m);
        Tensor dist = xt.unsqueeze(1).sub(centroids.unsqueeze(0)).square().sum(2, false);       // [N, K]
        Tensor predicted = dist.argmin(1, false);
        return predicted.eq(test.labels()).to(DType.FLOAT32).mean().item();
    }

    @Test
    void standardisationUsesTrainingStatisticsOnly() {
        Tensor x = Tensor.of(new float[] {1, 3, 100, -100}, 4, 1);
        Tensor labels = Tensor.of(new int[] {0, 1, 0, 1}, 4);
        Tensor splits = Tensor.of(new int[] {0, 0, 2, 2}, 4);
        MultimodalData d = new MultimodalData("t", Map.of("x", x), null, labels, splits, 2).standardizedByTrainStatistics();
        assertThat(d.modality("x").toFloatArray()).containsExactly(-1, 1, 98, -102);
    }

    @Test
    void invalidDataIsRejectedWithClearMessages() {
        Tensor labels = Tensor.of(new int[] {0, 1, 2}, 3);
        Tensor splits = Tensor.of(new int[] {0, 0, 0}, 3);
        assertThatThrownBy(() -> new MultimodalData("t", Map.of("x", Tensor.zeros(2, 4)), null, labels, splits, 3))
                .hasMessageContaining("modality 'x' has shape [2, 4] but there are 3 labels");
        assertThatThrownBy(() -> new MultimodalData("t", Map.of("x", Tensor.zeros(3, 4)), null, labels, splits, 2))
                .hasMessageContaining("label 2 is out of range 0..1");
        assertThatThrownBy(() -> new MultimodalData("t", Map.of("x", Tensor.zeros(3, 4)), null, labels, Tensor.of(new int[] {0, 5, 0}, 3), 3))
                .hasMessageContaining("split code 5");
        MultimodalData ok = new MultimodalData("t", Map.of("x", Tensor.zeros(3, 4)), null, labels, splits, 3);
        assertThatThrownBy(() -> ok.modality("y")).hasMessageContaining("unknown modality 'y'; it has [x]");
        assertThatThrownBy(() -> SyntheticData.Spec.parse("a:x:0.5")).hasMessageContaining("malformed number");
        assertThatThrownBy(() -> SyntheticData.Spec.parse("a:4:1.5")).hasMessageContaining("informativeness of 'a' must be in [0, 1]");
    }

    @Test
    void userFilesLoadWithOrWithoutASplit(@TempDir Path dir) throws IOException {
        int n = 40;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 4;
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("vec", new io.tutti.tensor.Generator(1).randn(n, 5));
        tensors.put("img", new io.tutti.tensor.Generator(2).randn(n, 1, 4, 4));
        tensors.put("label", Tensor.of(labels, n));
        Path file = dir.resolve("mine.safetensors");
        Safetensors.save(file, tensors);
        MultimodalData d = FileData.load(file, 7);
        assertThat(d.modalityNames()).containsExactly("vec", "img");
        assertThat(d.numClasses()).isEqualTo(4);
        assertThat(d.split(Split.TRAIN).size()).isEqualTo(4 * 6);   // 10 per class: 15% rounds to 2 test and 2 validation
        assertThat(d.split(Split.VALIDATION).size() + d.split(Split.TEST).size()).isEqualTo(n - d.split(Split.TRAIN).size());
        assertThat(FileData.load(file, 7).splits().toIntArray()).containsExactly(d.splits().toIntArray());

        tensors.put("split", Tensor.of(new int[n], n));
        Safetensors.save(file, tensors);
        assertThat(FileData.load(file, 7).split(Split.TRAIN).size()).isEqualTo(n);

        tensors.put("label", Tensor.of(new int[] {-1}, 1));
        Safetensors.save(file, tensors);
        assertThatThrownBy(() -> FileData.load(file, 7)).hasMessageContaining("modality 'vec' has shape [40, 5]; expected [1, ...]");

        tensors.remove("label");
        Safetensors.save(file, tensors);
        assertThatThrownBy(() -> FileData.load(file, 7)).hasMessageContaining("no 'label' tensor");

        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 10));
        assertThatThrownBy(() -> FileData.load(file, 7)).hasMessageContaining("truncated");
    }

    @Test
    void avMnistSplits() throws IOException {
        Path dir = TestData.require("avmnist/avmnist.safetensors").getParent();
        MultimodalData official = AvMnist.load(dir, AvMnist.Scheme.OFFICIAL);
        assertThat(official.modalityNames()).isEqualTo(List.of("image", "audio"));
        assertThat(official.sampleShape("image")).containsExactly(1, 28, 28);
        assertThat(official.sampleShape("audio")).containsExactly(1, 40, 63);
        assertThat(official.split(Split.TEST).size()).isEqualTo(300);
        assertThat(official.split(Split.VALIDATION).size()).isEqualTo(300);
        assertThat(official.split(Split.TRAIN).size()).isEqualTo(2400);
        assertThat(official.labels().get(0)).isEqualTo(6);
        MultimodalData train = official.split(Split.TRAIN);
        assertThat(train.modality("audio").mean().item()).isCloseTo(0, within(1e-4));
        assertThat(train.modality("audio").std(null, 0, false).item()).isCloseTo(1, within(1e-4));
        MultimodalData speaker = AvMnist.load(dir.getParent(), AvMnist.Scheme.SPEAKER);
        assertThat(speaker.split(Split.TRAIN).size()).isEqualTo(2000);
        assertThat(speaker.split(Split.VALIDATION).size()).isEqualTo(500);
        assertThat(speaker.split(Split.TEST).size()).isEqualTo(500);
        assertThatThrownBy(() -> AvMnist.Scheme.parse("random")).hasMessageContaining("unknown split 'random'");
    }
}
