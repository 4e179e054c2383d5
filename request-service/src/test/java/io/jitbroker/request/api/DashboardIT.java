package io.jitbroker.request.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.request.support.Closing;
import io.jitbroker.request.support.RunningService;
import io.jitbroker.contracts.Topics;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The dashboard's files over HTTP: served without a token (they hold no data), each under the strict
 * Content-Security-Policy, and nothing else reachable through their path. A plain JDK client is used
 * so that paths reach the server exactly as written.
 */
class DashboardIT {

    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static Infrastructure infra;
    private static RunningService service;
    private static HttpClient http;

    @BeforeAll
    static void start() {
        infra = Infrastructure.startForTests();
        infra.kafka().createTopics(Topics.newTopics(3, (short) 1));
        service = RunningService.start(infra, Map.of(), Map.of());
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        Closing.inOrder(service, infra);
    }

    static Stream<Arguments> files() {
        return Stream.of(
                Arguments.of("/dashboard/", "text/html", "jit-broker · SRE dashboard"),
                Arguments.of("/dashboard/index.html", "text/html", "<script src=\"/dashboard/dashboard.js\" defer>"),
                Arguments.of("/dashboard/dashboard.js", "javascript", "'use strict';"),
                Arguments.of("/dashboard/dashboard.css", "text/css", "tr.break-glass"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void shouldServeTheFileWithoutATokenUnderTheStrictPolicy(String path, String type, String content)
            throws IOException, InterruptedException {
        // when
        HttpResponse<String> response = get(path);

        // then
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").contains(type), response.headers().toString());
        assertTrue(response.body().contains(content), response.body());
        assertEquals(CSP, response.headers().firstValue("Content-Security-Policy").orElse(null));
        assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null));
        assertEquals("DENY", response.headers().firstValue("X-Frame-Options").orElse(null));
        assertEquals("no-referrer", response.headers().firstValue("Referrer-Policy").orElse(null));
    }

    @Test
    void shouldLeadToTheDashboardWhenItsPathHasNoSlash() throws IOException, InterruptedException {
        // when
        HttpResponse<String> response = get("/dashboard");

        // then the page itself (its files are referred to by absolute paths), under the same policy
        assertEquals(200, response.statusCode(), response.headers() + " " + response.body());
        assertTrue(response.body().contains("jit-broker · SRE dashboard"), response.body());
        assertEquals(CSP, response.headers().firstValue("Content-Security-Policy").orElse(null));
    }

    @Test
    void shouldAnswer404ForAFileTheDashboardDoesNotHave() throws IOException, InterruptedException {
        // when
        HttpResponse<String> response = get("/dashboard/missing.js");

        // then
        assertEquals(404, response.statusCode(), response.body());
    }

    static Stream<String> escapes() {
        return Stream.of("/dashboard/../application.yml", "/dashboard/%2e%2e/application.yml",
                "/dashboard/..%2fapplication.yml", "/dashboard/%2e%2e/%2e%2e/v1/ledger");
    }

    @ParameterizedTest
    @MethodSource("escapes")
    void shouldServeNothingOutsideTheDashboardThroughItsPath(String path) throws IOException, InterruptedException {
        // when
        HttpResponse<String> response = get(path);

        // then
        assertNotEquals(200, response.statusCode(), response.body());
        assertTrue(!response.body().contains("datasources") && !response.body().contains("entries"), response.body());
    }

    @Test
    void shouldStillRequireATokenForTheApisTheDashboardCalls() throws IOException, InterruptedException {
        // when
        HttpResponse<String> response = get("/v1/ledger");

        // then
        assertEquals(401, response.statusCode(), response.body());
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(service.server().getURL() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
