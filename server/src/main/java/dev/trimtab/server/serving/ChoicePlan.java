package dev.trimtab.server.serving;

import dev.trimtab.decoding.tokenizer.TextTokenizer;
import java.util.List;
import java.util.Optional;

/**
 * The choices of one request, as its progress reports them.
 *
 * @param echoes per choice, the text sent before the completion (the prompt when echoing, else "")
 * @param promptTokens tokens of every choice's prompt together
 * @param tokenizer the tokenizer that spells each token, when the request asked for log-probabilities
 * @param prompts per choice, its prompt's token ids
 * @param recordTokens whether each generated token is reported (log-probabilities or token ids asked)
 * @param echoedTokens per choice, the prompt's tokens with their log-probabilities when the request
 *     echoes with log-probabilities, else empty: reported before the first generated token
 */
record ChoicePlan(
        List<String> echoes,
        int promptTokens,
        Optional<TextTokenizer> tokenizer,
        List<long[]> prompts,
        boolean recordTokens,
        List<List<TokenLogprob>> echoedTokens) {

    ChoicePlan {
        echoes = List.copyOf(echoes);
        prompts = List.copyOf(prompts);
        echoedTokens = List.copyOf(echoedTokens);
    }

    int choices() {
        return echoes.size();
    }
}
