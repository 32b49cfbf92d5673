package io.tutti.multimodal.data;

/**
 * Log-mel spectrogram features with the exact recipe of the AV-MNIST data (see
 * {@code shared/data/README.md}): 8192 samples at 8 kHz, 63 frames of 256 samples every 128 under a
 * periodic Hann window, a 256-point power spectrum, 40 HTK-mel triangles (peak 1, not
 * area-normalised) between 0 and 4000 Hz, and {@code ln(energy + 1e-6)}. Computed in double precision.
 */
public final class LogMel {
    public static final int SAMPLES = 8192;
    public static final int FRAME = 256;
    public static final int HOP = 128;
    public static final int FRAMES = 63;
    public static final int BANDS = 40;
    public static final int SAMPLE_RATE = 8000;
    private static final int BINS = FRAME / 2 + 1;
    private static final double FLOOR = 1e-6;

    private static final double[] WINDOW = hann();
    private static final double[][] FILTERS = melFilters();

    private LogMel() {
    }

    /**
     * Features of one recording, {@code [BANDS][FRAMES]} (band 0 is the lowest). Samples are in
     * [-1, 1); the clip is cut or zero-padded to {@link #SAMPLES}.
     */
    public static float[][] compute(double[] samples) {
        double[] x = new double[SAMPLES];
        System.arraycopy(samples, 0, x, 0, Math.min(samples.length, SAMPLES));
        float[][] out = new float[BANDS][FRAMES];
        double[] re = new double[FRAME];
        double[] im = new double[FRAME];
        for (int t = 0; t < FRAMES; t++) {
            for (int i = 0; i < FRAME; i++) {
                re[i] = x[t * HOP + i] * WINDOW[i];
                im[i] = 0;
            }
            Fft.transform(re, im);
            for (int m = 0; m < BANDS; m++) {
                double energy = 0;
                for (int k = 0; k < BINS; k++) {
                    double w = FILTERS[m][k];
                    if (w != 0) {
                        energy += w * (re[k] * re[k] + im[k] * im[k]);
                    }
                }
                out[m][t] = (float) Math.log(energy + FLOOR);
            }
        }
        return out;
    }

    private static double[] hann() {
        double[] w = new double[FRAME];
        for (int i = 0; i < FRAME; i++) {
            w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / FRAME);   // periodic: divides by N, not N - 1
        }
        return w;
    }

    private static double mel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    private static double hz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    private static double[][] melFilters() {
        double[] edges = new double[BANDS + 2];
        double top = mel(SAMPLE_RATE / 2.0);
        for (int i = 0; i < edges.length; i++) {
            edges[i] = hz(top * i / (BANDS + 1));
        }
        double[][] f = new double[BANDS][BINS];
        for (int m = 0; m < BANDS; m++) {
            for (int k = 0; k < BINS; k++) {
                double freq = (double) k * SAMPLE_RATE / FRAME;
                double up = (freq - edges[m]) / (edges[m + 1] - edges[m]);
                double down = (edges[m + 2] - freq) / (edges[m + 2] - edges[m + 1]);
                f[m][k] = Math.max(0, Math.min(up, down));
            }
        }
        return f;
    }
}
