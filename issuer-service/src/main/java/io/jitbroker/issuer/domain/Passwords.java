package io.jitbroker.issuer.domain;

import java.security.SecureRandom;

/** Random passwords for dynamic database logins: 40 characters from 62, about 238 bits. */
public final class Passwords {

    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int LENGTH = 40;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Passwords() {
    }

    public static char[] generate() {
        char[] password = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            password[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return password;
    }
}
