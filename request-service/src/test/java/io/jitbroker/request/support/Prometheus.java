package io.jitbroker.request.support;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import java.util.OptionalDouble;

/** Scrapes the service's /prometheus endpoint, as Prometheus does (no token). */
public final class Prometheus {

    private Prometheus() {
    }

    public static String scrape(RunningService service) {
        return service.http().retrieve(HttpRequest.GET("/prometheus").accept(MediaType.TEXT_PLAIN_TYPE), String.class);
    }

    /**
     * The value of one series, e.g. {@code jit_alerts_total{kind="BREAK_GLASS_GRANTED"}}; empty when absent.
     * Labels must be written in the exposition's (alphabetical) order.
     */
    public static OptionalDouble value(String exposition, String series) {
        return exposition.lines()
                .filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .findFirst();
    }
}
