package dev.trimtab.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatRequestParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PromptInput.Chat chat(String body) throws Exception {
        return (PromptInput.Chat)
                RequestParser.chat(JSON.readTree(body)).prompts().get(0);
    }

    @Test
    @DisplayName("tools, tool_choice, documents and chat_template_kwargs reach the chat as given")
    void readsTemplateInputs() throws Exception {
        PromptInput.Chat chat = chat("""
                {"model": "m", "messages": [{"role": "user", "content": "hi"}],
                 "tools": [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object"}}}],
                 "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
                 "documents": [{"title": "a", "text": "b"}],
                 "chat_template_kwargs": {"enable_thinking": false}}""");
        assertThat(chat.options().tools()).get().asList().hasSize(1);
        assertThat(chat.options().toolChoice()).isPresent();
        assertThat(chat.options().documents()).get().asList().hasSize(1);
        assertThat(chat.options().templateKwargs().get("enable_thinking").asBoolean())
                .isFalse();
    }

    @Test
    @DisplayName("a chat without tools has none, not an empty list (templates test tools is not none)")
    void absentToolsAreNone() throws Exception {
        PromptInput.Chat chat = chat("{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}");
        assertThat(chat.options().tools()).isEmpty();
        assertThat(chat.options().documents()).isEmpty();
    }

    @Test
    @DisplayName("an assistant's tool calls keep their id and name, arguments parsed from the JSON string")
    void readsToolCalls() throws Exception {
        PromptInput.Chat chat = chat("""
                {"model": "m", "messages": [{"role": "user", "content": "weather?"},
                 {"role": "assistant", "content": null, "tool_calls": [{"id": "call_1", "type": "function",
                   "function": {"name": "get_weather", "arguments": "{\\"city\\": \\"Oslo\\"}"}}]},
                 {"role": "tool", "tool_call_id": "call_1", "content": "21 C"}]}""");
        PromptInput.ChatMessage assistant = chat.messages().get(1);
        assertThat(assistant.content()).isEmpty();
        assertThat(assistant.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.id()).isEqualTo("call_1");
            assertThat(call.name()).isEqualTo("get_weather");
            assertThat(call.arguments().get("city").asText()).isEqualTo("Oslo");
        });
        assertThat(chat.messages().get(2).toolCallId()).hasValue("call_1");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "\"tools\": [{\"type\": \"function\", \"function\": {}}]                        | tools[0].function.name | tools[0].function.name is required",
                "\"tools\": [{\"type\": \"function\", \"function\": {\"name\": \"a b\"}}]         | tools[0].function.name | tools[0].function.name must be 1 to 64 letters",
                "\"tools\": [{\"type\": \"retrieval\"}]                                         | tools[0].type          | tools[0].type must be \"function\"",
                "\"tools\": {}                                                              | tools                  | tools must be a list of objects",
                "\"tool_choice\": \"always\"                                                  | tool_choice            | tool_choice must be \"none\", \"auto\", \"required\"",
                "\"tool_choice\": {\"type\": \"function\", \"function\": {\"name\": \"x\"}}          | tool_choice.function.name | tool_choice.function.name must name one of the request's tools",
                "\"chat_template_kwargs\": {\"messages\": []}                                   | chat_template_kwargs.messages | chat_template_kwargs.messages is set by the server",
                "\"chat_template_kwargs\": 3                                                  | chat_template_kwargs   | chat_template_kwargs must be an object",
                "\"documents\": [\"text\"]                                                      | documents[0]           | documents[0] must be an object",
            })
    void rejectsBadTemplateInputs(String field, String param, String message) throws Exception {
        JsonNode body = JSON.readTree(
                "{\"model\": \"m\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], " + field + "}");
        assertThatThrownBy(() -> RequestParser.chat(body)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.param()).isEqualTo(param);
            assertThat(e.getMessage()).startsWith(message);
        });
    }

    @Test
    @DisplayName("tool-call arguments that are not a JSON object are a 400 naming the call")
    void rejectsBadArguments() throws Exception {
        JsonNode body = JSON.readTree("""
                {"model": "m", "messages": [{"role": "assistant", "content": "", "tool_calls": [
                  {"id": "c", "type": "function", "function": {"name": "f", "arguments": "{not json"}}]}]}""");
        assertThatThrownBy(() -> RequestParser.chat(body)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.param()).isEqualTo("messages[0].tool_calls[0].function.arguments");
            assertThat(e.getMessage()).contains("must be a JSON object encoded as a string, got \"{not json\"");
        });
    }
}
