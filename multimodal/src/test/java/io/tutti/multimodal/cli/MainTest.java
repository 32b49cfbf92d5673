package io.tutti.multimodal.cli;

import io.tutti.multimodal.report.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new Main(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badArgumentsFailWithTheValidChoices() {
        assertThat(run("train", "--method", "nope")).isEqualTo(2);
        assertThat(err()).contains("unknown method 'nope'").contains("joint, ensemble, ogm-ge");
        assertThat(run("train", "--fusion", "bilinear")).isEqualTo(2);
        assertThat(err()).contains("unknown fusion 'bilinear'").contains("concat, sum, film, gated");
        assertThat(run("train", "--epochs")).isEqualTo(2);
        assertThat(err()).contains("--epochs needs a value");
        assertThat(run("train", "--epochs", "x")).isEqualTo(2);
        assertThat(err()).contains("expects an integer");
        assertThat(run("train", "--colour", "red")).isEqualTo(2);
        assertThat(err()).contains("unknown option --colour").contains("--method");
        assertThat(run("train", "--encoder", "video=cnn", "--epochs", "0")).isEqualTo(2);
        assertThat(err()).contains("unknown modality 'video'").contains("strong");
        assertThat(run("compare", "--methods", "joint,foo")).isEqualTo(2);
        assertThat(err()).contains("unknown method 'foo'");
        assertThat(run("train", "--data", "mnist3d")).isEqualTo(2);
        assertThat(err()).contains("synthetic, synthetic:NAME:DIM:INFORMATIVENESS");
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err()).contains("commands: train, eval, compare");
        assertThat(run("eval")).isEqualTo(2);
        assertThat(err()).contains("--checkpoint");
    }

    @Test
    void helpOnEachCommand() {
        for (String cmd : new String[] {"train", "eval", "compare"}) {
            assertThat(run(cmd, "--help")).isEqualTo(0);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--method NAME").contains("--checkpoint FILE").contains("--seeds N");
    }

    @Test
    @SuppressWarnings("unchecked")
    void trainWritesMetricsInTheIssueSchemaAndEvalReadsTheCheckpoint(@TempDir Path dir) throws Exception {
        Path runDir = dir.resolve("run");
        assertThat(run("train", "--method", "joint", "--data", "synthetic:a:6:0.9,b:6:0.4", "--epochs", "2", "--feature-dim", "8",
                "--out", runDir.toString(), "--quiet")).as(err()).isEqualTo(0);
        Map<String, Object> m = (Map<String, Object>) Json.parse(Files.readString(runDir.resolve("metrics.json")));
        assertThat(m).containsKeys("method", "dataset", "split", "seed", "epochs", "train_seconds", "val", "test");
        assertThat(m.get("method")).isEqualTo("joint");
        Map<String, Object> test = (Map<String, Object>) m.get("test");
        assertThat(test).containsKeys("accuracy", "macro_f1", "map", "per_modality_accuracy", "missing_modality");
        assertThat((Map<String, Object>) test.get("per_modality_accuracy")).containsOnlyKeys("a", "b");
        Map<String, Object> missing = (Map<String, Object>) test.get("missing_modality");
        assertThat(missing).containsOnlyKeys("a", "b");
        List<Object> curve = (List<Object>) missing.get("a");
        assertThat(curve).hasSize(10);
        assertThat((List<Object>) curve.get(0)).hasSize(2).first().isEqualTo(0.0);
        assertThat(((List<Object>) curve.get(9)).get(0)).isEqualTo(0.9);
        // at r = 0 nothing is dropped: the curve starts at the test accuracy
        assertThat(((List<Object>) curve.get(0)).get(1)).isEqualTo(test.get("accuracy"));
        assertThat(Files.readString(runDir.resolve("report.html"))).contains("<svg").doesNotContain("<script");
        assertThat(runDir.resolve("checkpoint.safetensors")).exists();

        assertThat(run("eval", "--checkpoint", runDir.resolve("checkpoint.safetensors").toString(), "--out", dir.resolve("ev").toString()))
                .as(err()).isEqualTo(0);
        Map<String, Object> e = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("ev").resolve("metrics.json")));
        assertThat(((Map<String, Object>) e.get("test")).get("accuracy")).isEqualTo(test.get("accuracy"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void compareWritesTheSummary(@TempDir Path dir) throws Exception {
        assertThat(run("compare", "--methods", "joint,ensemble", "--seeds", "2", "--data", "synthetic:a:6:0.9,b:6:0.4", "--epochs", "1",
                "--feature-dim", "8", "--out", dir.toString(), "--quiet")).as(err()).isEqualTo(0);
        Map<String, Object> c = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("comparison.json")));
        assertThat(c).containsKeys("dataset", "split", "runs", "summary");
        assertThat((List<Object>) c.get("runs")).hasSize(4);
        List<Object> summary = (List<Object>) c.get("summary");
        assertThat(summary).hasSize(2);
        Map<String, Object> joint = (Map<String, Object>) summary.get(0);
        assertThat(joint).containsKeys("method", "accuracy_mean", "accuracy_std", "per_modality_accuracy_mean", "imbalance_gap_mean");
        Map<String, Object> ensemble = (Map<String, Object>) summary.get(1);
        assertThat((Map<String, Object>) ensemble.get("imbalance_gap_mean")).containsEntry("a", 0.0);   // the reference itself
        assertThat(Files.readString(dir.resolve("comparison.md"))).contains("| joint | 2 |");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("| ensemble | 2 |");
    }
}
