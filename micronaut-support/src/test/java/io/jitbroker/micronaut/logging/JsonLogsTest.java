package io.jitbroker.micronaut.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.spi.MDCAdapter;

/** The services' logging (jit-logging.xml, chosen by LOG_FORMAT as each service's logback.xml does). */
class JsonLogsTest {

    /** What each service's src/main/resources/logback.xml says. */
    private static final String SERVICE_CONFIG = """
            <configuration>
              <include resource="jit-logging-${LOG_FORMAT:-TEXT}.xml"/>
              <include resource="jit-logging.xml"/>
              <root level="INFO"><appender-ref ref="CONSOLE"/></root>
            </configuration>""";

    @Test
    void shouldWriteOneJsonObjectPerLineWithTheIdsInTheMdcWhenTheFormatIsJson() throws Exception {
        // when
        List<String> lines = log("JSON", (logger, mdc) -> {
            mdc.put("requestId", "r-1");
            mdc.put("workloadId", "spiffe://dev.local/ci/deployer");
            logger.info("decided {}", "APPROVED");
            mdc.clear();
            logger.warn("line two\nwith a newline");
        });

        // then
        assertEquals(2, lines.size(), lines.toString());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertEquals("INFO", first.path("level").asText());
        assertEquals("decided APPROVED", first.path("formattedMessage").asText());
        assertEquals("r-1", first.path("mdc").path("requestId").asText());
        assertEquals("spiffe://dev.local/ci/deployer", first.path("mdc").path("workloadId").asText());
        assertEquals("line two\nwith a newline", new ObjectMapper().readTree(lines.get(1)).path("formattedMessage").asText());
    }

    @Test
    void shouldWritePlainLinesWhenNoFormatIsGiven() throws Exception {
        // when
        List<String> lines = log(null, (logger, mdc) -> logger.info("decided {}", "APPROVED"));

        // then
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).endsWith("INFO  [main] jit.test - decided APPROVED"), lines.get(0));
    }

    private interface Logging {
        void to(Logger logger, MDCAdapter mdc) throws Exception;
    }

    /** Configures Logback as a service does, with the console appender's output caught. */
    private static List<String> log(String format, Logging logging) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter()); // what Logback's SLF4J provider gives its own context
        try {
            if (format != null) {
                context.putProperty("LOG_FORMAT", format);
            }
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(new ByteArrayInputStream(SERVICE_CONFIG.getBytes(StandardCharsets.UTF_8)));
            Appender<ILoggingEvent> console = context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
            ((OutputStreamAppender<ILoggingEvent>) console).setOutputStream(out);
            logging.to(context.getLogger("jit.test"), context.getMDCAdapter());
        } finally {
            context.stop();
        }
        return out.toString(StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).toList();
    }
}
