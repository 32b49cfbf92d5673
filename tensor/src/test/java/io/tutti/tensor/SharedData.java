package io.tutti.tensor;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Finds the real data set described in {@code shared/data/README.md}, for tests that need it, and
 * skips those tests (rather than failing them) where it is absent.
 *
 * <p>The directory is the system property {@code tutti.data.dir} or the environment variable
 * {@code TUTTI_DATA_DIR} if set; otherwise the first {@code shared/data} found walking up from the
 * working directory. That finds {@code ../shared/data} beside the repository root whether Maven
 * runs from the root or, as it does for tests, from a module directory, and from a worktree nested
 * deeper.
 */
public final class SharedData {
    private static final String PROPERTY = "tutti.data.dir";
    private static final String ENV = "TUTTI_DATA_DIR";

    private SharedData() {
    }

    /** The data directory, if one can be found. */
    public static Optional<Path> dir() {
        String configured = System.getProperty(PROPERTY, System.getenv(ENV));
        if (configured != null && !configured.isBlank()) {
            Path p = Paths.get(configured);
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        for (Path d = Paths.get("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared").resolve("data");
            if (Files.isRegularFile(candidate.resolve("README.md"))) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The file at {@code relative} inside the data directory; skips the calling test if it is absent. */
    public static Path require(String relative) {
        Optional<Path> dir = dir();
        Assumptions.assumeTrue(dir.isPresent(), () -> "shared data directory (../shared/data, or -D" + PROPERTY + " / $"
                + ENV + ") absent; skipping");
        Path file = dir.get().resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(file), () -> "shared data file " + file + " absent; skipping");
        return file;
    }
}
