package dev.trimtab.server.chat;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import jinjava.javax.el.CompositeELResolver;

/**
 * Jinjava configured as transformers configures Jinja2 for chat templates: {@code trim_blocks},
 * {@code lstrip_blocks}, {@code -} trimming on expressions and comments, Jinja2's operator
 * precedence, no trailing newline, plus {@link JinjaLibrary} and {@link PythonMethods}. Templates go
 * through {@link JinjaSyntax} first. Thread-safe: one instance serves every render.
 */
final class JinjaRenderer {
    private final Jinjava jinjava;

    JinjaRenderer() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withElResolver(resolver)
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        .withUseTrimmingForNotesAndExpressions(true)
                        .withParseWhitespaceControlStrictly(true)
                        .withUseNaturalOperatorPrecedence(true)
                        .withKeepNullableLoopValues(true)
                        .withEvaluateMapKeys(true)
                        .withUsePyishObjectMapper(true)
                        .withHandleBackslashInQuotesOnly(true)
                        .withAllowAdjacentTextNodes(true)
                        .build())
                .build();
        jinjava = new Jinjava(config);
        JinjaLibrary.register(jinjava.getGlobalContext());
    }

    /** {@code template} as {@link JinjaSyntax#toJinjava} rewrote it, rendered with {@code variables}. */
    String render(String template, Map<String, Object> variables, Clock clock) throws ChatTemplateException {
        RenderState state = new RenderState(clock);
        Map<String, Object> context = new HashMap<>(variables);
        context.put(JinjaLibrary.STATE, state);
        // transformers' strftime_now is a global, so `strftime_now is defined` holds (Llama 3.2).
        context.putIfAbsent("strftime_now", "strftime_now");
        RenderResult result = jinjava.renderForResult(template, context);
        if (state.raised().isPresent()) {
            throw new ChatTemplateException(
                    ChatTemplateException.Code.RAISED, state.raised().get());
        }
        for (TemplateError error : result.getErrors()) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                throw new ChatTemplateException(
                        ChatTemplateException.Code.UNSUPPORTED,
                        "line " + error.getLineno() + ": " + error.getMessage());
            }
        }
        return result.getOutput();
    }
}
