package io.jitbroker.request.support;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Calls the service over HTTP with Micronaut's client and hands back status and body, errors included. */
public final class Api {

    private final RunningService service;
    private final JsonMapper json;

    public Api(RunningService service) {
        this.service = service;
        this.json = service.context().getBean(JsonMapper.class);
    }

    /** @param token the bearer token, or null to send none */
    public Reply post(String path, String token, String body) {
        return post(path, token, body, Map.of());
    }

    public Reply post(String path, String token, String body, Map<String, String> headers) {
        MutableHttpRequest<String> request = io.micronaut.http.HttpRequest.POST(path, body)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .accept(MediaType.APPLICATION_JSON_TYPE);
        headers.forEach(request::header);
        return exchange(token == null ? request : request.bearerAuth(token));
    }

    public Reply get(String path, String token) {
        MutableHttpRequest<Object> request = io.micronaut.http.HttpRequest.GET(path).accept(MediaType.APPLICATION_JSON_TYPE);
        return exchange(token == null ? request : request.bearerAuth(token));
    }

    public Map<String, Object> json(String body) {
        try {
            return json.readValue(body, Argument.mapOf(String.class, Object.class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends any request as it is. */
    public Reply exchange(MutableHttpRequest<?> request) {
        HttpResponse<?> response;
        try {
            response = service.http().exchange(request, String.class);
        } catch (HttpClientResponseException e) {
            response = e.getResponse();
        }
        return new Reply(response.getStatus().getCode(), response.getBody(String.class).orElse(null),
                response.getHeaders().get("WWW-Authenticate"));
    }

    /** @param wwwAuthenticate the challenge header, for 401s */
    public record Reply(int status, String body, String wwwAuthenticate) {
    }
}
