package io.tutti.tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SafetensorsTest {
    @TempDir
    Path dir;

    // ------------------------------------------------------------------ round trips

    @Test
    void roundTripKeepsEveryDtypeShapeValueOrderAndMetadata() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("zeta.weight", Tensor.of(new float[] {1.5f, -2f, Float.MIN_VALUE, Float.NaN, Float.NEGATIVE_INFINITY, 3e38f}, 2, 3));
        tensors.put("alpha", Tensor.of(new double[] {Math.PI, -0.0, 1e-300}, 3));
        tensors.put("labels", Tensor.of(new int[] {Integer.MIN_VALUE, -1, 0, Integer.MAX_VALUE}, 2, 1, 2));
        tensors.put("scalar", Tensor.scalar(7.25, DType.FLOAT64));
        tensors.put("int scalar", Tensor.scalar(-3, DType.INT32));
        tensors.put("empty", Tensor.zeros(DType.FLOAT32, 0, 4));
        tensors.put("ünïcode \"quoted\" \\ name", Tensor.vector(9f));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("note", "line\nbreak \"quoted\" \u0001 ∑");
        Path file = dir.resolve("model.safetensors");

        Safetensors.save(file, tensors, metadata);

        LinkedHashMap<String, Tensor> back = Safetensors.load(file);
        assertThat(back.keySet()).containsExactlyElementsOf(tensors.keySet());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor expected = e.getValue();
            Tensor actual = back.get(e.getKey());
            assertThat(actual.dtype()).as(e.getKey()).isEqualTo(expected.dtype());
            assertThat(actual.shape()).as(e.getKey()).containsExactly(expected.shape());
            assertThat(actual.toDoubleArray()).as(e.getKey()).containsExactly(expected.toDoubleArray());
        }
        assertThat(Double.doubleToRawLongBits(back.get("alpha").get(1))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(Safetensors.metadata(file)).containsExactlyEntriesOf(metadata);
    }

    @Test
    void savesNonContiguousViewsInRowMajorOrder() throws IOException {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("t", x.t());
        tensors.put("row", x.select(0, 1));
        tensors.put("expanded", Tensor.vector(1, 2).expand(3, 2));
        Path file = dir.resolve("views.safetensors");

        Safetensors.save(file, tensors);

        Map<String, Tensor> back = Safetensors.load(file);
        assertThat(back.get("t").shape()).containsExactly(3, 2);
        assertThat(back.get("t").toFloatArray()).containsExactly(1, 4, 2, 5, 3, 6);
        assertThat(back.get("row").toFloatArray()).containsExactly(4, 5, 6);
        assertThat(back.get("expanded").toFloatArray()).containsExactly(1, 2, 1, 2, 1, 2);
    }

    @Test
    void writesTheStandardLayoutByteForByte() throws IOException {
        Path file = dir.resolve("tiny.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b", Tensor.of(new int[] {1, -2}, 2));
        tensors.put("a", Tensor.scalar(1.0f));
        Safetensors.save(file, tensors, Map.of("k", "v"));

        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        String json = "{\"__metadata__\":{\"k\":\"v\"},\"b\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[8,12]}}";
        assertThat(n % 8).isZero();
        assertThat(header.stripTrailing()).isEqualTo(json);
        assertThat(header.substring(json.length())).matches(" *");
        buf.position(8 + (int) n);
        assertThat(buf.getInt()).isEqualTo(1);
        assertThat(buf.getInt()).isEqualTo(-2);
        assertThat(buf.getFloat()).isEqualTo(1.0f);
        assertThat(buf.hasRemaining()).isFalse();
    }

    @Test
    void savesAnEmptyMapAsAValidFile() throws IOException {
        Path file = dir.resolve("none.safetensors");
        Safetensors.save(file, Map.of());
        assertThat(Safetensors.load(file)).isEmpty();
        assertThat(Files.size(file)).isEqualTo(16); // length + "{}" padded to 8
    }

    @Test
    void readsOneTensorOnDemandAndDescribesTheOthers() throws IOException {
        Path file = dir.resolve("two.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("big", Tensor.zeros(DType.FLOAT64, 100, 10));
        tensors.put("small", Tensor.of(new int[] {4, 5, 6}, 3));
        Safetensors.save(file, tensors);

        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.names()).containsExactly("big", "small");
            assertThat(f.contains("small")).isTrue();
            assertThat(f.dtypeOnDisk("big")).isEqualTo(FileDType.F64);
            SafetensorsFile.Entry e = f.entry("small");
            assertThat(e.shape()).containsExactly(3);
            assertThat(e.begin()).isEqualTo(8000);
            assertThat(e.end()).isEqualTo(8012);
            assertThat(f.tensor("small").toIntArray()).containsExactly(4, 5, 6);
            assertThat(f.metadata()).isEmpty();
            assertThatThrownBy(() -> f.tensor("missing"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no tensor 'missing'")
                    .hasMessageContaining("'big', 'small'");
        }
        assertThat(Safetensors.load(file, "small").toIntArray()).containsExactly(4, 5, 6);
    }

    @Test
    void saveRejectsTheReservedNameAndBadStrings() {
        Path file = dir.resolve("bad.safetensors");
        assertThatThrownBy(() -> Safetensors.save(file, Map.of("__metadata__", Tensor.scalar(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> Safetensors.save(file, Map.of("bad\uD800", Tensor.scalar(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unpaired surrogate");
        assertThat(file).doesNotExist();
    }

    @Test
    void anInterruptedSaveLeavesThePreviousFileAndNoTemporaryFile() throws IOException {
        Path file = dir.resolve("ckpt.safetensors");
        Safetensors.save(file, Map.of("w", Tensor.vector(1, 2, 3)));
        byte[] before = Files.readAllBytes(file);

        Map<String, Tensor> failing = new LinkedHashMap<>() {
            @Override
            public Collection<Tensor> values() {
                // The header is written from entrySet(); failing here interrupts the data section.
                return List.of(Tensor.vector(4, 5, 6), failingTensor());
            }
        };
        failing.put("w", Tensor.vector(4, 5, 6));
        failing.put("v", Tensor.vector(7));
        assertThatThrownBy(() -> Safetensors.save(file, failing)).hasMessageContaining("simulated");

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        Safetensors.save(file, Map.of("w", Tensor.vector(8)));
        assertThat(Safetensors.load(file).get("w").toFloatArray()).containsExactly(8);
    }

    private static Tensor failingTensor() {
        throw new IllegalStateException("simulated failure while writing");
    }

    // ------------------------------------------------------------------ dtypes converted on read

    @Test
    void convertsSmallIntegerAndBoolTypesToInt32() throws IOException {
        Path file = raw(dir, "{\"u8\":{\"dtype\":\"U8\",\"shape\":[3],\"data_offsets\":[0,3]},"
                        + "\"i8\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[3,5]},"
                        + "\"b\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[5,8]},"
                        + "\"i16\":{\"dtype\":\"I16\",\"shape\":[3],\"data_offsets\":[8,14]},"
                        + "\"u16\":{\"dtype\":\"U16\",\"shape\":[1],\"data_offsets\":[14,16]}}",
                bytes(0, 127, 255, 0x80, 0xFF, 1, 0, 1, 0x00, 0x80, 0xFF, 0xFF, 0x39, 0x30, 0xFF, 0xFF));
        Map<String, Tensor> t = Safetensors.load(file);
        assertThat(t.get("u8").toIntArray()).containsExactly(0, 127, 255);
        assertThat(t.get("i8").toIntArray()).containsExactly(-128, -1);
        assertThat(t.get("b").toIntArray()).containsExactly(1, 0, 1);
        assertThat(t.get("i16").toIntArray()).containsExactly(-32768, -1, 12345);
        assertThat(t.get("u16").toIntArray()).containsExactly(65535);
        assertThat(t.values()).allSatisfy(x -> assertThat(x.dtype()).isEqualTo(DType.INT32));
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.dtypeOnDisk("u8")).isEqualTo(FileDType.U8);
            assertThat(f.entry("i16").dtype()).isEqualTo(DType.INT32);
        }
    }

    @Test
    void narrowsWideIntegersOnlyWhenTheyFit() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(-5).putLong(Integer.MAX_VALUE).putInt(7).putInt(0x7FFFFFFF);
        Path fits = raw(dir, "{\"i64\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]},"
                + "\"u32\":{\"dtype\":\"U32\",\"shape\":[2],\"data_offsets\":[16,24]}}", data.array());
        Map<String, Tensor> t = Safetensors.load(fits);
        assertThat(t.get("i64").toIntArray()).containsExactly(-5, Integer.MAX_VALUE);
        assertThat(t.get("u32").toIntArray()).containsExactly(7, Integer.MAX_VALUE);

        Path tooBig = raw(dir, "{\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}",
                ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1).putLong(3_000_000_000L).array());
        assertThatThrownBy(() -> Safetensors.load(tooBig))
                .isInstanceOf(TensorFileException.class)
                .hasMessageContaining(tooBig.toString())
                .hasMessageContaining("tensor 'ids'")
                .hasMessageContaining("element 1 = 3000000000 (I64) does not fit in int32");

        assertThatThrownBy(() -> Safetensors.load(raw(dir, "{\"u\":{\"dtype\":\"U32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                bytes(0x00, 0x00, 0x00, 0x80)))).hasMessageContaining("element 0 = 2147483648 (U32) does not fit");
        assertThatThrownBy(() -> Safetensors.load(raw(dir, "{\"u\":{\"dtype\":\"U64\",\"shape\":[1],\"data_offsets\":[0,8]}}",
                bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF)))).hasMessageContaining("18446744073709551615 (U64)");
    }

    @Test
    void rejectsBoolBytesOtherThanZeroAndOne() {
        assertThatThrownBy(() -> Safetensors.load(raw(dir, "{\"m\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[0,2]}}",
                bytes(1, 2)))).isInstanceOf(TensorFileException.class).hasMessageContaining("element 1 of a BOOL tensor is byte 2");
    }

    @Test
    void widensHalfAndBfloat16OnKnownBitPatterns() throws IOException {
        int[] half = {0x3C00, 0xC000, 0x7BFF, 0x0400, 0x03FF, 0x0001, 0x8001, 0x0000, 0x8000, 0x7C00, 0xFC00, 0x7E00, 0x3555};
        float[] halfValues = {1f, -2f, 65504f, 0x1p-14f, 1023 * 0x1p-24f, 0x1p-24f, -0x1p-24f, 0f, -0f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0.333251953125f};
        int[] bf16 = {0x3F80, 0x4049, 0xC2F7, 0x0001, 0x0080, 0x7F80, 0xFF80, 0x7FC0, 0x8000};
        float[] bf16Values = {1f, 3.140625f, -123.5f, Float.intBitsToFloat(0x00010000), 0x1p-126f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, -0f};
        ByteBuffer data = ByteBuffer.allocate(2 * (half.length + bf16.length)).order(ByteOrder.LITTLE_ENDIAN);
        for (int h : half) {
            data.putShort((short) h);
        }
        for (int b : bf16) {
            data.putShort((short) b);
        }
        Path file = raw(dir, "{\"h\":{\"dtype\":\"F16\",\"shape\":[" + half.length + "],\"data_offsets\":[0," + 2 * half.length + "]},"
                + "\"bf\":{\"dtype\":\"BF16\",\"shape\":[" + bf16.length + "],\"data_offsets\":[" + 2 * half.length + ","
                + data.capacity() + "]}}", data.array());

        Map<String, Tensor> t = Safetensors.load(file);
        assertThat(t.get("h").dtype()).isEqualTo(DType.FLOAT32);
        assertSameFloats(t.get("h").toFloatArray(), halfValues);
        assertSameFloats(t.get("bf").toFloatArray(), bf16Values);
    }

    @Test
    void widensEveryHalfBitPatternToItsDefinedValue() {
        for (int bits = 0; bits < 0x10000; bits++) {
            int sign = bits >>> 15;
            int exponent = (bits >>> 10) & 0x1F;
            int mantissa = bits & 0x3FF;
            double magnitude = exponent == 0 ? mantissa * Math.pow(2, -24)
                    : exponent == 31 ? (mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
                    : (1 + mantissa / 1024.0) * Math.pow(2, exponent - 15);
            float expected = (float) (sign == 1 ? -magnitude : magnitude);
            float actual = io.tutti.tensor.io.HalfFloats.halfToFloat(bits);
            if (Double.isNaN(magnitude)) {
                assertThat(actual).as("bits %04x", bits).isNaN();
            } else {
                assertThat(Float.floatToIntBits(actual)).as("bits %04x", bits).isEqualTo(Float.floatToIntBits(expected));
            }
        }
    }

    private static void assertSameFloats(float[] actual, float[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            // Bit equality distinguishes -0 from 0; any NaN matches any NaN.
            if (Float.isNaN(expected[i])) {
                assertThat(actual[i]).as("element %d", i).isNaN();
            } else {
                assertThat(Float.floatToIntBits(actual[i])).as("element %d: %s vs %s", i, actual[i], expected[i])
                        .isEqualTo(Float.floatToIntBits(expected[i]));
            }
        }
    }

    // ------------------------------------------------------------------ untrusted files

    @Test
    void rejectsFilesTooShortForTheHeaderLength() throws IOException {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, bytes(1, 0, 0));
        assertThatThrownBy(() -> Safetensors.load(file))
                .isInstanceOf(TensorFileException.class)
                .hasMessage("safetensors: file " + file + " is truncated: it has 3 bytes, fewer than the 8-byte header length");
    }

    @Test
    void rejectsAHeaderLengthBeyondTheFile() throws IOException {
        byte[] header = "{}      ".getBytes(StandardCharsets.US_ASCII);
        Path file = dir.resolve("long.safetensors");
        Files.write(file, concat(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(100).array(), header));
        assertThatThrownBy(() -> Safetensors.load(file))
                .isInstanceOf(TensorFileException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("is truncated: the header length is 100 bytes but only 8 bytes follow it");

        Files.write(file, concat(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF), header));
        assertThatThrownBy(() -> Safetensors.load(file)).hasMessageContaining("header length is 18446744073709551615 bytes");
    }

    @Test
    void rejectsAnAbsurdHeaderLengthWithoutAllocatingIt() throws IOException {
        Path file = dir.resolve("sparse.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(SafetensorsHeader.MAX_HEADER_BYTES + 64); // sparse: no data written
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(SafetensorsHeader.MAX_HEADER_BYTES + 8).array());
        }
        assertThatThrownBy(() -> Safetensors.load(file))
                .isInstanceOf(TensorFileException.class)
                .hasMessageContaining("header length 100000008 exceeds the limit of 100000000 bytes");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},}  | expected a string key at character 54",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}        | expected ',' or '}' at character 53",
        "[1, 2]                                                           | header is a JSON array, not an object",
        "{'a': 1}                                                         | expected a string key at character 1",
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{}} | duplicate key \"a\"",
        "{\"a\":NaN}                                                      | expected a value at character 5",
        "{\"a\":01}                                                       | leading zero",
        "{\"a\":\"\\x\"}                                                    | invalid escape",
        "{\"a\":\"\\ud800\"}                                                | unpaired surrogate",
        "{\"a\":{}} garbage                                               | after the end of the JSON value",
        "{\"a\":                                                          | unexpected end of text",
        "{\"a\":\"unterminated                                            | unterminated string",
        "``                                                               | unexpected end of text, expected a value",
        "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]} | nesting deeper than 64",
    })
    void rejectsInvalidJsonWithThePosition(String header, String expected) throws IOException {
        Path file = raw(dir, header, new byte[4]);
        assertThatThrownBy(() -> Safetensors.load(file))
                .isInstanceOf(TensorFileException.class)
                .hasMessageStartingWith("safetensors: file " + file + ": ")
                .hasMessageContaining(expected);
    }

    @Test
    void rejectsAHeaderThatIsNotUtf8() throws IOException {
        byte[] header = concat("{\"".getBytes(StandardCharsets.US_ASCII), bytes(0xC3, 0x28), "\":1}".getBytes(StandardCharsets.US_ASCII));
        Path file = dir.resolve("latin.safetensors");
        Files.write(file, concat(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array(), header));
        assertThatThrownBy(() -> Safetensors.load(file)).isInstanceOf(TensorFileException.class).hasMessageContaining("not valid UTF-8");
    }

    @Test
    void reportsATruncatedDataSectionNamingTheTensorAndTheBytes() throws IOException {
        Path file = raw(dir, "{\"label\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[0,2]},"
                + "\"image\":{\"dtype\":\"U8\",\"shape\":[2,4],\"data_offsets\":[2,10]}}", new byte[6]);
        assertThatThrownBy(() -> Safetensors.load(file))
                .isInstanceOf(TensorFileException.class)
                .hasMessage("safetensors: file " + file + " is truncated: tensor 'image' needs bytes [2, 10) but the data section has 6");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // offsets in range but overlapping
        "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}"
            + "| 12 | tensors 'a' [0, 8) and 'b' [4, 12) overlap",
        // a hole between tensors
        "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}"
            + "| 12 | bytes [4, 8) of the data section belong to no tensor",
        // trailing bytes
        "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]} | 12 | the data section has 12 bytes but the tensors cover only the first 4",
        // byte count that does not match dtype and shape
        "\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]} | 20 | tensor 'a' has dtype F32 and shape [2, 3], which need 24 bytes, but its data_offsets [0, 20] span 20 bytes",
        "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,4]} | 8 | data_offsets [8, 4] end before they begin",
        "\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[1],\"data_offsets\":[0,1]} | 1 | tensor 'a' has unknown or unsupported dtype 'F8_E4M3'",
        "\"a\":{\"dtype\":7,\"shape\":[1],\"data_offsets\":[0,1]} | 1 | tensor 'a': dtype is a JSON number, not a string",
        "\"a\":{\"dtype\":\"U8\",\"shape\":[-1],\"data_offsets\":[0,1]} | 1 | shape [-1] has entry -1, which is not a non-negative integer",
        "\"a\":{\"dtype\":\"U8\",\"shape\":[1.0],\"data_offsets\":[0,1]} | 1 | shape [1.0] has entry 1.0, which is not a non-negative integer",
        "\"a\":{\"dtype\":\"U8\",\"shape\":[3000000000],\"data_offsets\":[0,1]} | 1 | has a dimension above 2^31-1",
        "\"a\":{\"dtype\":\"U8\",\"shape\":[65536,65536,0],\"data_offsets\":[0,0]} | 0 | more elements than a Tensor can hold",
        "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1,2]} | 2 | data_offsets [0, 1, 2] has 3 entries, not 2",
        "\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,99999999999999999999]} | 1 | which is not a non-negative integer",
        "\"a\":{\"dtype\":\"U8\",\"shape\":[1]} | 1 | tensor 'a' has no \"data_offsets\" field",
        "\"a\":{\"shape\":[1],\"data_offsets\":[0,1]} | 1 | tensor 'a' has no \"dtype\" field",
        "\"a\":[1] | 1 | tensor 'a' is described by a JSON array, not an object",
        "\"a\":{\"dtype\":\"U8\",\"shape\":{},\"data_offsets\":[0,1]} | 1 | tensor 'a': shape is a JSON object, not an array of integers",
        "\"__metadata__\":{\"epoch\":3} | 0 | __metadata__ entry 'epoch' is a JSON number, but metadata values must be strings",
        "\"__metadata__\":[] | 0 | __metadata__ is a JSON array, not an object of strings",
    })
    void rejectsInconsistentEntries(String entries, int dataBytes, String expected) throws IOException {
        Path file = raw(dir, "{" + entries + "}", new byte[dataBytes]);
        assertThatThrownBy(() -> Safetensors.load(file))
                .isInstanceOf(TensorFileException.class)
                .hasMessageStartingWith("safetensors: file " + file)
                .hasMessageContaining(expected);
    }

    @Test
    void acceptsUnknownFieldsAndZeroSizedTensorsAnywhere() throws IOException {
        Path file = raw(dir, "{\"e\":{\"dtype\":\"F64\",\"shape\":[0],\"data_offsets\":[0,0],\"future\":true},"
                + "\"x\":{\"dtype\":\"U8\",\"shape\":[],\"data_offsets\":[0,1]},"
                + "\"e2\":{\"dtype\":\"I64\",\"shape\":[3,0],\"data_offsets\":[1,1]}}", bytes(42));
        Map<String, Tensor> t = Safetensors.load(file);
        assertThat(t.get("e").shape()).containsExactly(0);
        assertThat(t.get("e2").shape()).containsExactly(3, 0);
        assertThat(t.get("x").dim()).isZero();
        assertThat(t.get("x").item()).isEqualTo(42);
    }

    // ------------------------------------------------------------------ real data

    @Test
    void readsTheAvMnistGoldenValues() throws IOException {
        Path file = SharedData.require("avmnist/avmnist.safetensors");
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.names()).contains("image", "audio_logmel", "label", "split_speaker", "split_official", "speaker");
            assertThat(f.dtypeOnDisk("image")).isEqualTo(FileDType.U8);
            assertThat(f.dtypeOnDisk("audio_logmel")).isEqualTo(FileDType.F32);

            Tensor label = f.tensor("label");
            assertThat(label.shape()).containsExactly(3000);
            assertThat(label.get(0)).isEqualTo(6);
            assertThat(f.tensor("speaker").get(0)).isEqualTo(1);
            assertThat(f.tensor("split_speaker").get(0)).isEqualTo(0);

            Tensor logmel = f.tensor("audio_logmel");
            assertThat(logmel.shape()).containsExactly(3000, 40, 63);
            assertThat(logmel.get(0, 0, 0)).isCloseTo(-12.3767395, within(1e-6));
            assertThat(logmel.get(0, 20, 10)).isCloseTo(-0.5679028, within(1e-6));
            double sum = 0;
            for (double v : logmel.select(0, 0).toDoubleArray()) {
                sum += v;
            }
            assertThat(sum).isCloseTo(-18463.66, within(0.01));

            Tensor image = f.tensor("image");
            assertThat(image.shape()).containsExactly(3000, 28, 28);
            long pixels = 0;
            for (int v : image.select(0, 0).toIntArray()) {
                pixels += v;
            }
            assertThat(pixels).isEqualTo(17257);
        }
    }

    @Test
    void readsTheFsddPcmGoldenValues() throws IOException {
        Path file = SharedData.require("fsdd/fsdd-pcm16.safetensors");
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            assertThat(f.names()).containsExactly("pcm");
            assertThat(f.dtypeOnDisk("pcm")).isEqualTo(FileDType.I16);
            Tensor pcm = f.tensor("pcm");
            assertThat(pcm.shape()).containsExactly(10_498_424);
            assertThat(pcm.narrow(0, 0, 4).toIntArray()).containsExactly(-1489, -962, -606, 163);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A safetensors file with the given header text (length prefix added, no padding) and data section. */
    static Path raw(Path dir, String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path file = Files.createTempFile(dir, "raw", ".safetensors");
        Files.write(file, concat(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array(), h, data));
        return file;
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        ByteBuffer out = ByteBuffer.allocate(n);
        for (byte[] p : parts) {
            out.put(p);
        }
        return out.array();
    }
}
