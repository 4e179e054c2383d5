package io.jitbroker.request.api;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * The SRE dashboard's pages may run only their own scripts and styles and talk only to this
 * service: no inline script, no other origin, no framing. A page that renders data from the ledger
 * (free text written by workloads) must not be able to run any of it.
 */
@ServerFilter({"/dashboard", "/dashboard/**"})
public class DashboardSecurityHeaders {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    @ResponseFilter
    public void secure(MutableHttpResponse<?> response) {
        response.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        response.header("X-Content-Type-Options", "nosniff");
        response.header("X-Frame-Options", "DENY");
        response.header("Referrer-Policy", "no-referrer");
        // The pages are small; a new version must never run against an old script.
        response.header("Cache-Control", "no-cache");
    }
}
