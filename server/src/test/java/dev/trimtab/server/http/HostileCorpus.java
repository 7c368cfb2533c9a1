package dev.trimtab.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hostile request bodies generated systematically: every field of a valid request, at every path,
 * replaced by every value of a fixed catalogue of types and extremes (numbers at and beyond the
 * float and double ranges, tiny ones, wrong types, long strings, nesting, control characters).
 * Each case names the field it changed, which a 4xx must name back.
 */
final class HostileCorpus {
    /** One body: the field it changed (a dotted path as errors name it), and the JSON text. */
    record Case(String endpoint, String field, String description, String body) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private HostileCorpus() {}

    /** The catalogue of replacement values, by a short description. */
    static Map<String, JsonNode> values() {
        Map<String, JsonNode> values = new LinkedHashMap<>();
        values.put("null", NODES.nullNode());
        values.put("true", NODES.booleanNode(true));
        values.put("zero", NODES.numberNode(0));
        values.put("negative zero", NODES.numberNode(-0.0));
        values.put("minus one", NODES.numberNode(-1));
        values.put("1e-40", NODES.numberNode(1e-40));
        values.put("1e-320 (subnormal)", NODES.numberNode(1e-320));
        values.put("1.5", NODES.numberNode(1.5));
        values.put("1e39 (beyond float)", NODES.numberNode(1e39));
        values.put("-1e39", NODES.numberNode(-1e39));
        values.put("1e308", NODES.numberNode(1e308));
        values.put("-1e308", NODES.numberNode(-1e308));
        values.put("2^31", NODES.numberNode(2147483648L));
        values.put("2^63 - 1", NODES.numberNode(Long.MAX_VALUE));
        values.put("huge integer", NODES.numberNode(new java.math.BigInteger("9".repeat(40))));
        values.put("empty string", NODES.textNode(""));
        values.put("string", NODES.textNode("positive"));
        values.put("number as string", NODES.textNode("1"));
        values.put("control characters", NODES.textNode("\u0000\u0001\u001b[2J"));
        values.put("long string", NODES.textNode("ab".repeat(2000)));
        values.put("empty array", NODES.arrayNode());
        values.put("array of numbers", NODES.arrayNode().add(1).add(2));
        values.put("array of strings", NODES.arrayNode().add("a").add("b"));
        values.put("nested arrays", NODES.arrayNode().add(NODES.arrayNode().add(NODES.arrayNode())));
        values.put("empty object", NODES.objectNode());
        values.put("object", NODES.objectNode().put("x", 1));
        return values;
    }

    /** Valid requests, one per endpoint and strategy; every field of each gets every value. */
    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String base : List.of(
                "{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 2, \"temperature\": 0.8, \"top_p\": 0.9,"
                        + " \"top_k\": 5, \"min_p\": 0.01, \"repetition_penalty\": 1.1, \"n\": 1, \"seed\": 3,"
                        + " \"stop\": [\"q\"], \"logprobs\": 0, \"echo\": false, \"stream\": false, \"ignore_eos\": true,"
                        + " \"user\": \"u\", \"split_special_tokens\": false, \"stream_options\": {\"include_usage\": true},"
                        + " \"return_base_logprobs\": true}",
                "{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 2, \"alignment\": {\"strategy\": \"dera\","
                        + " \"lambda\": 0.5, \"aligned\": \"dpo\"}}",
                "{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 2, \"alignment\": {\"strategy\": \"genarm\","
                        + " \"weights\": {\"positive\": 1.0}}}",
                "{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 2, \"stream\": true, \"alignment\":"
                        + " {\"strategy\": \"args\", \"k\": 3, \"weight\": 1.5, \"mode\": \"greedy\","
                        + " \"reward_model\": \"positive-scorer\"}}",
                "{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 2, \"alignment\": {\"strategy\": \"cd\","
                        + " \"k\": 3, \"lambda\": 2.0, \"scorer\": \"positive-prefix\"}}",
                "{\"model\": \"tiny\", \"prompt\": \"x\", \"max_tokens\": 2, \"alignment\": {\"strategy\": \"best_of_n\","
                        + " \"n\": 2, \"tau\": 0.5, \"return_all\": true, \"reward_model\": \"positive-rm\"}}")) {
            cases.addAll(variants("/v1/completions", parse(base)));
        }
        cases.addAll(variants(
                "/v1/chat/completions",
                parse(
                        "{\"model\": \"tiny\", \"max_tokens\": 2, \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}],"
                                + " \"logprobs\": true, \"top_logprobs\": 0, \"return_base_logprobs\": true}")));
        cases.addAll(variants(
                "/v1/classify",
                parse("{\"model\": \"tiny\", \"input\": [\"x\", [3, 4]], \"reward_model\": \"positive-rm\","
                        + " \"use_activation\": false, \"user\": \"u\"}")));
        return cases;
    }

    private static List<Case> variants(String endpoint, ObjectNode valid) {
        List<Case> cases = new ArrayList<>();
        for (String path : leafPaths(valid, "")) {
            values().forEach((description, value) -> {
                ObjectNode body = valid.deepCopy();
                replace(body, path, value);
                cases.add(new Case(endpoint, path, description, body.toString()));
            });
        }
        return cases;
    }

    /** Dotted paths of every field, objects included (so that {@code alignment} itself is replaced too). */
    private static List<String> leafPaths(JsonNode node, String prefix) {
        List<String> paths = new ArrayList<>();
        node.fieldNames().forEachRemaining(name -> {
            String path = prefix.isEmpty() ? name : prefix + "." + name;
            paths.add(path);
            if (node.get(name).isObject()) paths.addAll(leafPaths(node.get(name), path));
        });
        return paths;
    }

    private static void replace(ObjectNode body, String path, JsonNode value) {
        String[] parts = path.split("\\.");
        ObjectNode parent = body;
        for (int i = 0; i < parts.length - 1; i++) parent = (ObjectNode) parent.get(parts[i]);
        parent.set(parts[parts.length - 1], value);
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
