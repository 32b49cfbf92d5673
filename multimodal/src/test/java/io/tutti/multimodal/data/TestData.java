package io.tutti.multimodal.data;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The shared real data for tests: skips the calling test, with a clear message, when it is absent. */
final class TestData {
    private TestData() {
    }

    static Path require(String relative) {
        Optional<Path> dir = DataDirectory.find(null);
        Assumptions.assumeTrue(dir.isPresent(), "shared data directory (../shared/data or $TUTTI_DATA_DIR) absent; skipping");
        Path file = dir.get().resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(file), () -> "shared data file " + file + " absent; skipping");
        return file;
    }
}
