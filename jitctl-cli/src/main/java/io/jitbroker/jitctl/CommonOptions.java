package io.jitbroker.jitctl;

import io.jitbroker.client.JitClient;
import io.jitbroker.client.TraceParent;
import io.jitbroker.client.TokenFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What every command needs: where the services are and who the caller is. A flag wins over its
 * environment variable, which wins over the dev stack's default.
 */
final class CommonOptions {

    static final String DEFAULT_REQUEST_URL = "http://127.0.0.1:8080";
    static final String DEFAULT_ISSUER_URL = "http://127.0.0.1:8081";
    static final String DEFAULT_POLICY_URL = "http://127.0.0.1:8082";
    static final String DEFAULT_DEV_IDP_URL = "http://127.0.0.1:8086";

    enum Output { human, json }

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(names = "--request-url", paramLabel = "URL",
            description = "request-service (env JIT_REQUEST_URL; default " + DEFAULT_REQUEST_URL + ")")
    String requestUrl;

    @Option(names = "--issuer-url", paramLabel = "URL",
            description = "issuer-service (env JIT_ISSUER_URL; default " + DEFAULT_ISSUER_URL + ")")
    String issuerUrl;

    @Option(names = "--policy-url", paramLabel = "URL",
            description = "policy-service, for jitctl policy (env JIT_POLICY_URL; default " + DEFAULT_POLICY_URL + ")")
    String policyUrl;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "the workload's JWT-SVID, read again whenever it changes (env JIT_TOKEN_FILE; or the token itself in JIT_TOKEN)")
    Path tokenFile;

    @Option(names = "--dev-workload", paramLabel = "SPIFFE_ID",
            description = "dev stack only: mint a token for this workload from the dev identity provider (env JIT_DEV_WORKLOAD)")
    String devWorkload;

    @Option(names = "--dev-idp-url", paramLabel = "URL",
            description = "the dev identity provider (env JIT_DEV_IDP_URL; default " + DEFAULT_DEV_IDP_URL + ")")
    String devIdpUrl;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "human",
            description = "human (default) or json, for scripts")
    Output output;

    /** A client for these services, sending the caller's token; nothing is read or minted until the first call. */
    JitClient client(Map<String, String> env) {
        return JitClient.builder()
                .requestServiceUrl(requestServiceUrl(env))
                .issuerServiceUrl(issuerServiceUrl(env))
                .policyServiceUrl(pick(policyUrl, env.get("JIT_POLICY_URL"), DEFAULT_POLICY_URL))
                .token(token(env))
                // One trace for everything this run does (a CI system's TRACEPARENT continues its own).
                .traceParent(TraceParent.orNewTrace(env.get("TRACEPARENT")))
                .build();
    }

    String requestServiceUrl(Map<String, String> env) {
        return pick(requestUrl, env.get("JIT_REQUEST_URL"), DEFAULT_REQUEST_URL);
    }

    String issuerServiceUrl(Map<String, String> env) {
        return pick(issuerUrl, env.get("JIT_ISSUER_URL"), DEFAULT_ISSUER_URL);
    }

    /**
     * The caller's identity, first found: --token-file, --dev-workload, JIT_TOKEN, JIT_TOKEN_FILE,
     * JIT_DEV_WORKLOAD.
     */
    Supplier<String> token(Map<String, String> env) {
        if (tokenFile != null) {
            return new TokenFile(tokenFile);
        }
        String idp = pick(devIdpUrl, env.get("JIT_DEV_IDP_URL"), DEFAULT_DEV_IDP_URL);
        if (devWorkload != null) {
            return new DevTokens(idp, devWorkload);
        }
        if (present(env.get("JIT_TOKEN"))) {
            String token = env.get("JIT_TOKEN").strip();
            return () -> token;
        }
        if (present(env.get("JIT_TOKEN_FILE"))) {
            return new TokenFile(Path.of(env.get("JIT_TOKEN_FILE").strip()));
        }
        if (present(env.get("JIT_DEV_WORKLOAD"))) {
            return new DevTokens(idp, env.get("JIT_DEV_WORKLOAD").strip());
        }
        throw new ParameterException(mixee.commandLine(), "no identity: pass --token-file FILE (or set JIT_TOKEN_FILE),"
                + " set JIT_TOKEN, or in the dev stack pass --dev-workload spiffe://dev.local/...");
    }

    boolean json() {
        return output == Output.json;
    }

    private static String pick(String flag, String variable, String fallback) {
        if (flag != null) {
            return flag;
        }
        return present(variable) ? variable.strip() : fallback;
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
