package io.tutti.tensor;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that readers see either the old content or the complete new content, never a
 * half-written file: the bytes go to a temporary file in the same directory, are forced to disk,
 * and the temporary file is then renamed over the target in one atomic step. Every writer in Tutti
 * (tensors, checkpoints, reports) goes through it.
 */
public final class AtomicFile {
    /** What fills the temporary file. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFile() {
    }

    /** Replaces (or creates) {@code target} with what {@code writer} writes; on failure the target is untouched. */
    public static void write(Path target, Writer writer) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        // Same directory, so the rename stays on one file system and can be atomic. A plain
        // CREATE_NEW (not createTempFile) keeps the usual permissions rather than owner-only ones.
        Path temp = dir.resolve("." + absolute.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        boolean moved = false;
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writer.writeTo(channel);
                channel.force(true);
            }
            move(temp, absolute);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Replaces (or creates) {@code target} with {@code bytes}. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, channel -> {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        });
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Some file systems cannot rename atomically; replacing still never leaves a partial target.
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
