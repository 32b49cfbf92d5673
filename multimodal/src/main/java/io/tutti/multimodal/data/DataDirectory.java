package io.tutti.multimodal.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Finds the real data directory (the layout of {@code shared/data}): an explicit {@code --data-dir},
 * else {@code $TUTTI_DATA_DIR}, else the first {@code shared/data} found walking up from the working
 * directory, which finds {@code ../shared/data} beside a checkout.
 */
public final class DataDirectory {
    /** The environment variable that names the data directory. */
    public static final String ENV = "TUTTI_DATA_DIR";

    private DataDirectory() {
    }

    /** The data directory: {@code explicit} if given, else what the environment or the file tree offers. */
    public static Optional<Path> find(Path explicit) {
        if (explicit != null) {
            return Files.isDirectory(explicit) ? Optional.of(explicit) : Optional.empty();
        }
        String configured = System.getenv(ENV);
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
}
