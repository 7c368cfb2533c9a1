package dev.trimtab.server.chat;

import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;

/**
 * The Python {@code str} and {@code dict} methods that chat templates call, with Python's meaning:
 * {@code split} splits on a literal separator (Java's splits on a regular expression), {@code
 * strip(chars)} strips those characters, {@code startswith} takes a tuple. Other bases and methods
 * fall through to Jinjava's own resolvers.
 */
final class PythonMethods extends ELResolver {

    @Override
    public Object invoke(ELContext context, Object base, Object method, Class<?>[] types, Object[] params) {
        if (method == null) return null;
        Object[] args = params == null ? new Object[0] : params;
        Object result;
        if (base instanceof CharSequence text && !(base instanceof Collection<?>)) {
            result = stringMethod(text.toString(), method.toString(), args);
        } else if (base instanceof Map<?, ?> map) {
            result = mapMethod(map, method.toString(), args);
        } else {
            return null;
        }
        if (result == NOT_HANDLED) return null;
        context.setPropertyResolved(true);
        return result;
    }

    private static final Object NOT_HANDLED = new Object();

    private static Object stringMethod(String s, String name, Object[] args) {
        return switch (name) {
            case "strip" -> rstrip(lstrip(s, chars(args)), chars(args));
            case "lstrip" -> lstrip(s, chars(args));
            case "rstrip" -> rstrip(s, chars(args));
            case "split" -> split(s, args);
            case "startswith" -> anyPrefix(s, args.length > 0 ? args[0] : null, true);
            case "endswith" -> anyPrefix(s, args.length > 0 ? args[0] : null, false);
            case "upper" -> s.toUpperCase(java.util.Locale.ROOT);
            case "lower" -> s.toLowerCase(java.util.Locale.ROOT);
            case "title" -> title(s);
            case "capitalize" ->
                s.isEmpty()
                        ? s
                        : s.substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                                + s.substring(1).toLowerCase(java.util.Locale.ROOT);
            case "replace" -> replace(s, args);
            case "find" -> (long) s.indexOf(String.valueOf(args[0]));
            case "count" -> (long) count(s, String.valueOf(args[0]));
            case "join" -> join(s, args[0]);
            case "isdigit" -> !s.isEmpty() && s.chars().allMatch(Character::isDigit);
            case "isspace" -> !s.isEmpty() && s.chars().allMatch(Character::isWhitespace);
            default -> NOT_HANDLED;
        };
    }

    private static Object mapMethod(Map<?, ?> map, String name, Object[] args) {
        return switch (name) {
            case "get" -> map.containsKey(args[0]) ? map.get(args[0]) : args.length > 1 ? args[1] : null;
            case "items" ->
                map.entrySet().stream()
                        .map(e -> List.of(e.getKey(), e.getValue()))
                        .toList();
            case "keys" -> new ArrayList<>(map.keySet());
            case "values" -> new ArrayList<>(map.values());
            default -> NOT_HANDLED;
        };
    }

    /** Python's default: whitespace. */
    private static String chars(Object[] args) {
        return args.length == 0 || args[0] == null ? null : String.valueOf(args[0]);
    }

    private static boolean strips(String chars, char c) {
        return chars == null ? Character.isWhitespace(c) : chars.indexOf(c) >= 0;
    }

    static String lstrip(String s, String chars) {
        int start = 0;
        while (start < s.length() && strips(chars, s.charAt(start))) start++;
        return s.substring(start);
    }

    static String rstrip(String s, String chars) {
        int end = s.length();
        while (end > 0 && strips(chars, s.charAt(end - 1))) end--;
        return s.substring(0, end);
    }

    private static List<String> split(String s, Object[] args) {
        String separator = args.length == 0 || args[0] == null ? null : String.valueOf(args[0]);
        long maxSplit = args.length > 1 ? ((Number) args[1]).longValue() : -1;
        List<String> parts = new ArrayList<>();
        if (separator == null) {
            for (String part : s.strip().split("\\s+", maxSplit < 0 ? 0 : (int) maxSplit + 1)) {
                if (!part.isEmpty()) parts.add(part);
            }
            return parts;
        }
        if (separator.isEmpty()) throw new IllegalArgumentException("empty separator");
        int from = 0;
        for (int at = s.indexOf(separator);
                at >= 0 && (maxSplit < 0 || parts.size() < maxSplit);
                at = s.indexOf(separator, from)) {
            parts.add(s.substring(from, at));
            from = at + separator.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    private static boolean anyPrefix(String s, Object affixes, boolean prefix) {
        Collection<?> options = affixes instanceof Collection<?> many
                ? many
                : affixes instanceof Object[] array ? Arrays.asList(array) : List.of(String.valueOf(affixes));
        for (Object affix : options) {
            String text = String.valueOf(affix);
            if (prefix ? s.startsWith(text) : s.endsWith(text)) return true;
        }
        return false;
    }

    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean previousCased = false;
        for (char c : s.toCharArray()) {
            out.append(previousCased ? Character.toLowerCase(c) : Character.toTitleCase(c));
            previousCased = Character.isLetter(c);
        }
        return out.toString();
    }

    private static String replace(String s, Object[] args) {
        String from = String.valueOf(args[0]);
        String to = String.valueOf(args[1]);
        long limit = args.length > 2 ? ((Number) args[2]).longValue() : -1;
        if (limit < 0) return s.replace(from, to);
        String result = s;
        int at = 0;
        for (long n = 0; n < limit; n++) {
            int found = result.indexOf(from, at);
            if (found < 0) break;
            result = result.substring(0, found) + to + result.substring(found + from.length());
            at = found + to.length();
        }
        return result;
    }

    private static int count(String s, String part) {
        if (part.isEmpty()) return s.length() + 1;
        int n = 0;
        for (int at = s.indexOf(part); at >= 0; at = s.indexOf(part, at + part.length())) n++;
        return n;
    }

    private static String join(String separator, Object items) {
        List<String> parts = new ArrayList<>();
        if (items instanceof Iterable<?> iterable) iterable.forEach(item -> parts.add(String.valueOf(item)));
        return String.join(separator, parts);
    }

    @Override
    public Object getValue(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public Class<?> getType(ELContext context, Object base, Object property) {
        return null;
    }

    @Override
    public void setValue(ELContext context, Object base, Object property, Object value) {}

    @Override
    public boolean isReadOnly(ELContext context, Object base, Object property) {
        return true;
    }

    @Override
    public Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, Object base) {
        return null;
    }

    @Override
    public Class<?> getCommonPropertyType(ELContext context, Object base) {
        return null;
    }
}
