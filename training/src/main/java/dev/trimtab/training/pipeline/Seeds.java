package dev.trimtab.training.pipeline;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Seeds of the pipeline's random choices, each derived from the recipe's seed and a label ({@code
 * "init", "dpo"}), so that every choice is replayable and adding a run changes no other run's
 * randomness.
 */
final class Seeds {
    private Seeds() {}

    static long derive(long root, String... labels) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(ByteBuffer.allocate(Long.BYTES).putLong(root).array());
            for (String label : labels) {
                digest.update((byte) 0);
                digest.update(label.getBytes(StandardCharsets.UTF_8));
            }
            return ByteBuffer.wrap(digest.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
