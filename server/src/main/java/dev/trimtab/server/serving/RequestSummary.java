package dev.trimtab.server.serving;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a finished request reports beside its choices.
 *
 * @param promptTokens tokens of all prompts
 * @param completionTokens tokens of all returned choices
 * @param alignment the strategy, its parameters and its accounting (forward passes per model, tokens
 *     scored, time per model, reward scores of the candidates), sent as the response's
 *     {@code alignment} field
 */
public record RequestSummary(int promptTokens, int completionTokens, ObjectNode alignment) {}
