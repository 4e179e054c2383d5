package io.jitbroker.streams;

/** Counts the records a Streams application sends to jit.dead-letters.v1, by the topic they came from. */
@FunctionalInterface
public interface DeadLetterCounter {

    void deadLetter(String sourceTopic);
}
