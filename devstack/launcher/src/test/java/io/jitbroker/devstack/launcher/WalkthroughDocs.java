package io.jitbroker.devstack.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The walkthrough as the docs write it: README.md's path (with the token and helpers it starts
 * with) and each path of docs/WALKTHROUGH.md, every one a title and its {@code ```bash} blocks in
 * order, and how to point those blocks at a dev stack on other ports.
 */
final class WalkthroughDocs {

    /** One path of the walkthrough: the blocks run one after another in one shell. */
    record WalkthroughPath(String title, List<String> blocks) {
    }

    static final String README = "README.md";
    static final String WALKTHROUGH = "docs/WALKTHROUGH.md";
    private static final String README_SECTION = "## Walkthrough";
    private static final Pattern BASH_BLOCK = Pattern.compile("(?ms)^```bash\\n(.*?)^```\\s*$");
    private static final Pattern LOCAL_ADDRESS = Pattern.compile("127\\.0\\.0\\.1:(\\d+)");

    private WalkthroughDocs() {
    }

    /** README.md's "## Walkthrough" section: its token and helpers, then its one path. */
    static WalkthroughPath readmePath(Path root) {
        String readme = read(root.resolve(README));
        int start = readme.indexOf("\n" + README_SECTION);
        if (start < 0) {
            throw new IllegalStateException(README + " has no section '" + README_SECTION + "'");
        }
        int end = readme.indexOf("\n## ", start + 1);
        String section = readme.substring(start + 1, end < 0 ? readme.length() : end);
        return new WalkthroughPath(section.lines().findFirst().orElseThrow().substring(3), bashBlocks(section));
    }

    /** Every "## " section of docs/WALKTHROUGH.md that has bash blocks, in the order they are written. */
    static List<WalkthroughPath> otherPaths(Path root) {
        List<WalkthroughPath> paths = new ArrayList<>();
        String[] sections = read(root.resolve(WALKTHROUGH)).split("(?m)^(?=## )");
        for (String section : sections) {
            List<String> blocks = bashBlocks(section);
            if (section.startsWith("## ") && !blocks.isEmpty()) {
                paths.add(new WalkthroughPath(section.lines().findFirst().orElseThrow().substring(3).trim(), blocks));
            }
        }
        return paths;
    }

    /**
     * The block with every {@code 127.0.0.1:<dev stack default port>} turned into the port the test
     * stack got; a local address on any other port is a mistake in the docs.
     */
    static String forStack(String block, Map<Integer, Integer> portByDefaultPort) {
        Matcher address = LOCAL_ADDRESS.matcher(block);
        StringBuilder rewritten = new StringBuilder();
        while (address.find()) {
            int port = Integer.parseInt(address.group(1));
            Integer actual = portByDefaultPort.get(port);
            if (actual == null) {
                throw new IllegalStateException("the walkthrough uses 127.0.0.1:" + port
                        + ", which is no port of the dev stack " + portByDefaultPort.keySet() + ":\n" + block);
            }
            address.appendReplacement(rewritten, "127.0.0.1:" + actual);
        }
        return address.appendTail(rewritten).toString();
    }

    /** Dev stack default port → the port the given stack got, for every port the dev stack binds. */
    static Map<Integer, Integer> ports(DevStackOptions defaults, DevStackOptions actual) {
        return Map.of(
                defaults.requestPort(), actual.requestPort(),
                defaults.issuerPort(), actual.issuerPort(),
                defaults.policyPort(), actual.policyPort(),
                defaults.revocationPort(), actual.revocationPort(),
                defaults.idpPort(), actual.idpPort(),
                defaults.registryPort(), actual.registryPort(),
                defaults.postgresPort(), actual.postgresPort(),
                defaults.kafkaPort(), actual.kafkaPort());
    }

    private static List<String> bashBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher block = BASH_BLOCK.matcher(markdown);
        while (block.find()) {
            blocks.add(block.group(1));
        }
        return blocks;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
