package dev.keel.backend.web;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Reads JSON strings as Jackson does, but refuses one holding NUL (U+0000): PostgreSQL text cannot store it, so
 * it is the client's mistake, answered 400 naming the field, and never reaches the database. A number or boolean
 * where text belongs is refused the same way, instead of being stored as its digits or "true".
 */
final class TextWithoutNul extends StringDeserializer {

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) {
        if (parser.currentToken() != null && parser.currentToken().isScalarValue() && parser.currentToken() != JsonToken.VALUE_STRING) {
            // Jackson would store 42 or true as the text "42" or "true": a number or a boolean where text belongs is a mistake.
            throw MismatchedInputException.from(parser, String.class, "expected text, not " + parser.currentToken());
        }
        String text = super.deserialize(parser, context);
        if (text != null && text.indexOf('\0') >= 0) {
            throw InvalidFormatException.from(parser, "text contains a NUL character", text, String.class);
        }
        return text;
    }
}
