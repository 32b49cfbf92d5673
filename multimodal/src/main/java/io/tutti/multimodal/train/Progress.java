package io.tutti.multimodal.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Training progress: on a terminal ({@code System.console() != null}) a bar redrawn in place with
 * ETA, loss and running per-modality accuracy; otherwise one plain line per epoch. Quiet mode prints nothing.
 */
public final class Progress {
    private final PrintStream out;
    private final boolean bar;
    private final boolean quiet;
    private long epochStart;
    private long lastDraw;

    public Progress(PrintStream out, boolean bar, boolean quiet) {
        this.out = out;
        this.bar = bar;
        this.quiet = quiet;
    }

    /** A progress reporter for the current environment: a bar on a console, plain lines otherwise. */
    public static Progress auto(PrintStream out) {
        return new Progress(out, System.console() != null, false);
    }

    public static Progress quiet() {
        return new Progress(System.err, false, true);
    }

    public void startEpoch() {
        epochStart = System.nanoTime();
        lastDraw = 0;
    }

    /** After batch {@code done} of {@code total}: redraws the bar (at most ten times a second). */
    public void step(String label, int done, int total, double loss, double accuracy, Map<String, Double> modalityAccuracy) {
        if (quiet || !bar) {
            return;
        }
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        double elapsed = (now - epochStart) / 1e9;
        double eta = done == 0 ? 0 : elapsed / done * (total - done);
        int width = 24;
        int filled = (int) Math.round(width * (double) done / Math.max(1, total));
        StringBuilder sb = new StringBuilder("\r").append(label).append(" [");
        sb.append("=".repeat(filled)).append(filled < width ? ">" : "").append(" ".repeat(Math.max(0, width - filled - 1))).append("] ");
        sb.append(String.format(Locale.ROOT, "%d/%d ETA %s loss %.4f acc %.3f", done, total, time(eta), loss, accuracy));
        modalityAccuracy.forEach((m, a) -> sb.append(String.format(Locale.ROOT, " %s %.3f", m, a)));
        out.print(sb.append("  "));
        out.flush();
    }

    /** The end-of-epoch line. */
    public void endEpoch(String line) {
        if (quiet) {
            return;
        }
        if (bar) {
            out.print("\r\033[K");
        }
        out.println(line);
        out.flush();
    }

    /** A free log line. */
    public void log(String line) {
        if (!quiet) {
            out.println(line);
            out.flush();
        }
    }

    static String time(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
