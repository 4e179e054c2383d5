package io.jitbroker.policy.domain.yaml;

import org.yaml.snakeyaml.nodes.Node;

/** One problem in a YAML document, at a line (1-based); the message starts with the path of the field at fault. */
public final class YamlProblem extends RuntimeException {

    private final int line;

    public YamlProblem(Node node, String message) {
        this(YamlNodes.line(node), message, null);
    }

    public YamlProblem(int line, String message, Throwable cause) {
        // No stack trace: a problem is an answer about the document, not a fault of the code.
        super(message, cause, false, false);
        this.line = line;
    }

    public int line() {
        return line;
    }
}
