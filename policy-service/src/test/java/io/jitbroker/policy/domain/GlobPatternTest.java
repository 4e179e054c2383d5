package io.jitbroker.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GlobPatternTest {

    @Test
    void shouldMatchOnlyTheSameTextWhenPatternHasNoStar() {
        // given
        GlobPattern pattern = GlobPattern.compile("spiffe://dev.local/ci/deployer");

        // when / then
        assertTrue(pattern.matches("spiffe://dev.local/ci/deployer"));
        assertFalse(pattern.matches("spiffe://dev.local/ci/deployer2"));
        assertFalse(pattern.matches("spiffe://dev.local/ci/deployer/x"));
        assertFalse(pattern.matches("spiffe://dev.local/ci/Deployer"));
    }

    @Test
    void shouldMatchExactlyOneSegmentWhenPatternHasSingleStar() {
        // given
        GlobPattern pattern = GlobPattern.compile("spiffe://dev.local/ci/*");

        // when / then
        assertTrue(pattern.matches("spiffe://dev.local/ci/deployer"));
        assertFalse(pattern.matches("spiffe://dev.local/ci/a/b"), "a single star crosses no slash");
        assertFalse(pattern.matches("spiffe://dev.local/ci/"), "a single star matches at least one character");
        assertFalse(pattern.matches("spiffe://dev.local/cix/deployer"));
    }

    @Test
    void shouldMatchAnyDepthWhenPatternHasDoubleStar() {
        // given
        GlobPattern pattern = GlobPattern.compile("spiffe://dev.local/ci/**");

        // when / then
        assertTrue(pattern.matches("spiffe://dev.local/ci/deployer"));
        assertTrue(pattern.matches("spiffe://dev.local/ci/team/a/job"));
        assertFalse(pattern.matches("spiffe://dev.local/ci"));
        assertFalse(pattern.matches("spiffe://dev.local/ci-evil/deployer"));
        assertFalse(pattern.matches("spiffe://other.domain/ci/deployer"));
    }

    @Test
    void shouldTreatRegexCharactersLiterallyWhenPatternHasThem() {
        // given
        GlobPattern pattern = GlobPattern.compile("spiffe://dev.local/ci/*.job");

        // when / then
        assertTrue(pattern.matches("spiffe://dev.local/ci/build.job"));
        assertFalse(pattern.matches("spiffe://dev.local/ci/buildxjob"), "a dot is a dot, not any character");
        assertFalse(GlobPattern.compile("spiffe://dev[.]local/*").matches("spiffe://dev.local/x"));
    }

    @Test
    void shouldMatchSegmentInsideTextWhenStarIsBetweenLiterals() {
        // given
        GlobPattern pattern = GlobPattern.compile("inventory-*-api");

        // when / then
        assertTrue(pattern.matches("inventory-eu-api"));
        assertFalse(pattern.matches("inventory-eu/x-api"));
    }

    @Test
    void shouldRefuseWhenPatternIsBlankOrHasTripleStar() {
        // when
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> GlobPattern.compile(" "));
        IllegalArgumentException stars = assertThrows(IllegalArgumentException.class,
                () -> GlobPattern.compile("spiffe://dev.local/***"));

        // then
        assertEquals("pattern is blank", blank.getMessage());
        assertTrue(stars.getMessage().contains("'***'"), stars.getMessage());
    }

    @Test
    void shouldMatchExactlyAsTheRegexWhenPatternIsMatchedByStringComparison() {
        // given: every shape, the string-compared ones (a wildcard at one end) and the regex ones
        List<String> patterns = List.of("api-*", "api-**", "*-api", "**-api", "*", "**", "spiffe://dev.local/ci/*",
                "spiffe://dev.local/**", "team-*/svc", "a*b*c", "*/x/**", "**x**");
        List<String> candidates = List.of("", "a", "/", "api-", "api-1", "api-1/x", "api-/", "x-api", "/x-api", "a/b-api",
                "-api", "spiffe://dev.local/ci/deployer", "spiffe://dev.local/ci/a/b", "spiffe://dev.local/", "spiffe://dev.local",
                "team-a/svc", "team-a/b/svc", "abc", "a/b/c", "q/x/y", "x", "xx", "axb");

        for (String text : patterns) {
            GlobPattern pattern = GlobPattern.compile(text);
            for (String candidate : candidates) {
                // when / then
                assertEquals(pattern.matchesByRegex(candidate), pattern.matches(candidate), text + " on '" + candidate + "'");
            }
        }
    }
}
