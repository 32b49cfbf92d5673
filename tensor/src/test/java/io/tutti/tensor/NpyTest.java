package io.tutti.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static io.tutti.tensor.SafetensorsTest.bytes;
import static io.tutti.tensor.SafetensorsTest.concat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NpyTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------------ writing and round trips

    @Test
    void roundTripsEachWrittenDtypeIncludingScalarsAndEmptyArrays() throws IOException {
        Tensor[] tensors = {
            Tensor.of(new float[] {1.5f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.MIN_VALUE, -3e38f}, 2, 3),
            Tensor.of(new double[] {Math.E, -1e300, 4.9e-324}, 3),
            Tensor.of(new int[] {Integer.MIN_VALUE, 0, 7, Integer.MAX_VALUE}, 2, 1, 2),
            Tensor.scalar(2.5),
            Tensor.scalar(-4, DType.INT32),
            Tensor.scalar(0.125, DType.FLOAT64),
            Tensor.zeros(DType.FLOAT64, 0),
            Tensor.zeros(DType.INT32, 3, 0, 2),
        };
        for (Tensor t : tensors) {
            Path file = dir.resolve("t.npy");
            Npy.save(file, t);
            Tensor back = Npy.load(file);
            assertThat(back.dtype()).isEqualTo(t.dtype());
            assertThat(back.shape()).containsExactly(t.shape());
            assertThat(back.toDoubleArray()).containsExactly(t.toDoubleArray());
        }
    }

    @Test
    void writesNumpysVersion1LayoutAlignedTo64Bytes() throws IOException {
        assertPreamble(Tensor.zeros(DType.FLOAT32, 2, 3), "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
        assertPreamble(Tensor.zeros(DType.INT32, 5), "{'descr': '<i4', 'fortran_order': False, 'shape': (5,), }");
        assertPreamble(Tensor.scalar(1, DType.FLOAT64), "{'descr': '<f8', 'fortran_order': False, 'shape': (), }");
    }

    private void assertPreamble(Tensor t, String dict) throws IOException {
        Path file = dir.resolve("layout.npy");
        Npy.save(file, t);
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes).startsWith(0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0);
        int headerLength = Short.toUnsignedInt(buf.getShort(8));
        assertThat((10 + headerLength) % 64).isZero();
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        assertThat(header).startsWith(dict).endsWith("\n");
        assertThat(header.substring(dict.length(), headerLength - 1)).matches(" *");
        assertThat(bytes.length - 10 - headerLength).isEqualTo(t.numel() * t.dtype().byteSize());
    }

    @Test
    void writesNonContiguousTensorsInCOrder() throws IOException {
        Path file = dir.resolve("t.npy");
        Npy.save(file, Tensor.of(new int[] {1, 2, 3, 4, 5, 6}, 2, 3).t());
        Tensor back = Npy.load(file);
        assertThat(back.shape()).containsExactly(3, 2);
        assertThat(back.toIntArray()).containsExactly(1, 4, 2, 5, 3, 6);
    }

    @Test
    void replacesAnExistingFileAtomicallyLeavingNoTemporaryFile() throws IOException {
        Path file = dir.resolve("a.npy");
        Npy.save(file, Tensor.vector(1, 2));
        Npy.save(file, Tensor.vector(3));
        assertThat(Npy.load(file).toFloatArray()).containsExactly(3);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    // ------------------------------------------------------------------ reading what numpy writes

    @Test
    void readsNumpysOwnOutputWithGrowthPadding() throws IOException {
        // np.save of np.arange(6, dtype='<f4').reshape(2, 3) with numpy 2.x: 128-byte preamble.
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        String header = dict + " ".repeat(118 - dict.length() - 1) + "\n";
        Tensor t = Npy.load(npy(1, header, le(6 * 4).putFloat(0).putFloat(1).putFloat(2).putFloat(3).putFloat(4).putFloat(5).array()));
        assertThat(t.dtype()).isEqualTo(DType.FLOAT32);
        assertThat(t.shape()).containsExactly(2, 3);
        assertThat(t.toFloatArray()).containsExactly(0, 1, 2, 3, 4, 5);
    }

    @Test
    void readsEverySupportedDtypeInBothByteOrders() throws IOException {
        assertThat(load("<f8", "(2,)", le(16).putDouble(1.25).putDouble(-2).array()).toDoubleArray()).containsExactly(1.25, -2);
        assertThat(load(">f8", "(2,)", be(16).putDouble(1.25).putDouble(-2).array()).toDoubleArray()).containsExactly(1.25, -2);
        assertThat(load(">f4", "(2,)", be(8).putFloat(0.5f).putFloat(-7f).array()).toFloatArray()).containsExactly(0.5f, -7f);
        assertThat(load("<i4", "(2,)", le(8).putInt(-9).putInt(65536).array()).toIntArray()).containsExactly(-9, 65536);
        assertThat(load(">i4", "(2,)", be(8).putInt(-9).putInt(65536).array()).toIntArray()).containsExactly(-9, 65536);
        assertThat(load("<i8", "(2,)", le(16).putLong(-3).putLong(Integer.MAX_VALUE).array()).toIntArray()).containsExactly(-3, Integer.MAX_VALUE);
        assertThat(load(">i8", "(1,)", be(8).putLong(Integer.MIN_VALUE).array()).toIntArray()).containsExactly(Integer.MIN_VALUE);
        assertThat(load("<i2", "(2,)", le(4).putShort((short) -300).putShort((short) 32767).array()).toIntArray()).containsExactly(-300, 32767);
        assertThat(load(">i2", "(2,)", be(4).putShort((short) -300).putShort((short) 32767).array()).toIntArray()).containsExactly(-300, 32767);
        assertThat(load("<u2", "(1,)", le(2).putShort((short) -1).array()).toIntArray()).containsExactly(65535);
        assertThat(load("<u4", "(1,)", le(4).putInt(123456).array()).toIntArray()).containsExactly(123456);
        assertThat(load("|u1", "(3,)", bytes(0, 128, 255)).toIntArray()).containsExactly(0, 128, 255);
        assertThat(load("|i1", "(2,)", bytes(0x80, 0x7F)).toIntArray()).containsExactly(-128, 127);
        assertThat(load("|b1", "(3,)", bytes(1, 0, 1)).toIntArray()).containsExactly(1, 0, 1);
        assertThat(load("<f2", "(3,)", le(6).putShort((short) 0x3C00).putShort((short) 0x0001).putShort((short) 0xFC00).array())
                .toFloatArray()).containsExactly(1f, 0x1p-24f, Float.NEGATIVE_INFINITY);
        assertThat(load(">f2", "(2,)", be(4).putShort((short) 0xC000).putShort((short) 0x7BFF).array()).toFloatArray())
                .containsExactly(-2f, 65504f);
        assertThat(load("<f2", "(3,)", le(6).array()).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(load("|u1", "(3,)", bytes(0, 0, 0)).dtype()).isEqualTo(DType.INT32);
    }

    @Test
    void readsScalarsEmptyArraysAndPython2Longs() throws IOException {
        Tensor scalar = load("<f4", "()", le(4).putFloat(3.5f).array());
        assertThat(scalar.dim()).isZero();
        assertThat(scalar.item()).isEqualTo(3.5);
        assertThat(load("<i8", "(0, 5)", new byte[0]).shape()).containsExactly(0, 5);
        assertThat(load("<i4", "(2L, 1L)", le(8).putInt(1).putInt(2).array()).shape()).containsExactly(2, 1);
    }

    @Test
    void transposesFortranOrderIntoARowMajorTensor() throws IOException {
        // Element (i, j, k) of a (2, 3, 4) Fortran array sits at i + 2j + 6k.
        ByteBuffer data = be(24 * 8);
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < 3; j++) {
                for (int i = 0; i < 2; i++) {
                    data.putLong(100 * i + 10 * j + k);
                }
            }
        }
        Tensor t = Npy.load(npy(1, "{'descr': '>i8', 'fortran_order': True, 'shape': (2, 3, 4), }\n", data.array()));
        assertThat(t.shape()).containsExactly(2, 3, 4);
        assertThat(t.isContiguous()).isTrue();
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    assertThat(t.get(i, j, k)).isEqualTo(100 * i + 10 * j + k);
                }
            }
        }
        Tensor matrix = Npy.load(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3)}",
                le(24).putFloat(0).putFloat(3).putFloat(1).putFloat(4).putFloat(2).putFloat(5).array()));
        assertThat(matrix.toFloatArray()).containsExactly(0, 1, 2, 3, 4, 5);
        Tensor vector = Npy.load(npy(1, "{'fortran_order': True, 'shape': (2,), 'descr': '<i4'}", le(8).putInt(5).putInt(6).array()));
        assertThat(vector.toIntArray()).containsExactly(5, 6);
    }

    @Test
    void readsVersions2And3Headers() throws IOException {
        byte[] data = le(4).putInt(42).array();
        assertThat(Npy.load(npy(2, "{\"descr\": \"<i4\", \"fortran_order\": False, \"shape\": (1,)}\n", data)).toIntArray())
                .containsExactly(42);
        assertThat(Npy.load(npy(3, "{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }  \n", data)).toIntArray())
                .containsExactly(42);
    }

    // ------------------------------------------------------------------ untrusted files

    @Test
    void rejectsNarrowingThatLosesValues() {
        assertThatThrownBy(() -> load("<i8", "(2,)", le(16).putLong(0).putLong(-3_000_000_000L).array()))
                .isInstanceOf(TensorFileException.class)
                .hasMessageContaining("element 1 = -3000000000 (I64) does not fit in int32");
        assertThatThrownBy(() -> load("|b1", "(2,)", bytes(0, 7)))
                .isInstanceOf(TensorFileException.class)
                .hasMessageContaining("element 1 of a BOOL tensor is byte 7");
    }

    @Test
    void rejectsFilesThatAreNotNpyOrAreCutShort() throws IOException {
        Path notNpy = dir.resolve("x.npy");
        Files.write(notNpy, "PK\u0003\u0004 a zip file".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> Npy.load(notNpy)).isInstanceOf(TensorFileException.class)
                .hasMessage("npy: file " + notNpy + ": not an .npy file: it does not start with \\x93NUMPY");

        Path empty = dir.resolve("empty.npy");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> Npy.load(empty)).hasMessageContaining("not an .npy file");

        Path preamble = dir.resolve("pre.npy");
        Files.write(preamble, bytes(0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 10));
        assertThatThrownBy(() -> Npy.load(preamble)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("is truncated: it has 9 bytes, too few for the version and header length");

        Path header = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n", new byte[0]);
        byte[] cut = Files.readAllBytes(header);
        Files.write(header, java.util.Arrays.copyOf(cut, cut.length - 20));
        assertThatThrownBy(() -> Npy.load(header)).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("is truncated: the header length is 58 bytes but only 38 bytes follow it");

        assertThatThrownBy(() -> load("<f4", "(2, 3)", new byte[20])).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("is truncated: shape [2, 3] of F32 needs 24 bytes of data but only 20 follow the header");
        assertThatThrownBy(() -> load("<f4", "(2,)", new byte[12])).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("12 bytes of data follow the header but shape [2] of F32 needs only 8");
    }

    @Test
    void rejectsUnknownVersions() {
        assertThatThrownBy(() -> Npy.load(npy(4, "{}", new byte[0]))).isInstanceOf(TensorFileException.class)
                .hasMessageContaining("format version 4.0 is not supported");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
        "{'descr': '<c8', 'fortran_order': False, 'shape': (1,)} ; unsupported dtype '<c8'",
        "{'descr': '<U3', 'fortran_order': False, 'shape': (1,)} ; unsupported dtype '<U3'",
        "{'descr': 'O', 'fortran_order': False, 'shape': (1,)} ; unsupported dtype 'O'",
        "{'descr': '', 'fortran_order': False, 'shape': (1,)} ; unsupported dtype ''",
        "{'descr': '|f4', 'fortran_order': False, 'shape': (1,)} ; dtype '|f4' has 4-byte elements but no byte order",
        "{'descr': '=f4', 'fortran_order': False, 'shape': (1,)} ; does not start with a byte order",
        "{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,)} ; structured dtypes are not supported",
        "{'descr': '<f4', 'fortran_order': 0, 'shape': (1,)} ; fortran_order 0 is not True or False",
        "{'descr': '<f4', 'fortran_order': False, 'shape': [1]} ; shape [1] is not a tuple",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1)} ; shape 1 is not a tuple",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)} ; shape (-1,) has entry -1, which is not an integer in [0, 2^31-1]",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296,)} ; which is not an integer in [0, 2^31-1]",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536)} ; more elements than a Tensor can hold",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)} ; out of range",
        "{'descr': '<f4', 'fortran_order': False} ; not a dict with exactly the keys",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'extra': 1} ; not a dict with exactly the keys",
        "['descr', '<f4'] ; not a dict with exactly the keys",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), ; expected a value",
        "{'descr': '<f4' 'fortran_order': False, 'shape': (1,)} ; expected ',' or '}'",
        "{'descr': '<f4', 'fortran_order': false, 'shape': (1,)} ; unexpected name 'false'",
        "{'descr': '<f4, 'fortran_order': False, 'shape': (1,)} ; expected ',' or '}'",
        "{'descr': '<f4', 'descr': '<f4', 'shape': (1,)} ; duplicate key 'descr'",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (1,)} trailing ; after the end of the literal",
        "{'descr': '<f4', 'fortran_order': False, 'shape': ((((((((((((((((((((((((((((((((((1,),),),),),),),),),),),),),),),),),),),),),),),),),),),),),),),),),)} ; nesting deeper than 32",
    })
    void rejectsBadHeadersClearly(String header, String expected) throws IOException {
        Path file = npy(1, header + "\n", new byte[4]);
        assertThatThrownBy(() -> Npy.load(file))
                .isInstanceOf(TensorFileException.class)
                .hasMessageStartingWith("npy: file " + file + ": ")
                .hasMessageContaining(expected);
    }

    // ------------------------------------------------------------------ helpers

    private Tensor load(String descr, String shape, byte[] data) throws IOException {
        return Npy.load(npy(1, "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n", data));
    }

    /** An .npy file with the given version, header text (unpadded) and data. */
    private Path npy(int major, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        ByteBuffer preamble = le(major == 1 ? 10 : 12).put(bytes(0x93, 'N', 'U', 'M', 'P', 'Y', major, 0));
        if (major == 1) {
            preamble.putShort((short) h.length);
        } else {
            preamble.putInt(h.length);
        }
        Path file = Files.createTempFile(dir, "fixture", ".npy");
        Files.write(file, concat(preamble.array(), h, data));
        return file;
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer be(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.BIG_ENDIAN);
    }
}
