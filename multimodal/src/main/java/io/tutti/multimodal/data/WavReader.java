package io.tutti.multimodal.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads uncompressed PCM16 WAV files (RIFF/WAVE with a {@code fmt } and a {@code data} chunk), the
 * format of the Free Spoken Digit Dataset. Multi-channel audio is rejected rather than silently
 * mixed. Every chunk length is checked against the file, so a corrupt or truncated file gets a
 * clear error instead of a wrong answer.
 */
public final class WavReader {
    private WavReader() {
    }

    /** The decoded audio: samples in [-1, 1) (int16 / 32768) and the sample rate in Hz. */
    public record Audio(double[] samples, int sampleRate) {
    }

    public static Audio read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    static Audio parse(byte[] bytes, String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 12 || !tag(bytes, 0, "RIFF") || !tag(bytes, 8, "WAVE")) {
            throw new IOException("wav: " + name + " is not a RIFF/WAVE file");
        }
        int pos = 12;
        int channels = -1;
        int rate = -1;
        int bits = -1;
        while (pos + 8 <= bytes.length) {
            String id = new String(bytes, pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
            long size = b.getInt(pos + 4) & 0xFFFFFFFFL;
            int body = pos + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + size > bytes.length) {
                    throw new IOException("wav: " + name + " has a malformed fmt chunk of " + size + " bytes");
                }
                int format = b.getShort(body) & 0xffff;
                channels = b.getShort(body + 2) & 0xffff;
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14) & 0xffff;
                if (format != 1) {
                    throw new IOException("wav: " + name + " uses format " + format + "; only uncompressed PCM (1) is supported");
                }
            } else if (id.equals("data")) {
                if (channels < 0) {
                    throw new IOException("wav: " + name + " has a data chunk before its fmt chunk");
                }
                if (channels != 1 || bits != 16) {
                    throw new IOException("wav: " + name + " is " + channels + "-channel " + bits + "-bit; only mono 16-bit PCM is supported");
                }
                if (rate <= 0) {
                    throw new IOException("wav: " + name + " declares sample rate " + rate);
                }
                if (body + size > bytes.length) {
                    throw new IOException("wav: " + name + " is truncated: the data chunk declares " + size + " bytes but "
                            + (bytes.length - body) + " remain");
                }
                double[] samples = new double[(int) (size / 2)];
                for (int i = 0; i < samples.length; i++) {
                    samples[i] = b.getShort(body + 2 * i) / 32768.0;
                }
                return new Audio(samples, rate);
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1));   // chunks are padded to even length
        }
        throw new IOException("wav: " + name + " has no data chunk");
    }

    private static boolean tag(byte[] bytes, int at, String tag) {
        for (int i = 0; i < 4; i++) {
            if (bytes[at + i] != tag.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
