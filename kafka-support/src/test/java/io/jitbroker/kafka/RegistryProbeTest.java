package io.jitbroker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RegistryProbeTest {

    @Test
    void shouldBeUpWhenTheRegistryAnswersSystemInfo() throws IOException {
        // given: a registry stand-in answering 200 on /system/info only
        HttpServer registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext("/apis/registry/v2/system/info", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        registry.start();
        try {
            String url = "http://127.0.0.1:" + registry.getAddress().getPort() + "/apis/registry/v2/";

            // when
            RegistryProbe.Result result = new RegistryProbe(url, Duration.ofSeconds(2)).check();

            // then
            assertTrue(result.up(), result.details().toString());
            assertEquals(200, result.details().get("status"));
        } finally {
            registry.stop(0);
        }
    }

    @Test
    void shouldBeDownWhenNothingAnswers() throws IOException {
        // given: a port nobody listens on any more
        HttpServer gone = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        int port = gone.getAddress().getPort();
        gone.stop(0);

        // when
        RegistryProbe.Result result = new RegistryProbe("http://127.0.0.1:" + port + "/apis/registry/v2",
                Duration.ofMillis(500)).check();

        // then
        assertFalse(result.up());
        assertTrue(result.details().containsKey("error"));
    }

    @Test
    void shouldNeverShowUserInfoOfTheUrl() {
        assertEquals("http://registry:8080/apis/registry/v2/system/info",
                new RegistryProbe("http://user:secret@registry:8080/apis/registry/v2", Duration.ofSeconds(1)).shownUrl());
    }
}
