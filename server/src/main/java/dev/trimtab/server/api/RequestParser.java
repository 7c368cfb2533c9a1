package dev.trimtab.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trimtab.decoding.InvalidRequestException;
import dev.trimtab.decoding.registry.StrategyRegistry;
import dev.trimtab.decoding.sampling.SamplingParams;
import dev.trimtab.decoding.sampling.TopLogprobs;
import dev.trimtab.decoding.strategy.AlignmentStrategy;
import dev.trimtab.decoding.strategy.none.PlainSampling;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a JSON body into a {@link CompletionRequest}, checking every OpenAI field it reads. The
 * first broken rule becomes a 400 naming the field, the rule and the value.
 */
public final class RequestParser {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RequestParser() {}

    public static CompletionRequest completion(JsonNode body) {
        JsonFields fields = fieldsOf(body);
        List<PromptInput> prompts = PromptList.read(body.get("prompt"), "prompt", fields.flag("split_special_tokens"));
        int n = fields.optionalInt("n", 1, CompletionRequest.MAX_N).orElse(1);
        Optional<Integer> logprobs = fields.optionalInt("logprobs", 0, TopLogprobs.MAX_K);
        return build(CompletionRequest.Kind.COMPLETION, fields, prompts, n, fields.flag("echo"), logprobs);
    }

    public static CompletionRequest chat(JsonNode body) {
        JsonFields fields = fieldsOf(body);
        List<PromptInput> prompts = List.of(new PromptInput.Chat(messages(body.get("messages")), chatOptions(body)));
        int n = fields.optionalInt("n", 1, CompletionRequest.MAX_N).orElse(1);
        Optional<Integer> logprobs = fields.flag("logprobs")
                ? Optional.of(
                        fields.optionalInt("top_logprobs", 0, TopLogprobs.MAX_K).orElse(0))
                : Optional.empty();
        return build(CompletionRequest.Kind.CHAT, fields, prompts, n, false, logprobs);
    }

    private static JsonFields fieldsOf(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid(null, "the request body must be a JSON object");
        }
        return new JsonFields(body, "");
    }

    private static CompletionRequest build(
            CompletionRequest.Kind kind,
            JsonFields fields,
            List<PromptInput> prompts,
            int n,
            boolean echo,
            Optional<Integer> logprobs) {
        String model = fields.requiredString("model");
        rejectUnsupportedPenalties(fields);
        boolean scoreOnly = scoreOnly(fields, echo);
        Optional<Integer> maxTokens = (scoreOnly
                        ? Optional.of(1)
                        : fields.optionalInt("max_tokens", 1, SamplingParams.MAX_MAX_TOKENS))
                .or(() -> kind == CompletionRequest.Kind.CHAT
                        ? fields.optionalInt("max_completion_tokens", 1, SamplingParams.MAX_MAX_TOKENS)
                        : Optional.empty());
        int defaultMax =
                kind == CompletionRequest.Kind.CHAT ? SamplingParams.MAX_MAX_TOKENS : SamplingParams.DEFAULT_MAX_TOKENS;
        SamplingParams sampling = sampling(fields, maxTokens.orElse(defaultMax));
        boolean stream = fields.flag("stream");
        boolean includeUsage = stream
                && fields.optionalObject("stream_options")
                        .map(options -> new JsonFields(options, "stream_options.").flag("include_usage"))
                        .orElse(false);
        fields.optionalString("user");
        return new CompletionRequest(
                kind,
                model,
                prompts,
                sampling,
                maxTokens.isPresent(),
                n,
                echo,
                stream,
                includeUsage,
                logprobs,
                fields.flag("return_token_ids"),
                baseLogprobs(kind, fields, logprobs),
                scoreOnly,
                alignment(fields));
    }

    /**
     * {@code return_base_logprobs}: the base model's log-probability of each generated token beside
     * the strategy's, which lives in the {@code logprobs} the request must ask for (a 400 naming
     * {@code logprobs}, the field missing).
     */
    private static boolean baseLogprobs(CompletionRequest.Kind kind, JsonFields fields, Optional<Integer> logprobs) {
        boolean asked = fields.flag("return_base_logprobs");
        if (asked && logprobs.isEmpty()) {
            String needed = kind == CompletionRequest.Kind.CHAT ? "logprobs: true" : "logprobs (0 to 20)";
            throw ApiException.invalid(
                    "logprobs",
                    "return_base_logprobs puts the base model's log-probabilities in the logprobs of the answer,"
                            + " so it needs " + needed + "; set logprobs or leave return_base_logprobs out");
        }
        return asked;
    }

    /**
     * Whether the request only scores its prompt: {@code max_tokens: 0}, allowed with {@code echo}
     * (completions; the legacy OpenAI API's way to get a text's log-probabilities).
     */
    private static boolean scoreOnly(JsonFields fields, boolean echo) {
        if (!fields.isZero("max_tokens")) {
            return false;
        }
        if (!echo) {
            throw ApiException.invalid(
                    "max_tokens",
                    "max_tokens 0 only scores the prompt, which needs echo true on /v1/completions (with logprobs"
                            + " for the scores); set max_tokens in [1, " + SamplingParams.MAX_MAX_TOKENS + "] or echo"
                            + " true");
        }
        return true;
    }

    /** The {@code alignment} object as a validated strategy, read against the strategy registry. */
    private static AlignmentStrategy alignment(JsonFields fields) {
        Optional<JsonNode> alignment = fields.optionalObject("alignment");
        if (alignment.isEmpty()) {
            return PlainSampling.INSTANCE;
        }
        try {
            return StrategyRegistry.standard().parse(alignment.get());
        } catch (InvalidRequestException e) {
            throw ApiException.of(e);
        }
    }

    private static void rejectUnsupportedPenalties(JsonFields fields) {
        for (String field : List.of("frequency_penalty", "presence_penalty")) {
            if (fields.optionalDouble(field).orElse(0.0) != 0.0) {
                throw ApiException.invalid(field, field + " is not supported; use repetition_penalty");
            }
        }
    }

    private static SamplingParams sampling(JsonFields fields, int maxTokens) {
        int topK = fields.optionalInt("top_k", -1, Integer.MAX_VALUE).orElse(0);
        SamplingParams params = SamplingParams.defaults().withMaxTokens(maxTokens);
        try {
            params = params.withTemperature(
                            fields.optionalDouble("temperature").orElse(SamplingParams.DEFAULT_TEMPERATURE))
                    .withTopP(fields.optionalDouble("top_p").orElse(SamplingParams.DEFAULT_TOP_P))
                    .withTopK(Math.max(0, topK))
                    .withMinP(fields.optionalDouble("min_p").orElse(SamplingParams.DEFAULT_MIN_P))
                    .withRepetitionPenalty(fields.optionalDouble("repetition_penalty")
                            .orElse(SamplingParams.DEFAULT_REPETITION_PENALTY))
                    .withStop(fields.stringOrList("stop", SamplingParams.MAX_STOP_SEQUENCES))
                    .withIgnoreEos(fields.flag("ignore_eos"));
        } catch (InvalidRequestException e) {
            throw ApiException.of(e);
        }
        Optional<Long> seed = fields.optionalLong("seed");
        return seed.isPresent() ? params.withSeed(seed.get()) : params;
    }

    private static List<PromptInput.ChatMessage> messages(JsonNode messages) {
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw ApiException.invalid("messages", "messages must be a non-empty list of {role, content} objects");
        }
        List<PromptInput.ChatMessage> parsed = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            parsed.add(message(messages.get(i), "messages[" + i + "]"));
        }
        return parsed;
    }

    private static PromptInput.ChatMessage message(JsonNode message, String name) {
        if (!message.isObject()) {
            throw ApiException.invalid(name, name + " must be an object with role and content");
        }
        JsonFields fields = new JsonFields(message, name + ".");
        String role = fields.requiredString("role");
        if (!List.of("system", "user", "assistant", "developer", "tool").contains(role)) {
            throw ApiException.invalid(
                    name + ".role",
                    name + ".role must be system, user, assistant, developer or tool, got \"" + role + "\"");
        }
        return withToolFields(message, fields, name, role, content(message.get("content"), name + ".content"));
    }

    /** Content as a string, or as a list of {type: text, text} parts joined. */
    private static String content(JsonNode content, String name) {
        if (content == null || content.isNull()) return "";
        if (content.isTextual()) return content.asText();
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!part.isObject()
                        || !"text".equals(part.path("type").asText())
                        || !part.path("text").isTextual()) {
                    throw ApiException.invalid(
                            name,
                            name
                                    + " parts must be {\"type\": \"text\", \"text\": ...}; other part types are not supported");
                }
                text.append(part.get("text").asText());
            }
            return text.toString();
        }
        throw ApiException.invalid(
                name, name + " must be a string or a list of text parts, got " + JsonFields.abbreviate(content));
    }

    /** A message's optional name, reasoning, tool calls (assistant) and tool_call_id (tool). */
    private static PromptInput.ChatMessage withToolFields(
            JsonNode message, JsonFields fields, String name, String role, String content) {
        List<PromptInput.ToolCall> calls = new ArrayList<>();
        JsonNode toolCalls = present(message, "tool_calls");
        if (toolCalls != null) {
            if (!role.equals("assistant") || !toolCalls.isArray()) {
                throw ApiException.invalid(
                        name + ".tool_calls", name + ".tool_calls must be a list, and only on assistant messages");
            }
            for (int i = 0; i < toolCalls.size(); i++) {
                calls.add(toolCall(toolCalls.get(i), name + ".tool_calls[" + i + "]"));
            }
        }
        return new PromptInput.ChatMessage(
                role,
                content,
                fields.optionalString("name"),
                calls,
                fields.optionalString("tool_call_id"),
                fields.optionalString("reasoning_content"));
    }

    /** {id, type: function, function: {name, arguments}}; arguments, a JSON string on the wire, parsed. */
    private static PromptInput.ToolCall toolCall(JsonNode call, String name) {
        if (!call.isObject())
            throw ApiException.invalid(name, name + " must be an object, got " + JsonFields.abbreviate(call));
        JsonFields fields = new JsonFields(call, name + ".");
        String id = fields.optionalString("id").orElse("");
        JsonNode functionNode = functionObject(call, name);
        JsonFields function = new JsonFields(functionNode, name + ".function.");
        String functionName = function.requiredString("name");
        JsonNode arguments = present(functionNode, "arguments");
        String argumentsName = name + ".function.arguments";
        if (arguments == null) return new PromptInput.ToolCall(id, functionName, JSON.createObjectNode());
        if (arguments.isObject()) return new PromptInput.ToolCall(id, functionName, arguments);
        try {
            JsonNode parsed = arguments.isTextual() ? JSON.readTree(arguments.asText()) : null;
            if (parsed != null && parsed.isObject()) return new PromptInput.ToolCall(id, functionName, parsed);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // reported below
        }
        throw ApiException.invalid(
                argumentsName,
                argumentsName + " must be a JSON object encoded as a string, got " + JsonFields.abbreviate(arguments));
    }

    private static JsonNode functionObject(JsonNode owner, String name) {
        JsonNode type = owner.get("type");
        if (type != null && !"function".equals(type.asText())) {
            throw ApiException.invalid(
                    name + ".type", name + ".type must be \"function\", got " + JsonFields.abbreviate(type));
        }
        JsonNode function = owner.get("function");
        if (function == null || !function.isObject()) {
            throw ApiException.invalid(name + ".function", name + ".function must be an object with a name");
        }
        return function;
    }

    private static JsonNode present(JsonNode object, String field) {
        JsonNode node = object.get(field);
        return node == null || node.isNull() ? null : node;
    }

    /** Template variables that chat_template_kwargs may not replace. */
    private static final List<String> RESERVED_TEMPLATE_VARIABLES =
            List.of("messages", "tools", "documents", "tool_choice", "add_generation_prompt");

    /** tools, tool_choice, documents and chat_template_kwargs, which reach the chat template as given. */
    private static PromptInput.ChatOptions chatOptions(JsonNode body) {
        Optional<List<JsonNode>> tools = objectList(body.get("tools"), "tools");
        tools.ifPresent(RequestParser::checkTools);
        Optional<JsonNode> toolChoice =
                Optional.ofNullable(body.get("tool_choice")).filter(c -> !c.isNull());
        toolChoice.ifPresent(choice -> checkToolChoice(choice, tools.orElse(List.of())));
        Optional<List<JsonNode>> documents = objectList(body.get("documents"), "documents");
        Map<String, JsonNode> kwargs = new LinkedHashMap<>();
        new JsonFields(body, "").optionalObject("chat_template_kwargs").ifPresent(object -> object.properties()
                .forEach(e -> kwargs.put(e.getKey(), e.getValue())));
        for (String reserved : RESERVED_TEMPLATE_VARIABLES) {
            if (kwargs.containsKey(reserved)) {
                throw ApiException.invalid(
                        "chat_template_kwargs." + reserved,
                        "chat_template_kwargs." + reserved + " is set by the server; use the request's own field");
            }
        }
        return new PromptInput.ChatOptions(tools, toolChoice, documents, kwargs);
    }

    private static Optional<List<JsonNode>> objectList(JsonNode node, String name) {
        if (node == null || node.isNull()) return Optional.empty();
        if (!node.isArray())
            throw ApiException.invalid(name, name + " must be a list of objects, got " + JsonFields.abbreviate(node));
        List<JsonNode> items = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isObject()) {
                throw ApiException.invalid(
                        name + "[" + i + "]",
                        name + "[" + i + "] must be an object, got " + JsonFields.abbreviate(node.get(i)));
            }
            items.add(node.get(i));
        }
        return Optional.of(items);
    }

    /** Each tool is {type: function, function: {name, description?, parameters?}}. */
    private static void checkTools(List<JsonNode> tools) {
        for (int i = 0; i < tools.size(); i++) {
            String name = "tools[" + i + "]";
            JsonNode function = functionObject(tools.get(i), name);
            JsonFields fields = new JsonFields(function, name + ".function.");
            String functionName = fields.requiredString("name");
            if (!functionName.matches("[A-Za-z0-9_.:-]{1,64}")) {
                throw ApiException.invalid(
                        name + ".function.name",
                        name + ".function.name must be 1 to 64 letters, digits, _ . : or -, got \"" + functionName
                                + "\"");
            }
            fields.optionalString("description");
            fields.optionalObject("parameters");
        }
    }

    /** "none", "auto", "required", or {type: function, function: {name}} naming one of the tools. */
    private static void checkToolChoice(JsonNode choice, List<JsonNode> tools) {
        if (choice.isTextual() && List.of("none", "auto", "required").contains(choice.asText())) return;
        if (!choice.isObject()) {
            throw ApiException.invalid(
                    "tool_choice",
                    "tool_choice must be \"none\", \"auto\", \"required\" or {\"type\": \"function\", \"function\": {\"name\": ...}}, got "
                            + JsonFields.abbreviate(choice));
        }
        String chosen =
                new JsonFields(functionObject(choice, "tool_choice"), "tool_choice.function.").requiredString("name");
        boolean offered = tools.stream()
                .anyMatch(t -> chosen.equals(t.path("function").path("name").asText()));
        if (!offered) {
            throw ApiException.invalid(
                    "tool_choice.function.name",
                    "tool_choice.function.name must name one of the request's tools, got \"" + chosen + "\"");
        }
    }
}
