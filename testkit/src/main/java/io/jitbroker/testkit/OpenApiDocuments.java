package io.jitbroker.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The OpenAPI documents request-, issuer- and policy-service generate at compile time
 * (micronaut-openapi, {@code META-INF/swagger/<service>.yml}), serve at {@code /openapi/<service>.yml}
 * and keep in the repository ({@code docs/openapi/<service>.yml}).
 */
public final class OpenApiDocuments {

    /** {@code -Djit.openapi.regenerate=true} rewrites docs/openapi/ from the build's documents. */
    public static final String REGENERATE_PROPERTY = "jit.openapi.regenerate";

    /**
     * The routes a document leaves out: the management endpoints, which are operators' business
     * (docs/OPERATIONS.md), not the API. The document itself is a static resource, not a route.
     */
    public static final List<String> MANAGEMENT_PATHS = List.of("/health", "/prometheus", "/metrics", "/env", "/beans",
            "/info", "/loggers", "/refresh", "/routes", "/threaddump", "/caches", "/stop");

    private OpenApiDocuments() {
    }

    /** The document the build generated for {@code service}, from the classpath. */
    public static String generated(String service) {
        String resource = "META-INF/swagger/" + service + ".yml";
        try (InputStream in = OpenApiDocuments.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource + " is not on the classpath: is micronaut-openapi's annotation processor configured?");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses {@code document} with swagger-parser (a third-party OpenAPI 3 parser and validator), every
     * reference resolved. @throws AssertionError listing its messages when there is any
     */
    public static OpenAPI requireValid(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(document, null, options);
        assertEquals(List.of(), result.getMessages() == null ? List.of() : result.getMessages(),
                "swagger-parser's messages about the document");
        assertNotNull(result.getOpenAPI(), "swagger-parser read no document");
        return result.getOpenAPI();
    }

    /** Fails, saying how to regenerate it, when docs/openapi/{@code service}.yml differs from the build's. */
    public static void assertCommittedCopyUpToDate(String service, Class<?> testClass) {
        // The services' tests run in their module directory, one level below the repository root.
        Path root = Path.of("").toAbsolutePath().getParent();
        GeneratedFiles.assertUpToDate(root, "docs/openapi/" + service + ".yml", generated(service), REGENERATE_PROPERTY,
                service, testClass);
    }

    /** Fails unless the document lists exactly the routes the running service serves, but the management ones. */
    public static void assertEveryRouteDocumented(String service, Router router) {
        assertEquals(servedRoutes(router), operations(requireValid(generated(service))),
                "the routes " + service + " serves (management endpoints aside) and the operations of its OpenAPI document");
    }

    /** Fails unless {@code baseUrl}/openapi/{@code service}.yml answers the generated document to a caller without a token. */
    public static void assertServedWithoutAToken(String service, URI baseUrl) {
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("/openapi/" + service + ".yml")).GET().build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(generated(service), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every operation of the document, as {@code METHOD /path/{variable}}. */
    public static Set<String> operations(OpenAPI document) {
        Set<String> operations = new TreeSet<>();
        for (Map.Entry<String, PathItem> path : document.getPaths().entrySet()) {
            path.getValue().readOperationsMap().keySet()
                    .forEach(method -> operations.add(method.name() + " " + path.getKey()));
        }
        return operations;
    }

    /**
     * Every route the running service serves, as {@code METHOD /path/{variable}} (query parts and
     * variable patterns dropped), but the {@link #MANAGEMENT_PATHS} and the HEAD twin of each GET.
     */
    public static Set<String> servedRoutes(Router router) {
        Set<String> routes = router.uriRoutes()
                .map(route -> route.getHttpMethodName() + " " + path(route))
                .filter(route -> MANAGEMENT_PATHS.stream().noneMatch(management -> isUnder(route, management)))
                .collect(Collectors.toCollection(TreeSet::new));
        // Micronaut answers HEAD for every GET (the GET without its body); OpenAPI documents the GET.
        routes.removeIf(route -> route.startsWith("HEAD ") && routes.contains("GET " + route.substring("HEAD ".length())));
        return routes;
    }

    private static String path(UriRouteInfo<?, ?> route) {
        String template = route.getUriMatchTemplate().toString();
        // {?wait} and {&x}: query values, not part of the path; {id:[0-9]+}: the variable is {id}
        return template.replaceAll("\\{[?&][^}]*}", "").replaceAll("\\{([^}:]+):[^}]*}", "{$1}");
    }

    private static boolean isUnder(String route, String managementPath) {
        String path = route.substring(route.indexOf(' ') + 1);
        return path.equals(managementPath) || path.startsWith(managementPath + "/") || path.startsWith(managementPath + "{");
    }
}
