package io.jitbroker.policy.domain.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.StringReader;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Node;

class YamlFieldsTest {

    private static final Set<String> KEYS = Set.of("name", "ids", "limit");

    @Test
    void shouldKeepEachDistinctValueOnceInOrderWhenListRepeatsOne() {
        // given
        YamlFields fields = fields("ids: [b, a, b]\n");

        // when
        List<String> ids = fields.requiredDistinctStrings("ids", text -> text.toUpperCase(Locale.ROOT));

        // then
        assertEquals(List.of("B", "A"), ids);
    }

    @Test
    void shouldNameTheItemAndItsLineWhenConversionFails() {
        // given
        YamlFields fields = fields("name: x\nids:\n  - good\n  - bad\n");

        // when
        YamlProblem problem = assertThrows(YamlProblem.class, () -> fields.requiredDistinctStrings("ids", text -> {
            if (text.equals("bad")) {
                throw new IllegalArgumentException("not good");
            }
            return text;
        }));

        // then
        assertEquals(4, problem.line());
        assertEquals("ids[1]: not good", problem.getMessage());
    }

    @Test
    void shouldNamePathAndLineWhenKeyIsUnknown() {
        // when
        YamlProblem problem = assertThrows(YamlProblem.class, () -> fields("name: x\nowner: me\n"));

        // then
        assertEquals(2, problem.line());
        assertEquals("the top level: unknown key 'owner' (allowed: ids, limit, name)", problem.getMessage());
    }

    @Test
    void shouldRefuseWhenNumberIsNotPositive() {
        // given
        YamlFields fields = YamlFields.of(node("limit: 0\n"), "caps", KEYS);

        // when
        YamlProblem problem = assertThrows(YamlProblem.class, () -> fields.optionalPositiveInt("limit"));

        // then
        assertEquals("caps.limit: must be a positive whole number, got integer 0", problem.getMessage());
    }

    private static YamlFields fields(String yaml) {
        return YamlFields.of(node(yaml), YamlFields.TOP_LEVEL, KEYS);
    }

    private static Node node(String yaml) {
        return new Yaml().compose(new StringReader(yaml));
    }
}
