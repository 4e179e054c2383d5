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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One flow as an orchestrator and its workload run it, over HTTP: ask for access, wait for the
 * credential to be issued (the server answers when the request is decided), pick the credential up,
 * report the task COMPLETED, then see the revocation on jit.revocations.v1 and introspection say
 * inactive. Asynchronous, so that an open-loop driver never waits for a slow system.
 *
 * <p>Like a client behind a load balancer, it asks {@link FlowTargets} for an instance on every
 * attempt: a call that got no answer at all is sent again (to another instance, if there is one),
 * which is safe because every call is idempotent (the access request carries an Idempotency-Key).
 * Once a request is accepted its task is always reported COMPLETED, whatever happens after, so
 * that no flow leaves a grant behind.
 */
public final class FlowClient implements AutoCloseable {

    static final String ENVIRONMENT = "staging";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration REVOCATION_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration ISSUE_TIMEOUT = Duration.ofSeconds(30);
    /** How long an introspection keeps asking while the issuer cannot answer (503): a failover's length. */
    private static final Duration INACTIVE_TIMEOUT = Duration.ofSeconds(60);
    /** Introspection answers active this many times, 50 ms apart, before the flow gives up: 5 s. */
    private static final int MAX_ACTIVE_ANSWERS = 100;
    private static final Set<String> NOT_YET_ISSUED = Set.of("PENDING", "APPROVED");
    private static final int MAX_503_RETRIES = 20;
    /** Calls that got no answer are sent again this many times, a second apart at most. */
    private static final int MAX_RESENDS = 30;

    private final FlowTargets targets;
    private final RevocationArrivals revocations;
    private final FlowObserver observer;
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

    FlowClient(FlowTargets targets, RevocationArrivals revocations, String runId) {
        this(targets, revocations, runId, FlowObserver.NONE);
    }

    public FlowClient(FlowTargets targets, RevocationArrivals revocations, String runId, FlowObserver observer) {
        this.targets = targets;
        this.revocations = revocations;
        this.runId = runId;
        this.observer = observer;
    }

    public static String workload(int n) {
        return String.format("spiffe://dev.local/load/w%05d", n);
    }

    /** A workload token from the dev identity provider, re-minted well before its 15 minutes run out. */
    public String token(String workload) {
        Token token = tokens.compute(workload, (id, held) -> held != null
                && System.nanoTime() - held.mintedAtNanos < TimeUnit.MINUTES.toNanos(10) ? held : mint(id));
        return token.value;
    }

    private Token mint(String workload) {
        HttpResponse<String> response = sendBlocking(HttpRequest.newBuilder(URI.create(targets.url("IDP") + "/v1/tokens"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"workload\":\"" + workload + "\"}")).build());
        return new Token(json(response.body()).path("token").asText(), System.nanoTime());
    }

    /** Publishes a policy bundle through the admin API as the dev stack's admin. */
    public void publishBundle(String adminWorkload, String yaml) {
        HttpResponse<String> response = sendBlocking(HttpRequest.newBuilder(URI.create(targets.url("POLICY") + "/v1/policy/bundles"))
                .header("Content-Type", "application/yaml")
                .header("Authorization", "Bearer " + token(adminWorkload))
                .POST(HttpRequest.BodyPublishers.ofString(yaml)).build());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("publishing the benchmark bundle answered " + response.statusCode() + ": "
                    + response.body());
        }
    }

    /** Runs flow {@code n} for {@code workload}; completes when it has ended, recorded in {@code recorder}. */
    public CompletableFuture<Void> run(long n, String workload, FlowRecorder recorder) {
        String token = token(workload);
        String taskId = "load-" + runId + "-" + n;
        long startedAt = System.nanoTime();
        recorder.started.incrementAndGet();
        observer.started(taskId, workload);
        String body = "{\"taskId\":\"" + taskId + "\",\"environment\":\"" + ENVIRONMENT + "\","
                + "\"resources\":[{\"type\":\"http\",\"id\":\"inventory-api\",\"actions\":[\"read\"]}],"
                + "\"ttlSeconds\":600,\"justification\":\"load\"}";
        Supplier<HttpRequest> submit = () -> HttpRequest.newBuilder(URI.create(targets.url("REQUEST") + "/v1/access-requests"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", taskId)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        AtomicBoolean taskEnded = new AtomicBoolean();
        return send(submit, recorder)
                .thenCompose(accepted -> {
                    FlowRecorder.recordMicros(recorder.accepted, startedAt, System.nanoTime());
                    String requestId = expect("submit", accepted, 202, 201, 200).path("requestId").asText();
                    observer.accepted(taskId, requestId, System.currentTimeMillis());
                    return awaitIssued(requestId, token, recorder, System.nanoTime() + ISSUE_TIMEOUT.toNanos())
                            .thenCompose(grantId -> pickUp(taskId, grantId, token, recorder).thenCompose(credential -> {
                                FlowRecorder.recordMicros(recorder.credential, startedAt, System.nanoTime());
                                recorder.credentials.incrementAndGet();
                                return complete(taskId, token, grantId, credential, recorder, taskEnded);
                            }))
                            // Whatever went wrong after the request was accepted, its task ends: no grant is left behind.
                            .exceptionallyCompose(error -> taskEnded.get() ? CompletableFuture.failedFuture(error)
                                    : endTask(taskId, token, recorder, taskEnded).handle((ignored, e) -> null)
                                            .thenCompose(ignored -> CompletableFuture.failedFuture(error)));
                })
                .handle((ignored, error) -> {
                    if (error != null) {
                        Throwable cause = unwrap(error);
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

    private CompletableFuture<String> pickUp(String taskId, String grantId, String token, FlowRecorder recorder) {
        observer.issued(taskId, grantId);
        return send(() -> HttpRequest.newBuilder(URI.create(targets.url("ISSUER") + "/v1/grants/" + grantId + "/credential"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).GET().build(), recorder)
                .thenApply(pickedUp -> expect("pickup", pickedUp, 200).path("credential").asText());
    }

    private CompletableFuture<Void> complete(String taskId, String token, String grantId, String credential,
                                             FlowRecorder recorder, AtomicBoolean taskEnded) {
        // From the send, not the 202: under overload the answer can reach the client after the revocation.
        long completedAt = System.nanoTime();
        return endTask(taskId, token, recorder, taskEnded).thenCompose(ignored ->
                revocations.of(grantId).orTimeout(REVOCATION_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                        .thenCompose(revokedAt -> {
                            observer.revocationRead(taskId, System.currentTimeMillis());
                            FlowRecorder.recordMicros(recorder.revoked, completedAt, revokedAt);
                            return awaitInactive(taskId, credential, token, completedAt, recorder,
                                    System.nanoTime() + INACTIVE_TIMEOUT.toNanos(), 0);
                        }));
    }

    /** Reports the task COMPLETED, as its orchestrator does. */
    private CompletableFuture<Void> endTask(String taskId, String token, FlowRecorder recorder, AtomicBoolean taskEnded) {
        return send(() -> HttpRequest.newBuilder(URI.create(targets.url("REQUEST") + "/v1/tasks/" + taskId + "/events"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"COMPLETED\"}")).build(), recorder)
                .thenAccept(answer -> {
                    expect("task event", answer, 202, 200);
                    taskEnded.set(true);
                    observer.taskEnded(taskId, System.currentTimeMillis());
                });
    }

    /** GET the ledger entry with ?wait= until it is issued; the server answers as soon as it is decided. */
    private CompletableFuture<String> awaitIssued(String requestId, String token, FlowRecorder recorder, long deadline) {
        long askedAt = System.nanoTime();
        return send(() -> HttpRequest.newBuilder(URI.create(targets.url("REQUEST") + "/v1/access-requests/" + requestId
                        + "?wait=" + WAIT.toSeconds() + "s"))
                .header("Authorization", "Bearer " + token).timeout(WAIT.plusSeconds(10)).GET().build(), recorder)
                .thenCompose(answer -> {
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
                    return later(pause).thenCompose(ignored -> awaitIssued(requestId, token, recorder, deadline));
                });
    }

    /**
     * Introspects until the credential is inactive. An issuer that cannot know whether it was revoked
     * answers 503 (it fails closed): that is waited out until {@code deadline}; an active answer is
     * asked again 50 ms later, at most {@link #MAX_ACTIVE_ANSWERS} times. Every answer is observed.
     */
    private CompletableFuture<Void> awaitInactive(String taskId, String credential, String token, long completedAt,
                                                  FlowRecorder recorder, long deadline, int activeAnswers) {
        long sentAt = System.currentTimeMillis();
        return sendOnce(() -> HttpRequest.newBuilder(URI.create(targets.url("ISSUER") + "/v1/introspect"))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(credential, StandardCharsets.UTF_8)))
                .build(), recorder, 0)
                .handle((answer, error) -> {
                    long answeredAt = System.currentTimeMillis();
                    if (error != null) {
                        observer.introspected(taskId, sentAt, answeredAt, 0, null);
                        return CompletableFuture.<Void>failedFuture(error);
                    }
                    if (answer.statusCode() != 200) {
                        observer.introspected(taskId, sentAt, answeredAt, answer.statusCode(), null);
                        if (answer.statusCode() != 503 || System.nanoTime() > deadline) {
                            return CompletableFuture.<Void>failedFuture(new UnexpectedAnswer("introspection", answer.statusCode(), answer.body()));
                        }
                        recorder.unavailable.incrementAndGet();
                        return later(retryAfterMillis(answer)).thenCompose(ignored -> awaitInactive(taskId, credential, token,
                                completedAt, recorder, deadline, activeAnswers));
                    }
                    boolean active = json(answer.body()).path("active").asBoolean(true);
                    observer.introspected(taskId, sentAt, answeredAt, 200, active);
                    if (!active) {
                        FlowRecorder.recordMicros(recorder.inactive, completedAt, System.nanoTime());
                        recorder.completed.incrementAndGet();
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    if (activeAnswers + 1 >= MAX_ACTIVE_ANSWERS) {
                        return CompletableFuture.<Void>failedFuture(new TimeoutException("credential still active 5 s after its revocation"));
                    }
                    return later(50).thenCompose(ignored -> awaitInactive(taskId, credential, token, completedAt, recorder,
                            deadline, activeAnswers + 1));
                })
                .thenCompose(next -> next);
    }

    /** Sends; a 503 is waited out as a client should (Retry-After, at most 5 s), then sent again. */
    private CompletableFuture<HttpResponse<String>> send(Supplier<HttpRequest> request, FlowRecorder recorder) {
        return send(request, recorder, 0);
    }

    private CompletableFuture<HttpResponse<String>> send(Supplier<HttpRequest> request, FlowRecorder recorder, int retries) {
        return sendOnce(request, recorder, 0).thenCompose(response -> {
            if (response.statusCode() != 503 || retries >= MAX_503_RETRIES) {
                return CompletableFuture.completedFuture(response);
            }
            recorder.unavailable.incrementAndGet();
            return later(retryAfterMillis(response)).thenCompose(ignored -> send(request, recorder, retries + 1));
        });
    }

    /** Sends until some instance answers at all: a call that got no answer goes again, to the instance asked for then. */
    private CompletableFuture<HttpResponse<String>> sendOnce(Supplier<HttpRequest> request, FlowRecorder recorder, int resends) {
        return http.sendAsync(request.get(), HttpResponse.BodyHandlers.ofString())
                .exceptionallyCompose(error -> {
                    Throwable cause = unwrap(error);
                    if (!(cause instanceof IOException) || resends >= MAX_RESENDS) {
                        return CompletableFuture.failedFuture(cause);
                    }
                    recorder.resent.incrementAndGet();
                    return later(Math.min(1000, 100L * (resends + 1))).thenCompose(ignored -> sendOnce(request, recorder, resends + 1));
                });
    }

    /** The failure itself, not the CompletionException a stage wrapped it in. */
    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    private static long retryAfterMillis(HttpResponse<String> response) {
        long seconds = response.headers().firstValueAsLong("Retry-After").orElse(1);
        return TimeUnit.SECONDS.toMillis(Math.min(5, Math.max(1, seconds)));
    }

    private static CompletableFuture<Void> later(long millis) {
        return CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
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
