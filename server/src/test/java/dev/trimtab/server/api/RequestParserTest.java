package dev.trimtab.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    @DisplayName("OpenAI fields become sampling parameters")
    void readsFields() throws Exception {
        CompletionRequest request = RequestParser.completion(json("""
                {"model": "demo", "prompt": ["a", [1, 2]], "max_tokens": 7, "temperature": 0.5, "top_p": 0.9,
                 "top_k": -1, "min_p": 0.1, "seed": 42, "stop": "\\n", "n": 2, "echo": true, "stream": true,
                 "stream_options": {"include_usage": true}, "user": "u", "alignment": {"strategy": "none"}}"""));
        assertThat(request.prompts()).hasSize(2);
        assertThat(request.choices()).isEqualTo(4);
        assertThat(request.sampling().maxTokens()).isEqualTo(7);
        assertThat(request.sampling().topK()).isZero();
        assertThat(request.sampling().seed()).hasValue(42);
        assertThat(request.sampling().stop()).containsExactly("\n");
        assertThat(request.includeUsage()).isTrue();
        assertThat(request.alignment().name()).isEqualTo("none");
    }

    @Test
    @DisplayName("chat messages are read with their roles, content parts joined")
    void readsChat() throws Exception {
        CompletionRequest request = RequestParser.chat(json("""
                {"model": "demo", "messages": [{"role": "system", "content": "be brief"},
                 {"role": "user", "content": [{"type": "text", "text": "hi "}, {"type": "text", "text": "there"}]}]}"""));
        PromptInput.Chat chat = (PromptInput.Chat) request.prompts().get(0);
        assertThat(chat.messages())
                .extracting(PromptInput.ChatMessage::content)
                .containsExactly("be brief", "hi there");
        assertThat(request.maxTokensGiven()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"prompt\": \"x\"}                                  | model   | model is required",
                "{\"model\": \"m\"}                                   | prompt  | prompt is required",
                "{\"model\": \"m\", \"prompt\": 3}                    | prompt  | prompt must be a string",
                "{\"model\": \"m\", \"prompt\": \"x\", \"max_tokens\": -1}      | max_tokens  | max_tokens must be an integer in [1, 1000000], got -1",
                "{\"model\": \"m\", \"prompt\": \"x\", \"max_tokens\": 1e400}   | max_tokens  | max_tokens must be an integer",
                "{\"model\": \"m\", \"prompt\": \"x\", \"n\": 99}             | n           | n must be an integer in [1, 16], got 99",
                "{\"model\": \"m\", \"prompt\": \"x\", \"temperature\": \"hot\"} | temperature | temperature must be a finite number, got \"hot\"",
                "{\"model\": \"m\", \"prompt\": \"x\", \"top_p\": 0}          | top_p       | top_p must be in (0, 1], got 0.0",
                "{\"model\": \"m\", \"prompt\": \"x\", \"stop\": [1]}         | stop        | stop must be a string or a list of strings",
                "{\"model\": \"m\", \"prompt\": \"x\", \"alignment\": 5}      | alignment   | alignment must be an object",
                "{\"model\": \"m\", \"prompt\": [[1, -2]]}                 | prompt[0]   | prompt[0][1] must be a token id",
                "{\"model\": \"m\", \"prompt\": \"x\", \"presence_penalty\": 1} | presence_penalty | presence_penalty is not supported",
                "{\"model\": \"m\", \"prompt\": \"x\", \"max_tokens\": 0}       | max_tokens  | max_tokens 0 only scores the prompt, which needs echo true",
                "{\"model\": \"m\", \"prompt\": \"x\", \"logprobs\": 21}       | logprobs    | logprobs must be an integer in [0, 20], got 21",
                "{\"model\": \"m\", \"prompt\": \"x\", \"return_token_ids\": 1} | return_token_ids | return_token_ids must be true or false",
            })
    @DisplayName("a broken rule is a 400 naming the field and the rule")
    void rejectsBadFields(String body, String param, String message) {
        assertThatThrownBy(() -> RequestParser.completion(json(body)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.param()).isEqualTo(param);
                })
                .hasMessageContaining(message);
    }

    @Test
    @DisplayName("logprobs up to 20 and return_token_ids are read; chat's top_logprobs counts only with logprobs")
    void readsLogprobFields() throws Exception {
        CompletionRequest completion = RequestParser.completion(
                json("{\"model\": \"m\", \"prompt\": \"x\", \"logprobs\": 20, \"return_token_ids\": true}"));
        assertThat(completion.logprobs()).hasValue(20);
        assertThat(completion.returnTokenIds()).isTrue();
        assertThat(completion.scoreOnly()).isFalse();
        assertThat(RequestParser.completion(
                                json("{\"model\": \"m\", \"prompt\": \"x\", \"max_tokens\": 0, \"echo\": true}"))
                        .scoreOnly())
                .isTrue();
        String messages = "\"messages\": [{\"role\": \"user\", \"content\": \"x\"}]";
        assertThat(RequestParser.chat(
                                json("{\"model\": \"m\", " + messages + ", \"logprobs\": true, \"top_logprobs\": 7}"))
                        .logprobs())
                .hasValue(7);
        assertThat(RequestParser.chat(json("{\"model\": \"m\", " + messages + ", \"top_logprobs\": 7}"))
                        .logprobs())
                .isEmpty();
        assertThatThrownBy(() -> RequestParser.chat(
                        json("{\"model\": \"m\", " + messages + ", \"logprobs\": true, \"top_logprobs\": 21}")))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.param()).isEqualTo("top_logprobs"))
                .hasMessageContaining("top_logprobs must be an integer in [0, 20], got 21");
    }

    @Test
    @DisplayName("chat roles and content types are checked")
    void rejectsBadMessages() {
        assertThatThrownBy(() -> RequestParser.chat(
                        json("{\"model\": \"m\", \"messages\": [{\"role\": \"robot\", \"content\": \"x\"}]}")))
                .hasMessageContaining(
                        "messages[0].role must be system, user, assistant, developer or tool, got \"robot\"");
        assertThatThrownBy(() -> RequestParser.chat(json("{\"model\": \"m\", \"messages\": []}")))
                .hasMessageContaining("messages must be a non-empty list");
    }
}
