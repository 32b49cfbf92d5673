package io.tutti.multimodal.report;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {
    @Test
    void writesAndReadsBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a \"q\"\n\\");
        m.put("n", 0.125);
        m.put("i", 3);
        m.put("nan", Double.NaN);
        m.put("l", List.of(List.of(0.0, 0.5), List.of(0.1, 0.25)));
        m.put("b", true);
        m.put("m", new int[][] {{1, 2}, {3, 4}});
        String text = Json.write(m);
        @SuppressWarnings("unchecked")
        Map<String, Object> back = (Map<String, Object>) Json.parse(text);
        assertThat(back.get("s")).isEqualTo("a \"q\"\n\\");
        assertThat(back.get("n")).isEqualTo(0.125);
        assertThat(back.get("i")).isEqualTo(3.0);
        assertThat(back.get("nan")).isNull();
        assertThat(back.get("l")).isEqualTo(List.of(List.of(0.0, 0.5), List.of(0.1, 0.25)));
        assertThat(back.get("m")).isEqualTo(List.of(List.of(1.0, 2.0), List.of(3.0, 4.0)));
        assertThat(back.keySet()).containsExactly("s", "n", "i", "nan", "l", "b", "m");
        assertThatThrownBy(() -> Json.parse("{\"a\": }")).hasMessageContaining("character");
    }
}
