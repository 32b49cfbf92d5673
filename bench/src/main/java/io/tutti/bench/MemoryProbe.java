package io.tutti.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Peak memory of training steps, measured in a JVM of its own so that nothing else (JMH, other
 * benchmarks) has touched the heap: runs {@code steps} training steps of one reference model and
 * prints one JSON object with the peak heap (the sum of the heap pools' peak usage, as the GC's
 * memory pool beans report it), the process's peak resident set ({@code VmHWM} in
 * {@code /proc/self/status}), the resident set before the model was built, and the heap limit.
 *
 * <p>The peak heap depends on how lazily the collector runs, so it is only meaningful together
 * with the {@code -Xmx} the JVM ran with (reported as {@code max_heap_mb}): {@code bench/compare}
 * runs this with a fixed limit. Two further figures come from the collections themselves: the
 * largest heap occupancy any collection found (a true simultaneous peak, sampled at collections)
 * and the largest live set any collection left. Usage: {@code MemoryProbe [model] [steps] [--out FILE]}.
 */
public final class MemoryProbe {
    private MemoryProbe() {
    }

    public static void main(String[] args) throws IOException {
        String model = "multimodal";
        int steps = 10;
        Path out = null;
        int positional = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out")) {
                out = Path.of(args[++i]);
            } else if (positional++ == 0) {
                model = args[i];
            } else {
                steps = Integer.parseInt(args[i]);
            }
        }
        GcWatch gc = GcWatch.start();
        long rssBefore = statusKb("VmRSS");
        TrainingStep step = TrainingStep.of(model);
        long start = System.nanoTime();
        double loss = 0;
        for (int i = 0; i < steps; i++) {
            loss = step.run();
        }
        double msPerStep = (System.nanoTime() - start) / 1e6 / steps;
        String json = String.format(Locale.ROOT,
                "{\"model\": \"%s\", \"steps\": %d, \"peak_heap_mb\": %.1f, \"heap_before_gc_max_mb\": %.1f,"
                        + " \"live_after_gc_max_mb\": %.1f, \"gcs\": %d, \"peak_rss_mb\": %.1f, \"rss_before_model_mb\": %.1f,"
                        + " \"max_heap_mb\": %.1f, \"ms_per_step\": %.2f, \"last_loss\": %.4f, \"jdk\": \"%s\"}",
                model, steps, peakHeapBytes() / 1048576.0, gc.maxBefore() / 1048576.0, gc.maxAfter() / 1048576.0, gc.count(),
                statusKb("VmHWM") / 1024.0, rssBefore / 1024.0,
                Runtime.getRuntime().maxMemory() / 1048576.0, msPerStep, loss, System.getProperty("java.version"));
        System.out.println(json);
        if (out != null) {
            Files.writeString(out, json + "\n");
        }
    }

    /** The sum over heap pools of each pool's peak usage (an upper bound on the true simultaneous peak). */
    static long peakHeapBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    /** A {@code kB} field of {@code /proc/self/status} ({@code VmHWM}, {@code VmRSS}), or -1 where there is none (not Linux). */
    static long statusKb(String field) throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).replace("kB", "").trim());
            }
        }
        return -1;
    }
}
