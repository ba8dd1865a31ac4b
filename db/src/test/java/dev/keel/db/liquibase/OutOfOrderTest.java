package dev.keel.db.liquibase;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class OutOfOrderTest {

    @Test
    void namesAFewFindingsAndCountsTheRestInsteadOfRepeatingTheAppliedOneForEach() {
        List<String> findings = IntStream.rangeClosed(1, 10).mapToObj(i -> "c" + i + " is pending, but the database already applied g").toList();

        assertThat(OutOfOrder.summary(findings)).isEqualTo("Out of order: c1 is pending, but the database already applied g;"
                + " c2 is pending, but the database already applied g; c3 is pending, but the database already applied g;"
                + " and 7 more pending changesets, which liquibase:status (status in the migration jar) lists.");
        assertThat(OutOfOrder.summary(findings.subList(0, 1))).isEqualTo("Out of order: c1 is pending, but the database already applied g.");
    }
}
