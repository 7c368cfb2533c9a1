package dev.trimtab.loadtest.workload;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One request as the workload drew it.
 *
 * @param index its number in issue order within a load step, warm-up included
 * @param strategy the strategy label it is recorded under
 * @param prompt the prompt text
 * @param maxTokens the max_tokens asked for
 * @param body the complete JSON body to POST
 */
public record RequestSpec(long index, String strategy, String prompt, int maxTokens, ObjectNode body) {}
