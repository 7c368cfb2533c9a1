package dev.trimtab.server.api;

import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import java.util.List;
import java.util.Optional;

/**
 * A validated {@code /v1/completions} or {@code /v1/chat/completions} request.
 *
 * @param kind completion or chat
 * @param model the base model's name
 * @param prompts one or more prompts (chat: exactly one, the messages)
 * @param sampling sampling parameters; {@code maxTokens} is the request's or, when absent, the
 *     default of its kind (16 for completions, the rest of the context for chat, capped later)
 * @param maxTokensGiven whether the client set {@code max_tokens}
 * @param n completions per prompt
 * @param echo whether to prepend the prompt to the completion text
 * @param stream whether to answer with Server-Sent Events
 * @param includeUsage whether a streamed answer ends with a usage chunk
 * @param logprobs how many top alternatives to return per token, when asked
 * @param returnTokenIds whether to return the prompt's and each choice's token ids ({@code
 *     return_token_ids}, vLLM's field)
 * @param baseLogprobs whether each generated token's log-probability under the base model comes
 *     beside the strategy's ({@code return_base_logprobs}); only with {@code logprobs}
 * @param scoreOnly {@code max_tokens: 0} with {@code echo}: the prompt is echoed (with its
 *     log-probabilities when asked) and nothing is generated; {@code sampling.maxTokens} is then 1,
 *     unused
 * @param alignment the strategy with its validated parameters ({@code none} when the request gave no
 *     {@code alignment} object)
 */
public record CompletionRequest(
        Kind kind,
        String model,
        List<PromptInput> prompts,
        SamplingParams sampling,
        boolean maxTokensGiven,
        int n,
        boolean echo,
        boolean stream,
        boolean includeUsage,
        Optional<Integer> logprobs,
        boolean returnTokenIds,
        boolean baseLogprobs,
        boolean scoreOnly,
        AlignmentStrategy alignment) {

    /** Which endpoint the request came to. */
    public enum Kind {
        COMPLETION,
        CHAT
    }

    /** Most completions per prompt ({@code n}). */
    public static final int MAX_N = 16;

    /** Most prompts in one completion request. */
    public static final int MAX_PROMPTS = 64;

    public CompletionRequest {
        prompts = List.copyOf(prompts);
    }

    /** Completions this request asks for: prompts times n. */
    public int choices() {
        return prompts.size() * n;
    }

    public CompletionRequest withSampling(SamplingParams newSampling) {
        return new CompletionRequest(
                kind,
                model,
                prompts,
                newSampling,
                maxTokensGiven,
                n,
                echo,
                stream,
                includeUsage,
                logprobs,
                returnTokenIds,
                baseLogprobs,
                scoreOnly,
                alignment);
    }
}
