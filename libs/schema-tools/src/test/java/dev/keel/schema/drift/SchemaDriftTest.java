package dev.keel.schema.drift;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SchemaDriftTest {

    @Test
    void normalizesSpellingsOfOneType() {
        assertThat(SchemaDrift.normalize("VARCHAR(20)")).isEqualTo(SchemaDrift.normalize("varchar(20 BYTE)")).isEqualTo("varchar(20)");
        assertThat(SchemaDrift.normalize("character varying(20)")).isEqualTo("varchar(20)");
        assertThat(SchemaDrift.normalize("int8")).isEqualTo(SchemaDrift.normalize("BIGINT"));
        assertThat(SchemaDrift.normalize("bigserial")).isEqualTo(SchemaDrift.normalize("bigint"));
        assertThat(SchemaDrift.normalize("serial")).isEqualTo(SchemaDrift.normalize("int4"));
        assertThat(SchemaDrift.normalize("smallserial")).isEqualTo(SchemaDrift.normalize("int2"));
        assertThat(SchemaDrift.normalize("timestamp with timezone(6)")).isEqualTo(SchemaDrift.normalize("timestamptz"));
        assertThat(SchemaDrift.normalize("text")).isNotEqualTo(SchemaDrift.normalize("varchar(20)"));
        assertThat(SchemaDrift.normalize("bool")).isEqualTo(SchemaDrift.normalize("BOOLEAN"));
        assertThat(SchemaDrift.normalize("int2")).isEqualTo(SchemaDrift.normalize("smallint"));
        assertThat(SchemaDrift.normalize("int2(5)")).as("as Liquibase's snapshot gives an enum's ordinal column").isEqualTo("smallint");
        assertThat(SchemaDrift.normalize("int4(10)")).isEqualTo(SchemaDrift.normalize("integer"));
        assertThat(SchemaDrift.normalize("bpchar(38)")).isEqualTo(SchemaDrift.normalize("char(38)")).isEqualTo(SchemaDrift.normalize("CHARACTER(38)"));
        assertThat(SchemaDrift.normalize("char")).isEqualTo(SchemaDrift.normalize("bpchar(1)"));
        assertThat(SchemaDrift.normalize("float8")).isEqualTo(SchemaDrift.normalize("double precision"));
        assertThat(SchemaDrift.normalize("float4")).isEqualTo(SchemaDrift.normalize("real"));
        assertThat(SchemaDrift.normalize("float(53)")).as("Hibernate's double").isEqualTo(SchemaDrift.normalize("float8"))
                .isEqualTo(SchemaDrift.normalize("float"));
        assertThat(SchemaDrift.normalize("FLOAT(24)")).isEqualTo(SchemaDrift.normalize("real"));
        assertThat(SchemaDrift.normalize("timestamp(6)")).as("6 is PostgreSQL's default precision")
                .isEqualTo(SchemaDrift.normalize("timestamp")).isEqualTo(SchemaDrift.normalize("timestamp without time zone"));
        assertThat(SchemaDrift.normalize("timestamp(3)")).isNotEqualTo(SchemaDrift.normalize("timestamp"));
        assertThat(SchemaDrift.normalize("time(6)")).isEqualTo(SchemaDrift.normalize("time without time zone"));
        assertThat(SchemaDrift.normalize("timestamp without time zone(3)")).isEqualTo(SchemaDrift.normalize("timestamp(3)"));
    }
}
