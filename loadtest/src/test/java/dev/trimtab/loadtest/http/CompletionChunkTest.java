package dev.trimtab.loadtest.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompletionChunkTest {

    @Test
    @DisplayName("A text chunk yields its text and no usage")
    void textChunk() {
        CompletionChunk chunk = CompletionChunk.parse(
                "{\"id\":\"c\",\"choices\":[{\"index\":0,\"text\":\" the\",\"finish_reason\":null}],\"usage\":null}");
        assertThat(chunk).isEqualTo(new CompletionChunk(" the", -1, -1, null));
        assertThat(chunk.hasText()).isTrue();
    }

    @Test
    @DisplayName("The final usage chunk (include_usage) has empty choices and the token counts")
    void usageChunk() {
        CompletionChunk chunk = CompletionChunk.parse(
                "{\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":12,\"total_tokens\":17}}");
        assertThat(chunk).isEqualTo(new CompletionChunk("", 12, 5, null));
        assertThat(CompletionChunk.parse("{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":12}}")
                        .completionTokens())
                .isEqualTo(12);
    }

    @Test
    @DisplayName("A finish chunk with an empty text carries no token")
    void emptyText() {
        assertThat(CompletionChunk.parse("{\"choices\":[{\"text\":\"\",\"finish_reason\":\"length\"}]}")
                        .hasText())
                .isFalse();
    }

    @Test
    @DisplayName("An error object inside the stream is reported as the server's error")
    void errorEvent() {
        assertThat(CompletionChunk.parse("{\"error\":{\"message\":\"out of memory\",\"code\":500}}")
                        .error())
                .isEqualTo("out of memory");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ';',
            value = {
                "{\"choices\": [; data is not JSON",
                "42; data is not a JSON object: 42",
                "{\"id\": \"x\"}; chunk has no \"choices\" array",
                "{\"choices\": {}}; chunk field \"choices\" must be an array",
                "{\"choices\": [{\"text\": 5}]}; chunk field \"choices[].text\" must be a string",
                "{\"choices\": [], \"usage\": {\"completion_tokens\": -1}}; usage.completion_tokens must be a non-negative integer"
            })
    @DisplayName("Payloads that are not completions chunks are malformed, with the reason and an excerpt")
    void malformed(String data, String message) {
        assertThatThrownBy(() -> CompletionChunk.parse(data))
                .isInstanceOf(MalformedSseException.class)
                .hasMessageContaining(message);
    }
}
