package io.jitbroker.devstack.launcher;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs walkthrough paths as a reader does in one terminal: each path's blocks in order, in
 * {@code bash -euo pipefail}, output and errors together. Each path runs in a shell of its own, which
 * starts with the variables and functions the paths before it left (a later path uses the token and
 * helpers of the first).
 */
final class WalkthroughShell {

    /** What one path printed; {@code blocks} is the output of each block, in order. */
    record Run(String title, int exitCode, String output, List<String> blocks) {

        /** Every JSON object the path printed (pretty or on one line), in order; other lines are skipped. */
        List<JsonNode> json() {
            return jsonObjects(output);
        }
    }

    private static final Duration PATH_TIMEOUT = Duration.ofMinutes(5);
    private static final String BLOCK_END = "@@ walkthrough block end @@";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DECLARED = Pattern.compile("(?m)^declare -\\S+ ([A-Za-z_][A-Za-z0-9_]*)=\"(.*)\"$");

    private final Path workDir;
    private final Path state;

    /** @param workDir where the scripts and the carried shell state are written, and where they run */
    WalkthroughShell(Path workDir) {
        this.workDir = workDir;
        this.state = workDir.resolve("shell-state.sh");
    }

    Run run(String title, List<String> blocks) {
        StringBuilder script = new StringBuilder()
                // What the shell holds before the walkthrough: never carried over.
                .append("__known=\" $(compgen -v | tr '\\n' ' ') \"\n")
                .append("if [ -f '").append(state).append("' ]; then source '").append(state).append("'; fi\n")
                .append("__save() {\n")
                .append("  for __v in $(compgen -v); do\n")
                .append("    case \"$__known\" in *\" $__v \"*) ;; *) [[ $__v == __* ]] || declare -p \"$__v\" ;; esac\n")
                .append("  done > '").append(state).append("'\n")
                .append("  for __f in $(compgen -A function); do [[ $__f == __* ]] || declare -f \"$__f\"; done >> '")
                .append(state).append("'\n")
                .append("}\n")
                .append("trap __save EXIT\n");
        for (String block : blocks) {
            script.append(block).append("\necho '").append(BLOCK_END).append("'\n");
        }
        Path file = workDir.resolve(title.replaceAll("[^A-Za-z0-9]+", "-") + ".sh");
        try {
            Files.writeString(file, script);
            ProcessBuilder bash = new ProcessBuilder("bash", "-euo", "pipefail", file.toString())
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve(file.getFileName() + ".out").toFile());
            // The reader's shell has no PostgreSQL login of its own; the walkthrough sets one when it needs it.
            Map<String, String> environment = bash.environment();
            environment.keySet().removeIf(name -> name.startsWith("PG"));
            Process process = bash.start();
            if (!process.waitFor(PATH_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor();
            }
            String output = Files.readString(workDir.resolve(file.getFileName() + ".out"), StandardCharsets.UTF_8);
            // A block whose last answer has no newline ends on the marker's line.
            List<String> blockOutputs = List.of(output.split(Pattern.quote(BLOCK_END) + "\\n?", -1));
            return new Run(title, process.exitValue(), output, blockOutputs.subList(0, Math.max(0, blockOutputs.size() - 1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A variable the paths so far left in the shell (as {@code declare -p} shows it), or null. */
    String variable(String name) {
        try {
            Matcher declared = DECLARED.matcher(Files.exists(state) ? Files.readString(state) : "");
            while (declared.find()) {
                if (declared.group(1).equals(name)) {
                    return declared.group(2);
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> jsonObjects(String output) {
        List<JsonNode> objects = new ArrayList<>();
        int position = 0;
        while (position < output.length()) {
            if (output.charAt(position) == '{') {
                try (JsonParser parser = JSON.getFactory().createParser(output.substring(position))) {
                    JsonNode object = JSON.readTree(parser);
                    objects.add(object);
                    position += (int) parser.currentLocation().getCharOffset();
                    continue;
                } catch (IOException notJson) {
                    // a line that starts with '{' but is not JSON: skip it
                }
            }
            int nextLine = output.indexOf('\n', position);
            if (nextLine < 0) {
                break;
            }
            position = nextLine + 1;
            while (position < output.length() && output.charAt(position) == ' ') {
                position++;
            }
        }
        return objects;
    }
}
