package dev.keel.schema.drift;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchemaDriftTest {

    @Test
    void normalizesSpellingsOfOneType() {
        assertThat(SchemaDrift.normalize("VARCHAR(20)")).isEqualTo(SchemaDrift.normalize("varchar(20 BYTE)")).isEqualTo("varchar(20)");
        assertThat(SchemaDrift.normalize("character varying(20)")).isEqualTo("varchar(20)");
        assertThat(SchemaDrift.normalize("int8")).isEqualTo(SchemaDrift.normalize("BIGINT"));
        assertThat(SchemaDrift.normalize("timestamp with timezone(6)")).isEqualTo(SchemaDrift.normalize("timestamptz"));
        assertThat(SchemaDrift.normalize("text")).isNotEqualTo(SchemaDrift.normalize("varchar(20)"));
    }
}
