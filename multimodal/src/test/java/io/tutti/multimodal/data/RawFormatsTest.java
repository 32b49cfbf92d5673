package io.tutti.multimodal.data;

import io.tutti.tensor.Safetensors;
import io.tutti.tensor.SafetensorsFile;
import io.tutti.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The raw-format readers and the log-mel recipe against the golden values of shared/data/README.md. */
class RawFormatsTest {

    @Test
    void mnistIdxFilesMatchTheirGoldenValues() throws IOException {
        Tensor trainImages = IdxReader.read(TestData.require("mnist/train10k-images-idx3-ubyte.gz"));
        Tensor trainLabels = IdxReader.read(TestData.require("mnist/train10k-labels-idx1-ubyte.gz"));
        Tensor testImages = IdxReader.read(TestData.require("mnist/t10k-images-idx3-ubyte.gz"));
        Tensor testLabels = IdxReader.read(TestData.require("mnist/t10k-labels-idx1-ubyte.gz"));
        assertThat(trainImages.shape()).containsExactly(10000, 28, 28);
        assertThat(trainLabels.shape()).containsExactly(10000);
        assertThat(trainLabels.get(0)).isEqualTo(5);
        assertThat(testLabels.get(0)).isEqualTo(7);
        assertThat(trainImages.select(0, 0).sum().item()).isEqualTo(27525);
        assertThat(testImages.select(0, 0).sum().item()).isEqualTo(18454);
    }

    @Test
    void idxRejectsBadHeadersAndTruncation() {
        byte[] header = {0, 0, 8, 1, 0, 0, 0, 5, 1, 2};
        assertThatThrownBy(() -> IdxReader.read(new ByteArrayInputStream(header), "t")).hasMessageContaining("truncated")
                .hasMessageContaining("needs 5 bytes");
        byte[] floats = {0, 0, 0x0D, 1, 0, 0, 0, 1};
        assertThatThrownBy(() -> IdxReader.read(new ByteArrayInputStream(floats), "t")).hasMessageContaining("only unsigned bytes");
        assertThatThrownBy(() -> IdxReader.read(new ByteArrayInputStream(new byte[] {1, 2}), "t")).hasMessageContaining("too short");
    }

    @Test
    void logMelReproducesTheStoredFeatures() throws IOException {
        Path avmnist = TestData.require("avmnist/avmnist.safetensors");
        Path pcmFile = TestData.require("fsdd/fsdd-pcm16.safetensors");
        List<String> pairs = Files.readAllLines(TestData.require("avmnist/avmnist-pairs.csv"));
        List<String> index = Files.readAllLines(TestData.require("fsdd/fsdd-index.csv"));
        Tensor logmel = Safetensors.load(avmnist, "audio_logmel");
        try (SafetensorsFile pcm = SafetensorsFile.open(pcmFile)) {
            Tensor samples = pcm.tensor("pcm");
            assertThat(samples.numel()).isEqualTo(10_498_424);
            assertThat(samples.narrow(0, 0, 4).toIntArray()).containsExactly(-1489, -962, -606, 163);
            // Pair 0 (the README's golden pair), a clip longer than 8192 samples, and a spread of others.
            for (int pair : new int[] {0, 1, 7, 500, 1234, 2999}) {
                int audioId = Integer.parseInt(pairs.get(pair + 1).split(",")[4]);
                String[] row = index.get(audioId + 1).split(",");
                int offset = Integer.parseInt(row[5]);
                int length = Integer.parseInt(row[6]);
                int[] pcm16 = samples.narrow(0, offset, length).toIntArray();
                double[] x = new double[pcm16.length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = pcm16[i] / 32768.0;
                }
                float[][] features = LogMel.compute(x);
                float[] stored = logmel.select(0, pair).toFloatArray();
                for (int m = 0; m < LogMel.BANDS; m++) {
                    for (int t = 0; t < LogMel.FRAMES; t++) {
                        assertThat(features[m][t]).as("pair %d band %d frame %d", pair, m, t)
                                .isCloseTo(stored[m * LogMel.FRAMES + t], within(1e-4f));
                    }
                }
            }
        }
        assertThat(logmel.get(0, 0, 0)).isCloseTo(-12.3767395, within(1e-6));
        assertThat(logmel.get(0, 20, 10)).isCloseTo(-0.5679028, within(1e-6));
    }

    @Test
    void wavReaderDecodesPcm16AndRejectsWhatItCannotRead() throws IOException {
        short[] pcm = {0, 16384, -32768, 32767};
        byte[] wav = wav(1, 16, 8000, pcm);
        WavReader.Audio audio = WavReader.parse(wav, "t.wav");
        assertThat(audio.sampleRate()).isEqualTo(8000);
        assertThat(audio.samples()).containsExactly(0, 0.5, -1, 32767 / 32768.0);
        assertThatThrownBy(() -> WavReader.parse(wav(2, 16, 8000, pcm), "s.wav")).hasMessageContaining("only mono 16-bit");
        byte[] cut = java.util.Arrays.copyOf(wav, wav.length - 3);
        assertThatThrownBy(() -> WavReader.parse(cut, "cut.wav")).hasMessageContaining("truncated");
        assertThatThrownBy(() -> WavReader.parse(new byte[] {'R', 'I', 'F', 'F'}, "x.wav")).hasMessageContaining("not a RIFF/WAVE");
    }

    @Test
    void fftMatchesTheDefinition() {
        int n = 16;
        double[] re = new double[n];
        double[] im = new double[n];
        for (int i = 0; i < n; i++) {
            re[i] = Math.sin(i * 0.7) + i % 3;
            im[i] = Math.cos(i * 1.3);
        }
        double[] r0 = re.clone();
        double[] i0 = im.clone();
        Fft.transform(re, im);
        for (int k = 0; k < n; k++) {
            double sr = 0;
            double si = 0;
            for (int t = 0; t < n; t++) {
                double a = -2 * Math.PI * k * t / n;
                sr += r0[t] * Math.cos(a) - i0[t] * Math.sin(a);
                si += r0[t] * Math.sin(a) + i0[t] * Math.cos(a);
            }
            assertThat(re[k]).isCloseTo(sr, within(1e-9));
            assertThat(im[k]).isCloseTo(si, within(1e-9));
        }
    }

    private static byte[] wav(int channels, int bits, int rate, short[] pcm) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * pcm.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        b.put("data".getBytes()).putInt(2 * pcm.length);
        for (short s : pcm) {
            b.putShort(s);
        }
        return b.array();
    }
}
