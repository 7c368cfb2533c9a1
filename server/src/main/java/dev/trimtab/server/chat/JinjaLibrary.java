package dev.trimtab.server.chat;

import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What transformers adds to a chat template's Jinja2 environment, and the Jinja2 builtins Jinjava
 * lacks or reads differently: {@code raise_exception}, {@code strftime_now}, {@code tojson} with
 * {@code json.dumps}'s arguments, the {@code items} filter, strings being {@code iterable}, and the
 * filter that {@code for ... if} is rewritten to ({@link JinjaSyntax}).
 */
final class JinjaLibrary {
    /** The context variable holding the {@link RenderState} of the render in progress. */
    static final String STATE = "__trimtab_chat_render";

    private JinjaLibrary() {}

    static void register(Context global) {
        global.registerFunction(function("raise_exception", "raiseException"));
        global.registerFunction(function("strftime_now", "strftimeNow"));
        global.registerFilter(new ToJson());
        global.registerFilter(new Items());
        global.registerFilter(new ForIf());
        global.registerExpTest(new Iterable());
    }

    private static ELFunctionDefinition function(String name, String method) {
        return new ELFunctionDefinition("", name, JinjaLibrary.class, method, String.class);
    }

    /** Jinja2's {@code raise_exception(message)}: the render stops with the template's message. */
    public static String raiseException(String message) {
        state().raise(message);
        throw new TemplateRaised(message);
    }

    /** transformers' {@code strftime_now(format)}: the render's clock, in Python's strftime format. */
    public static String strftimeNow(String format) {
        return PythonStrftime.format(ZonedDateTime.now(state().clock()), format);
    }

    private static RenderState state() {
        return (RenderState) JinjavaInterpreter.getCurrent().getContext().get(STATE);
    }

    /** Thrown by {@code raise_exception} to stop the render. */
    static final class TemplateRaised extends RuntimeException {
        TemplateRaised(String message) {
            super(message, null, false, false);
        }
    }

    private static final class ToJson implements Filter {
        @Override
        public String getName() {
            return "tojson";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            return filter(var, interpreter, args, Map.of());
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
            Object indent = kwargs.getOrDefault("indent", args.length > 0 ? args[0] : null);
            String indentText =
                    indent == null ? null : indent instanceof Number n ? " ".repeat(n.intValue()) : indent.toString();
            String item = null;
            String key = null;
            if (kwargs.get("separators") instanceof List<?> separators && separators.size() == 2) {
                item = String.valueOf(separators.get(0));
                key = String.valueOf(separators.get(1));
            }
            boolean sort = Boolean.TRUE.equals(kwargs.get("sort_keys"));
            return new PythonJson(indentText, item, key, sort).dumps(var);
        }
    }

    private static final class Items implements Filter {
        @Override
        public String getName() {
            return "items";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            if (!(var instanceof Map<?, ?> map)) return List.of();
            return map.entrySet().stream()
                    .map(e -> List.of(e.getKey(), e.getValue()))
                    .toList();
        }
    }

    /** Jinja2's {@code for targets in items if condition}: the items whose condition holds. */
    private static final class ForIf implements Filter {
        @Override
        public String getName() {
            return JinjaSyntax.FOR_IF_FILTER;
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            List<String> targets = List.of(args[0].split("\\s*,\\s*"));
            List<Object> kept = new ArrayList<>();
            for (Object item : items(var)) {
                try (var scope = interpreter.enterScope()) {
                    bind(interpreter.getContext(), targets, item);
                    if (truthy(interpreter.resolveELExpression(args[1], interpreter.getLineNumber()))) kept.add(item);
                }
            }
            return kept;
        }

        private static Collection<?> items(Object var) {
            if (var instanceof Map<?, ?> map) return map.keySet();
            if (var instanceof Collection<?> collection) return collection;
            return List.of();
        }

        private static void bind(Context context, List<String> targets, Object item) {
            if (targets.size() == 1) {
                context.put(targets.get(0), item);
                return;
            }
            List<?> values = item instanceof Map.Entry<?, ?> entry
                    ? List.of(entry.getKey(), entry.getValue())
                    : new ArrayList<>((Collection<?>) item);
            for (int i = 0; i < targets.size(); i++) context.put(targets.get(i), values.get(i));
        }

        private static boolean truthy(Object value) {
            return switch (value) {
                case null -> false;
                case Boolean b -> b;
                case Number n -> n.doubleValue() != 0;
                case CharSequence s -> !s.isEmpty();
                case Collection<?> c -> !c.isEmpty();
                case Map<?, ?> m -> !m.isEmpty();
                default -> true;
            };
        }
    }

    /** Jinja2's {@code iterable}: strings are iterable too (Llama 3.2 relies on it for tool results). */
    private static final class Iterable implements ExpTest {
        @Override
        public String getName() {
            return "iterable";
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return var instanceof java.lang.Iterable<?>
                    || var instanceof Map<?, ?>
                    || var instanceof CharSequence
                    || (var != null && var.getClass().isArray());
        }
    }
}
