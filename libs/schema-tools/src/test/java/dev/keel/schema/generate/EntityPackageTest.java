package dev.keel.schema.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.schema.ToolOutput;
import org.junit.jupiter.api.Test;

/** The package generate reads the entities from, and the setting of a project without JPA entities. */
class EntityPackageTest {

    @Test
    void aProjectWithoutEntitiesIsToldToWriteTheChangesetByHand() {
        assertThat(GenerateChangeset.entityPackage("com.example.model")).isEqualTo("com.example.model");
        assertThatThrownBy(() -> GenerateChangeset.entityPackage("none")).isInstanceOf(ToolOutput.Refused.class)
                .hasMessage("Generate writes changesets from JPA entities, and -Dkeel.entity-package=none says there are none: write the"
                        + " changeset by hand (docs/changesets.md, \"Writing a changeset by hand\").");
    }
}
