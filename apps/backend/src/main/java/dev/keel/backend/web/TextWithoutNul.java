package dev.keel.backend.web;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;

/**
 * Reads JSON strings as Jackson does, but refuses one holding NUL (U+0000): PostgreSQL text cannot store it, so
 * it is the client's mistake, answered 400 naming the field, and never reaches the database.
 */
final class TextWithoutNul extends StringDeserializer {

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) {
        String text = super.deserialize(parser, context);
        if (text != null && text.indexOf('\0') >= 0) {
            throw InvalidFormatException.from(parser, "text contains a NUL character", text, String.class);
        }
        return text;
    }
}
