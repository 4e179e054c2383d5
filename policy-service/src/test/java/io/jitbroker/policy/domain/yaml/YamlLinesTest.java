package io.jitbroker.policy.domain.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class YamlLinesTest {

    private static final String DOCUMENT = """
            version: "v1"
            rules:
              - id: first
                environments: [dev]
              - id: second
                condition: "true"
            """;

    @Test
    void shouldFindTheKeyWhenPathNamesAListItemsField() {
        // when
        OptionalInt line = YamlLines.lineOf(DOCUMENT, "rules[1].condition", null);

        // then
        assertEquals(OptionalInt.of(6), line);
    }

    @Test
    void shouldFindTheDeepestExistingNodeWhenPathGoesFurther() {
        // when
        OptionalInt line = YamlLines.lineOf(DOCUMENT, "rules[1].workload", null);

        // then: the second rule
        assertEquals(OptionalInt.of(5), line);
    }

    @Test
    void shouldFindTheUnknownKeyWhenOneIsNamed() {
        // when
        OptionalInt line = YamlLines.lineOf(DOCUMENT, "rules[0]", "environments");

        // then
        assertEquals(OptionalInt.of(4), line);
    }

    @Test
    void shouldFindNothingWhenYamlIsMalformed() {
        // when
        OptionalInt line = YamlLines.lineOf("rules: [unclosed", YamlFields.TOP_LEVEL, null);

        // then
        assertEquals(OptionalInt.empty(), line);
    }
}
