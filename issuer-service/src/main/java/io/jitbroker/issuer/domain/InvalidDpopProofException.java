package io.jitbroker.issuer.domain;

/**
 * A DPoP proof that does not prove possession for this request: malformed, wrongly typed or signed,
 * for another method or URI, too old or from the future, replayed, or for another key or token. The
 * message says which, for logs and error bodies; it never quotes a token.
 */
public class InvalidDpopProofException extends RuntimeException {

    public InvalidDpopProofException(String message) {
        super(message);
    }
}
