package dev.keel.persistence.teams;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Locale;

/** The roles that {@code ck_team_memberships__role} allows, stored in lower case. */
public enum TeamRole {
    OWNER, ADMIN, MEMBER;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Converter
    public static class ColumnConverter implements AttributeConverter<TeamRole, String> {

        @Override
        public String convertToDatabaseColumn(TeamRole role) {
            return role == null ? null : role.value();
        }

        @Override
        public TeamRole convertToEntityAttribute(String column) {
            return column == null ? null : TeamRole.valueOf(column.toUpperCase(Locale.ROOT));
        }
    }
}
