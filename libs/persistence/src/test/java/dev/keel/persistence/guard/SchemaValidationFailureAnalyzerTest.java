package dev.keel.persistence.guard;

import static org.assertj.core.api.Assertions.assertThat;

import org.hibernate.tool.schema.spi.SchemaManagementException;
import org.junit.jupiter.api.Test;

class SchemaValidationFailureAnalyzerTest {

    @Test
    void aWrongColumnTypeNamesTheMappingThatFixesItBeforeTheCommands() {
        var analysis = new SchemaValidationFailureAnalyzer().analyze(new IllegalStateException("start", new SchemaManagementException(
                "Schema validation: wrong column type encountered in column [code] in table [countries];"
                        + " found [bpchar (Types#CHAR)], but expecting [char(2) (Types#VARCHAR)]")));

        assertThat(analysis.getAction()).startsWith("If the column's type is the one you want, map the field to it")
                .contains("@JdbcTypeCode(SqlTypes.CHAR)").contains("mvn keel:generate -Dname=<Name>");
    }

    @Test
    void aMissingTableNamesTheCommandsAlone() {
        var analysis = new SchemaValidationFailureAnalyzer().analyze(new SchemaManagementException("Schema validation: missing table [notes]"));

        assertThat(analysis.getAction()).startsWith("If you changed an entity, write the changeset with: mvn keel:generate -Dname=<Name>");
    }
}
