package dev.keel.backend.fuzz;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.instancio.Random;
import org.instancio.generator.Generator;

/**
 * Draws requests from the service's own OpenAPI document: every operation, its path, query and header parameters
 * and its JSON body, each either valid or broken in one of the ways {@link Kind} names. Nothing here knows the
 * sample domain: a team's new endpoints are fuzzed as soon as they are documented.
 */
final class RequestGenerator implements Generator<GeneratedRequest> {

    enum Kind {
        VALID, BOUNDARY, WRONG_TYPE, MISSING_FIELD, UNKNOWN_FIELD, CONTROL_CHARACTERS, LONG_STRING, DEEP_NESTING,
        MALFORMED_BODY, ODD_QUERY, ODD_PATH, ODD_ETAG
    }

    private record Endpoint(String method, String path, List<Parameter> parameters, Schema<?> body) {
    }

    /** JSON text placed as is, for what a serializer would refuse to write. */
    private record RawJson(String text) {
    }

    private static final List<String> ODD_IDS = List.of("0", "-1", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "abc", "1.5", "1e3", " 1", "0x10", "１");
    private static final List<String> ODD_NUMBERS = List.of("-1", "0", "2147483647", "2147483648", "-2147483649",
            "99999999999999999999", "abc", "", "1.5", "1e3", " 7", "0x10", "NaN");
    private static final List<String> ODD_SORTS = List.of("email;drop", "id;drop table users", "id,sideways", ",", "",
            "nope", "id,desc,asc", "(select 1)", "id desc", "id,,", "version,desc", "x".repeat(300), "id\u0000",
            "id,ASC", "-id", "id.nested", "id[0]", "'", "\"");
    private static final List<String> ODD_ETAGS = List.of("abc", "W/\"x\"", "\"", "*", "\"-1\"", "\"99999999999999999999\"",
            "\"1\", \"2\"", "W/", "\"0\"", "\"999999\"", "\"\"", "'1'", "1 2", "\"1".repeat(50));
    private static final List<String> CONTROL = List.of("\u0000", "\u0001", "\u0007", "\b", "\u001b", "\u007f",
            "\r\n", "\t", "\u2028", "\ufeff", "\u200b");

    private final List<Endpoint> endpoints = new ArrayList<>();
    private final Map<String, Schema<?>> components;
    private final List<Long> ids = new CopyOnWriteArrayList<>();

    RequestGenerator(OpenAPI document) {
        this.components = document.getComponents() == null || document.getComponents().getSchemas() == null
                ? Map.of() : cast(document.getComponents().getSchemas());
        document.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) ->
                endpoints.add(new Endpoint(method.name(), path, parameters(item, operation), body(operation)))));
    }

    int endpoints() {
        return endpoints.size();
    }

    /** An id the service handed out, so valid requests can reach existing rows. */
    void remember(long id) {
        ids.add(id);
    }

    @Override
    public GeneratedRequest generate(Random random) {
        Endpoint endpoint = random.oneOf(endpoints);
        Kind kind = random.oneOf(Kind.values());
        Set<String> names = new LinkedHashSet<>(List.of("body", "Content-Type"));
        String path = endpoint.path();
        List<String> query = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Accept", "application/json");

        for (Parameter parameter : endpoint.parameters()) {
            names.add(parameter.getName());
            Schema<?> schema = resolve(parameter.getSchema());
            switch (parameter.getIn()) {
                case "path" -> path = path.replace("{" + parameter.getName() + "}", encode(pathValue(random, kind, schema)));
                case "query" -> queryValue(random, kind, parameter, schema)
                        .ifPresent(value -> query.add(encode(parameter.getName()) + "=" + encode(value)));
                case "header" -> headerValue(random, kind).ifPresent(value -> headers.put(parameter.getName(), value));
                default -> {
                }
            }
        }
        byte[] body = null;
        if (endpoint.body() != null) {
            body = body(random, kind, resolve(endpoint.body()), names, headers);
        }
        return new GeneratedRequest(kind.name(), endpoint.method(), path, String.join("&", query), headers, body, names);
    }

    private String pathValue(Random random, Kind kind, Schema<?> schema) {
        if (isInteger(schema)) {
            if (kind == Kind.ODD_PATH) {
                return random.oneOf(ODD_IDS);
            }
            return ids.isEmpty() || random.trueOrFalse(0.2)
                    ? String.valueOf(random.intRange(1, 50)) : String.valueOf(random.oneOf(ids));
        }
        return kind == Kind.ODD_PATH ? random.oneOf(ODD_IDS) : random.lowerCaseAlphabetic(random.intRange(1, 8));
    }

    private Optional<String> queryValue(Random random, Kind kind, Parameter parameter, Schema<?> schema) {
        boolean odd = kind == Kind.ODD_QUERY && random.trueOrFalse(0.6);
        if (!odd && !Boolean.TRUE.equals(parameter.getRequired()) && random.trueOrFalse(0.5)) {
            return Optional.empty();
        }
        if (isInteger(schema)) {
            if (odd) {
                return Optional.of(random.oneOf(ODD_NUMBERS));
            }
            int minimum = schema.getMinimum() == null ? 0 : schema.getMinimum().intValue();
            return Optional.of(String.valueOf(minimum + random.intRange(0, 5)));
        }
        if ("array".equals(type(schema))) {
            return odd ? Optional.of(random.oneOf(ODD_SORTS)) : Optional.empty();
        }
        String value = random.lowerCaseAlphabetic(random.intRange(0, 4));
        return Optional.of(switch (kind) {
            case CONTROL_CHARACTERS -> insert(random, value, random.oneOf(CONTROL));
            case LONG_STRING -> random.alphanumeric(random.intRange(1000, 3000));
            case ODD_QUERY -> random.oneOf("%", "%00", "\\", "'", "_", "%_%", "*", "é", "😀");
            default -> value;
        });
    }

    private Optional<String> headerValue(Random random, Kind kind) {
        if (kind == Kind.ODD_ETAG) {
            return Optional.of(random.oneOf(ODD_ETAGS));
        }
        return random.trueOrFalse(0.5) ? Optional.of("\"" + random.intRange(0, 3) + "\"") : Optional.empty();
    }

    private byte[] body(Random random, Kind kind, Schema<?> schema, Set<String> names, Map<String, String> headers) {
        Map<String, Schema<?>> properties = schema.getProperties() == null ? Map.of() : cast(schema.getProperties());
        names.addAll(properties.keySet());
        List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
        Map<String, Object> object = new LinkedHashMap<>();
        properties.forEach((name, property) -> {
            if (required.contains(name) || random.trueOrFalse(0.6)) {
                object.put(name, validValue(random, name, resolve(property)));
            }
        });
        List<String> propertyNames = List.copyOf(properties.keySet());
        String chosen = propertyNames.isEmpty() ? null : random.oneOf(propertyNames);
        Schema<?> chosenSchema = chosen == null ? null : resolve(properties.get(chosen));
        switch (kind) {
            case BOUNDARY -> {
                if (chosen != null) {
                    object.put(chosen, boundaryValue(random, chosenSchema));
                }
            }
            case WRONG_TYPE -> {
                if (chosen != null) {
                    object.put(chosen, isInteger(chosenSchema)
                            ? random.oneOf("12", "true", "1.5", "[]", "{}") : random.oneOf(123, true, List.of(), Map.of(), 1.5));
                }
            }
            case MISSING_FIELD -> {
                String dropped = required.isEmpty() ? chosen : random.oneOf(required);
                if (dropped != null) {
                    object.remove(dropped);
                }
                if (random.trueOrFalse(0.3)) {
                    return bytes(random.oneOf("", "{}", "null", "[]", "\"\"", "0"));
                }
            }
            case UNKNOWN_FIELD -> {
                String unknown = chosen != null && random.trueOrFalse()
                        ? chosen.toUpperCase(Locale.ROOT) : "x" + random.alphanumeric(random.intRange(1, 12));
                names.add(unknown);
                object.put(unknown, random.oneOf("value", 1, true));
            }
            case CONTROL_CHARACTERS -> {
                if (chosen != null && "string".equals(type(chosenSchema))) {
                    object.put(chosen, insert(random, String.valueOf(validValue(random, chosen, chosenSchema)), random.oneOf(CONTROL)));
                } else if (chosen != null) {
                    object.put(chosen, new RawJson("\"\\ud800\""));
                }
            }
            case LONG_STRING -> {
                if (chosen != null) {
                    object.put(chosen, random.alphanumeric(random.intRange(1000, 100_000)));
                }
            }
            case DEEP_NESTING -> {
                int depth = random.intRange(100, 5000);
                String nested = "[".repeat(depth) + "]".repeat(depth);
                if (chosen == null || random.trueOrFalse(0.3)) {
                    return bytes(nested);
                }
                object.put(chosen, new RawJson(nested));
            }
            case MALFORMED_BODY -> {
                String json = json(object);
                return switch (random.intRange(0, 5)) {
                    case 0 -> bytes(json.substring(0, Math.max(0, json.length() - random.intRange(1, Math.max(1, json.length())))));
                    case 1 -> bytes(json + random.oneOf(",", "}", "x", " {}"));
                    case 2 -> bytes(json.replace('"', '\''));
                    case 3 -> new byte[] {'{', '"', (byte) 0xc3, (byte) 0x28, '"', ':', '1', '}'};
                    case 4 -> {
                        headers.put("Content-Type", random.oneOf("text/plain", "application/xml", "application/json; charset=latin-9", "*/*"));
                        yield bytes(json);
                    }
                    default -> bytes(json.replaceFirst(":", ""));
                };
            }
            default -> {
            }
        }
        return bytes(json(object));
    }

    private Object validValue(Random random, String name, Schema<?> schema) {
        if (isInteger(schema)) {
            return random.intRange(0, 3);
        }
        if ("boolean".equals(type(schema))) {
            return random.trueOrFalse();
        }
        if (schema.getPattern() != null && schema.getPattern().matches("[a-z|]+")) {
            return random.oneOf(schema.getPattern().split("\\|"));
        }
        Object example = schema.getExample();
        String unique = random.lowerCaseAlphabetic(6);
        if (example instanceof String text && !text.isEmpty()) {
            return unique + text;
        }
        int max = schema.getMaxLength() == null ? 20 : Math.min(schema.getMaxLength(), 20);
        int min = schema.getMinLength() == null ? 1 : Math.max(1, schema.getMinLength());
        return random.lowerCaseAlphabetic(Math.max(min, Math.min(max, unique.length())));
    }

    private Object boundaryValue(Random random, Schema<?> schema) {
        if (isInteger(schema)) {
            return random.oneOf(Long.MAX_VALUE, Long.MIN_VALUE, -1, 0, new RawJson("9223372036854775808"), new RawJson("1e400"));
        }
        int max = schema.getMaxLength() == null ? 255 : schema.getMaxLength();
        int min = schema.getMinLength() == null ? 0 : schema.getMinLength();
        return random.oneOf(random.lowerCaseAlphabetic(max), random.lowerCaseAlphabetic(max + 1),
                min > 0 ? random.lowerCaseAlphabetic(min - 1) : "", "   ", "\u00a0", "😀".repeat(Math.max(1, max / 2 + 1)));
    }

    private static String insert(Random random, String value, String inserted) {
        int at = random.intRange(0, value.length());
        return value.substring(0, at) + inserted + value.substring(at);
    }

    private static String json(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof RawJson raw) {
            return raw.text();
        }
        if (value instanceof String text) {
            StringBuilder out = new StringBuilder("\"");
            text.chars().forEach(c -> {
                if (c == '"' || c == '\\') {
                    out.append('\\').append((char) c);
                } else if (c < 0x20) {
                    out.append(String.format("\\u%04x", c));
                } else {
                    out.append((char) c);
                }
            });
            return out.append('"').toString();
        }
        if (value instanceof Map<?, ?> map) {
            List<String> members = new ArrayList<>();
            map.forEach((key, member) -> members.add(json(String.valueOf(key)) + ":" + json(member)));
            return "{" + String.join(",", members) + "}";
        }
        if (value instanceof List<?> list) {
            return "[" + String.join(",", list.stream().map(RequestGenerator::json).toList()) + "]";
        }
        return String.valueOf(value);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private List<Parameter> parameters(PathItem item, Operation operation) {
        List<Parameter> all = new ArrayList<>();
        if (item.getParameters() != null) {
            all.addAll(item.getParameters());
        }
        if (operation.getParameters() != null) {
            all.addAll(operation.getParameters());
        }
        return all;
    }

    private static Schema<?> body(Operation operation) {
        if (operation.getRequestBody() == null || operation.getRequestBody().getContent() == null) {
            return null;
        }
        MediaType json = operation.getRequestBody().getContent().get("application/json");
        return json == null ? null : json.getSchema();
    }

    private Schema<?> resolve(Schema<?> schema) {
        if (schema != null && schema.get$ref() != null) {
            String name = schema.get$ref().substring(schema.get$ref().lastIndexOf('/') + 1);
            return resolve(components.get(name));
        }
        return schema == null ? new Schema<>() : schema;
    }

    private static String type(Schema<?> schema) {
        if (schema.getType() != null) {
            return schema.getType();
        }
        return schema.getTypes() == null || schema.getTypes().isEmpty() ? null : schema.getTypes().iterator().next();
    }

    private static boolean isInteger(Schema<?> schema) {
        return "integer".equals(type(schema));
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
