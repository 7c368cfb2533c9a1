package dev.trimtab.server.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;

/**
 * The configured API keys, compared in constant time: a key is checked against the SHA-256 of
 * every configured key with {@link MessageDigest#isEqual} and no early exit, so that the time an
 * answer takes says nothing about how much of a guess was right (nor about the keys' lengths).
 */
final class ApiKeys {
    private final List<byte[]> digests;

    ApiKeys(Set<String> keys) {
        this.digests = keys.stream().map(ApiKeys::sha256).toList();
    }

    boolean accepts(String candidate) {
        byte[] digest = sha256(candidate);
        boolean accepted = false;
        for (byte[] key : digests) {
            accepted |= MessageDigest.isEqual(key, digest);
        }
        return accepted;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}
