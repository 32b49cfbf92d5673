package io.tutti.autograd;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BackwardExampleTest {
    @Test
    void theReadmeExampleComputesTheHandDerivedGradient() {
        // prediction = [1*0.5 - 2 + 0.1, 3*0.5 - 4 + 0.1] = [-1.4, -2.4]; residual = [-2.4, -2.4]
        // dL/dw = x^T residual = [1*-2.4 + 3*-2.4, 2*-2.4 + 4*-2.4] = [-9.6, -14.4]
        float[] g = BackwardExample.run().toFloatArray();
        assertThat(g[0]).isCloseTo(-9.6f, within(1e-5f));
        assertThat(g[1]).isCloseTo(-14.4f, within(1e-5f));
    }

    @Test
    void theReadmeShowsTheExampleVerbatim() throws Exception {
        String source = Files.readString(Path.of("src/test/java/io/tutti/autograd/BackwardExample.java"));
        String snippet = source.substring(source.indexOf("// README:begin") + "// README:begin\n".length(),
                source.indexOf("    // README:end"));
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains(snippet.stripTrailing().stripIndent().strip());
    }
}
