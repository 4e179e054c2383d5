package io.jitbroker.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One flow as an orchestrator and its workload run it, over HTTP: ask for access, wait for the
 * credential to be issued (the server answers when the request is decided), pick the credential up,
 * report the task COMPLETED, then see the revocation on jit.revocations.v1 and introspection say
 * inactive. Asynchronous, so that an open-loop driver never waits for a slow system.
 */
final class FlowClient implements AutoCloseable {

    static final String ENVIRONMENT = "staging";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration REVOCATION_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ISSUE_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> NOT_YET_ISSUED = Set.of("PENDING", "APPROVED");
    private static final int MAX_503_RETRIES = 20;

    private final FlowStack stack;
    private final RevocationArrivals revocations;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, daemon("bench-flow-http"));
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(executor)
            .build();
    private final Map<String, Token> tokens = new ConcurrentHashMap<>();
    private final String runId;

    private record Token(String value, long mintedAtNanos) {
    }

    /** Thrown inside a flow for an answer the flow did not expect; counted, never retried. */
    static final class UnexpectedAnswer extends RuntimeException {
        final int status;

        UnexpectedAnswer(String step, int status, String body) {
            super(step + " answered " + status + ": " + (body.length() > 300 ? body.substring(0, 300) : body));
            this.status = status;
        }
    }

    FlowClient(FlowStack stack, RevocationArrivals revocations, String runId) {
        this.stack = stack;
        this.revocations = revocations;
        this.runId = runId;
    }

    static String workload(int n) {
        return String.format("spiffe://dev.local/load/w%05d", n);
    }

    /** A workload token from the dev identity provider, re-minted well before its 15 minutes run out. */
    String token(String workload) {
        Token token = tokens.compute(workload, (id, held) -> held != null
                && System.nanoTime() - held.mintedAtNanos < TimeUnit.MINUTES.toNanos(10) ? held : mint(id));
        return token.value;
    }

    private Token mint(String workload) {
        HttpResponse<String> response = sendBlocking(HttpRequest.newBuilder(URI.create(stack.url("IDP") + "/v1/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"workload\":\"" + workload + "\"}")).build());
        return new Token(json(response.body()).path("token").asText(), System.nanoTime());
    }

    /** Publishes a policy bundle through the admin API as the dev stack's admin. */
    void publishBundle(String adminWorkload, String yaml) {
        HttpResponse<String> response = sendBlocking(HttpRequest.newBuilder(URI.create(stack.url("POLICY") + "/v1/policy/bundles"))
                .header("Content-Type", "application/yaml")
                .header("Authorization", "Bearer " + token(adminWorkload))
                .POST(HttpRequest.BodyPublishers.ofString(yaml)).build());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("publishing the benchmark bundle answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    /** Runs flow {@code n} for {@code workload}; completes when it has ended, recorded in {@code recorder}. */
    CompletableFuture<Void> run(long n, String workload, FlowRecorder recorder) {
        String token = token(workload);
        String taskId = "load-" + runId + "-" + n;
        long startedAt = System.nanoTime();
        recorder.started.incrementAndGet();
        String body = "{\"taskId\":\"" + taskId + "\",\"environment\":\"" + ENVIRONMENT + "\","
                + "\"resources\":[{\"type\":\"http\",\"id\":\"inventory-api\",\"actions\":[\"read\"]}],"
                + "\"ttlSeconds\":600,\"justification\":\"load\"}";
        HttpRequest submit = HttpRequest.newBuilder(URI.create(stack.url("REQUEST") + "/v1/access-requests"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return send(submit, recorder, 0)
                .thenCompose(accepted -> {
                    FlowRecorder.recordMicros(recorder.accepted, startedAt, System.nanoTime());
                    String requestId = expect("submit", accepted, 202, 201, 200).path("requestId").asText();
                    return awaitIssued(requestId, token, recorder, System.nanoTime() + ISSUE_TIMEOUT.toNanos());
                })
                .thenCompose(grantId -> send(HttpRequest.newBuilder(
                                URI.create(stack.url("ISSUER") + "/v1/grants/" + grantId + "/credential"))
                        .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build(), recorder, 0)
                        .thenCompose(pickedUp -> {
                            String credential = expect("pickup", pickedUp, 200).path("credential").asText();
                            FlowRecorder.recordMicros(recorder.credential, startedAt, System.nanoTime());
                            recorder.credentials.incrementAndGet();
                            return complete(taskId, token, grantId, credential, recorder);
                        }))
                .handle((ignored, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                        if (cause instanceof UnexpectedAnswer answer) {
                            if (answer.status >= 500 && answer.status != 503) {
                                recorder.serverErrors.incrementAndGet();
                            } else {
                                recorder.clientErrors.incrementAndGet();
                            }
                        } else {
                            recorder.lost.incrementAndGet();
                        }
                        FlowBenchmark.noteFailure(cause);
                    }
                    return null;
                });
    }

    private CompletableFuture<Void> complete(String taskId, String token, String grantId, String credential,
                                             FlowRecorder recorder) {
        HttpRequest completed = HttpRequest.newBuilder(URI.create(stack.url("REQUEST") + "/v1/tasks/" + taskId + "/events"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"COMPLETED\"}")).build();
        // From the send, not the 202: under overload the answer can reach the client after the revocation.
        long completedAt = System.nanoTime();
        return send(completed, recorder, 0).thenCompose(answer -> {
            expect("task event", answer, 202, 200);
            return revocations.of(grantId).orTimeout(REVOCATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                    .thenCompose(revokedAt -> {
                        FlowRecorder.recordMicros(recorder.revoked, completedAt, revokedAt);
                        return awaitInactive(credential, token, completedAt, recorder, 0);
                    });
        });
    }

    /** GET the ledger entry with ?wait= until it is issued; the server answers as soon as it is decided. */
    private CompletableFuture<String> awaitIssued(String requestId, String token, FlowRecorder recorder, long deadline) {
        long askedAt = System.nanoTime();
        HttpRequest get = HttpRequest.newBuilder(URI.create(stack.url("REQUEST") + "/v1/access-requests/" + requestId
                        + "?wait=" + WAIT.toSeconds() + "s"))
                .header("Authorization", "Bearer " + token).timeout(WAIT.plusSeconds(10)).GET().build();
        return send(get, recorder, 0).thenCompose(answer -> {
            JsonNode entry = expect("ledger", answer, 200);
            String status = entry.path("status").asText();
            if ("ISSUED".equals(status)) {
                return CompletableFuture.completedFuture(entry.path("grantId").asText());
            }
            if (!NOT_YET_ISSUED.contains(status)) {
                throw new UnexpectedAnswer("ledger (status " + status + ")", 200, answer.body());
            }
            if (System.nanoTime() > deadline) {
                return CompletableFuture.failedFuture(new TimeoutException("request " + requestId + " not issued in time"));
            }
            // A server that answered at once although nothing changed does not wait: do not hammer it.
            long pause = System.nanoTime() - askedAt < TimeUnit.MILLISECONDS.toNanos(5) ? 20 : 0;
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(pause, TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> awaitIssued(requestId, token, recorder, deadline));
        });
    }

    private CompletableFuture<Void> awaitInactive(String credential, String token, long completedAt, FlowRecorder recorder,
                                                  int attempt) {
        HttpRequest introspect = HttpRequest.newBuilder(URI.create(stack.url("ISSUER") + "/v1/introspect"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(credential, StandardCharsets.UTF_8)))
                .build();
        return send(introspect, recorder, 0).thenCompose(answer -> {
            if (!expect("introspection", answer, 200).path("active").asBoolean(true)) {
                FlowRecorder.recordMicros(recorder.inactive, completedAt, System.nanoTime());
                recorder.completed.incrementAndGet();
                return CompletableFuture.completedFuture(null);
            }
            if (attempt >= 100) {
                return CompletableFuture.failedFuture(new TimeoutException("credential still active 5 s after its revocation"));
            }
            return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS))
                    .thenCompose(ignored -> awaitInactive(credential, token, completedAt, recorder, attempt + 1));
        });
    }

    /** Sends; a 503 is waited out as a client should (Retry-After, at most 5 s), then sent again. */
    private CompletableFuture<HttpResponse<String>> send(HttpRequest request, FlowRecorder recorder, int retries) {
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose(response -> {
            if (response.statusCode() != 503 || retries >= MAX_503_RETRIES) {
                return CompletableFuture.completedFuture(response);
            }
            recorder.unavailable.incrementAndGet();
            long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
            return CompletableFuture.supplyAsync(() -> null,
                            CompletableFuture.delayedExecutor(Math.min(5, Math.max(1, seconds)), TimeUnit.SECONDS))
                    .thenCompose(ignored -> send(request, recorder, retries + 1));
        });
    }

    private static JsonNode expect(String step, HttpResponse<String> response, int... statuses) {
        for (int status : statuses) {
            if (response.statusCode() == status) {
                return json(response.body());
            }
        }
        throw new UnexpectedAnswer(step, response.statusCode(), response.body());
    }

    private static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    private HttpResponse<String> sendBlocking(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
