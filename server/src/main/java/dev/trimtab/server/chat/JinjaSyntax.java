package dev.trimtab.server.chat;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the Jinja2 constructs that Jinjava parses differently into equivalents that it parses as
 * Jinja2 does. Only the inside of {@code {{ }}} and {@code {% %}} tags changes; text and comments are
 * left alone.
 *
 * <ul>
 *   <li>{@code not x is defined} is {@code not (x is defined)} in Jinja2; Jinjava binds {@code not}
 *       first.
 *   <li>{@code f(a=x - 1)} passes {@code x - 1} in Jinja2; Jinjava subtracts from the named parameter.
 *   <li>{@code xs[::-1]} (a reversed copy) does not parse in Jinjava.
 *   <li>{@code {% for x in xs if cond %}} filters before looping in Jinja2 (so {@code loop.last} is
 *       the last kept item); Jinjava ignores the condition.
 *   <li>Jinja2 drops one trailing newline of the template ({@code keep_trailing_newline=False}).
 * </ul>
 */
final class JinjaSyntax {
    /** The filter that {@code for ... if} becomes; see {@link JinjaLibrary}. */
    static final String FOR_IF_FILTER = "__for_if";

    private static final Pattern TAG = Pattern.compile("(\\{\\{|\\{%)(.*?)(\\}\\}|%\\})", Pattern.DOTALL);
    private static final String OPERAND = "[A-Za-z_][\\w.]*(?:\\[[^\\]\\[]*\\])*";
    private static final Pattern NOT_IS = Pattern.compile("\\bnot\\s+(" + OPERAND + ")\\s+is\\s+(not\\s+)?(\\w+)");
    private static final Pattern REVERSED = Pattern.compile("(" + OPERAND + ")\\[\\s*:\\s*:\\s*-1\\s*\\]");
    private static final Pattern FOR =
            Pattern.compile("^(\\s*-?\\s*for\\s+)(.+?)(\\s+in\\s+)(.*?)(\\s*-?\\s*)$", Pattern.DOTALL);

    private JinjaSyntax() {}

    static String toJinjava(String template) {
        String source = template.endsWith("\r\n")
                ? template.substring(0, template.length() - 2)
                : template.endsWith("\n") ? template.substring(0, template.length() - 1) : template;
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (at < source.length()) {
            int comment = source.indexOf("{#", at);
            Matcher tag = TAG.matcher(source);
            boolean found = tag.find(at);
            if (comment >= 0 && (!found || comment < tag.start())) {
                int end = source.indexOf("#}", comment + 2);
                int stop = end < 0 ? source.length() : end + 2;
                out.append(source, at, stop);
                at = stop;
                continue;
            }
            if (!found) {
                out.append(source, at, source.length());
                break;
            }
            out.append(source, at, tag.start()).append(tag.group(1));
            String body = rewriteExpression(tag.group(2));
            out.append(tag.group(1).equals("{%") ? rewriteForIf(body) : body).append(tag.group(3));
            at = tag.end();
        }
        return out.toString();
    }

    private static String rewriteExpression(String body) {
        String rewritten = NOT_IS.matcher(body).replaceAll("not ($1 is $2$3)");
        rewritten = REVERSED.matcher(rewritten).replaceAll("($1|reverse|list)");
        return parenthesizeNamedArguments(rewritten);
    }

    /** {@code f(a=x - 1, b=y)} becomes {@code f(a=(x - 1), b=(y))}. */
    static String parenthesizeNamedArguments(String body) {
        StringBuilder out = new StringBuilder();
        Deque<Character> brackets = new ArrayDeque<>();
        Deque<Boolean> openValue = new ArrayDeque<>();
        boolean valueOpen = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\'' || c == '"') {
                int end = stringEnd(body, i);
                out.append(body, i, end);
                i = end - 1;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                brackets.push(c);
                openValue.push(valueOpen);
                valueOpen = false;
            } else if (c == ')' || c == ']' || c == '}') {
                if (valueOpen) out.append(')');
                valueOpen = openValue.isEmpty() ? false : openValue.pop();
                if (!brackets.isEmpty()) brackets.pop();
            } else if (c == ',' && valueOpen) {
                out.append(')');
                valueOpen = false;
            } else if (c == '=' && !brackets.isEmpty() && brackets.peek() == '(' && isAssignment(body, i)) {
                out.append("=(");
                valueOpen = true;
                continue;
            }
            out.append(c);
        }
        if (valueOpen) out.append(')');
        return out.toString();
    }

    private static boolean isAssignment(String body, int i) {
        char before = i > 0 ? body.charAt(i - 1) : ' ';
        char after = i + 1 < body.length() ? body.charAt(i + 1) : ' ';
        return after != '=' && "=!<>".indexOf(before) < 0;
    }

    private static int stringEnd(String body, int start) {
        char quote = body.charAt(start);
        for (int i = start + 1; i < body.length(); i++) {
            if (body.charAt(i) == '\\') i++;
            else if (body.charAt(i) == quote) return i + 1;
        }
        return body.length();
    }

    /** {@code for k, v in xs if cond} becomes {@code for k, v in (xs)|__for_if('k, v', 'cond')}. */
    private static String rewriteForIf(String body) {
        Matcher loop = FOR.matcher(body);
        if (!loop.matches()) return body;
        String iterated = loop.group(4);
        int condition = topLevelIf(iterated);
        if (condition < 0) return body;
        return loop.group(1) + loop.group(2) + loop.group(3) + "("
                + iterated.substring(0, condition).strip() + ")|"
                + FOR_IF_FILTER + "(" + quoted(loop.group(2).strip()) + ", "
                + quoted(iterated.substring(condition + 4).strip()) + ")" + loop.group(5);
    }

    private static int topLevelIf(String expression) {
        int depth = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '\'' || c == '"') {
                i = stringEnd(expression, i) - 1;
            } else if ("([{".indexOf(c) >= 0) {
                depth++;
            } else if (")]}".indexOf(c) >= 0) {
                depth--;
            } else if (depth == 0 && expression.startsWith(" if ", i)) {
                return i;
            }
        }
        return -1;
    }

    private static String quoted(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
