package io.jitbroker.issuer.api;

import io.jitbroker.issuer.domain.SigningKeys;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/** The public keys that verify our credentials, for resource servers that verify them offline. */
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
public class JwksController {

    private final SigningKeys keys;

    public JwksController(SigningKeys keys) {
        this.keys = keys;
    }

    @Get(uri = "/.well-known/jwks.json", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> jwks() {
        // Short cache: verifiers pick up a rotated key within minutes.
        return HttpResponse.ok(keys.publicJwksJson()).header(HttpHeaders.CACHE_CONTROL, "public, max-age=300");
    }
}
