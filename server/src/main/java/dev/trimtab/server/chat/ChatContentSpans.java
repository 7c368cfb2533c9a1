package dev.trimtab.server.chat;

import dev.trimtab.decoding.tokenizer.TextTokenizer;
import dev.trimtab.server.api.ApiException;
import dev.trimtab.server.api.PromptInput;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes a rendered chat prompt whose messages spell special tokens (a user writing {@code
 * <|im_end|>} or {@code <|endoftext|>} to end or forge a turn): the content of each such message
 * is found in the prompt, in order, and encoded as text ({@link TextTokenizer#encodeAsText}); the
 * template's own text around it keeps its special tokens. Content the template changed before
 * writing it (so that it cannot be found verbatim) is refused rather than encoded unsafely.
 */
final class ChatContentSpans {
    private ChatContentSpans() {}

    static long[] tokens(
            String prompt, List<PromptInput.ChatMessage> messages, TextTokenizer tokenizer, boolean postProcess) {
        List<long[]> pieces = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < messages.size(); i++) {
            String content = messages.get(i).content();
            if (!tokenizer.spellsSpecialToken(content)) continue;
            int at = prompt.indexOf(content, from);
            if (at < 0) {
                throw ApiException.invalid(
                        "messages[" + i + "].content",
                        "messages[" + i + "].content spells a special token of the model's tokenizer, and the chat"
                                + " template changes the content before writing it, so it cannot be kept as text;"
                                + " remove the special token");
            }
            pieces.add(template(prompt.substring(from, at), tokenizer, postProcess && pieces.isEmpty()));
            pieces.add(tokenizer.encodeAsText(content));
            from = at + content.length();
        }
        pieces.add(tokenizer.encodeWithoutSpecialTokens(prompt.substring(from)));
        return pieces.stream().flatMapToLong(Arrays::stream).toArray();
    }

    /** Template text: its special tokens stay; the first piece gets the post-processor's when asked. */
    private static long[] template(String text, TextTokenizer tokenizer, boolean postProcess) {
        return postProcess ? tokenizer.encode(text) : tokenizer.encodeWithoutSpecialTokens(text);
    }
}
