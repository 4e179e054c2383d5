package io.jitbroker.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jitbroker.policy.domain.PublishRules.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PublishRulesTest {

    private static final String DOCUMENT = "version: \"v1\"\nmaxTtlSeconds: 60\nenvironments: [dev]\nrules: []\n";
    private static final LoadedBundle RUNNING_V1 = new LoadedBundle("default", "v1", DOCUMENT,
            "spiffe://dev.local/sre/policy-admin", Instant.parse("2026-11-23T10:00:00Z"),
            new PolicyEngine(new Policy("v1", 60, Set.of("dev"), List.of())));

    @Test
    void shouldPublishWhenVersionIsNew() {
        // when
        Verdict verdict = PublishRules.verdict(RUNNING_V1, "v2", DOCUMENT.replace("v1", "v2"));

        // then
        assertEquals(Verdict.PUBLISH, verdict);
    }

    @Test
    void shouldPublishNothingWhenVersionAndDocumentAreTheRunningOnes() {
        // when
        Verdict verdict = PublishRules.verdict(RUNNING_V1, "v1", DOCUMENT);

        // then
        assertEquals(Verdict.UNCHANGED, verdict);
    }

    @Test
    void shouldRefuseWhenRunningVersionComesWithAnotherDocument() {
        // when: even a comment makes it another document
        Verdict verdict = PublishRules.verdict(RUNNING_V1, "v1", "# edited\n" + DOCUMENT);

        // then
        assertEquals(Verdict.VERSION_CONFLICT, verdict);
    }

    @Test
    void shouldPublishWhenNothingIsRunningYet() {
        // when
        Verdict verdict = PublishRules.verdict(LoadedBundle.denyAll("default"), "v1", DOCUMENT);

        // then
        assertEquals(Verdict.PUBLISH, verdict);
    }

    @Test
    void shouldRefuseWhenVersionIsTheDenyAllLabel() {
        // when
        Verdict verdict = PublishRules.verdict(RUNNING_V1, Policy.DENY_ALL_VERSION, DOCUMENT.replace("v1", "deny-all"));

        // then
        assertEquals(Verdict.RESERVED_VERSION, verdict);
    }
}
