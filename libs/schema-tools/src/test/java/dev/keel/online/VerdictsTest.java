package dev.keel.online;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.online.StatementTracer.Held;
import dev.keel.online.StatementTracer.HeldLock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerdictsTest {

    private static final CatalogState CATALOG = new CatalogState(Map.of(
            1L, new CatalogState.Relation(1, "orders", 'r', 11),
            2L, new CatalogState.Relation(2, "ix_orders__placed_at", 'i', 12)), Map.of(), Map.of(), Map.of(), Map.of());

    @Test
    void anUpdateOrDeleteNamesItsTableAsTheCatalogWritesIt() {
        assertThat(Verdicts.names("UPDATE public.orders SET total = 0", "orders")).isTrue();
        assertThat(Verdicts.names("delete from ONLY Orders where id < 3", "orders")).isTrue();
        assertThat(Verdicts.names("UPDATE \"Orders\" SET total = 0", "\"Orders\"")).isTrue();
        assertThat(Verdicts.names("UPDATE billing.orders o SET total = 0", "billing.orders")).isTrue();
        assertThat(Verdicts.names("UPDATE \"Orders\" SET total = 0", "orders")).isFalse();
        assertThat(Verdicts.names("UPDATE billing.orders SET total = 0", "orders")).isFalse();
        assertThat(Verdicts.names("SELECT purge_orders()", "orders")).isFalse();
    }

    @Test
    void aBackfillOfNullsIsAWhereOfOneColumnIsNullAndNothingElse() {
        CatalogState.Column lastName = new CatalogState.Column(1, 2, "last_name", "text", false, null, 25, "last_name", false);
        CatalogState.Column quoted = new CatalogState.Column(1, 3, "Note", "text", false, null, 25, "\"Note\"", false);

        assertThat(Verdicts.testsForNull("UPDATE USER_ENTITY SET LAST_NAME = 'n/a' WHERE LAST_NAME IS NULL", lastName)).isTrue();
        assertThat(Verdicts.testsForNull("update u set last_name = (select 'x' where true) where u.\"last_name\" is null;", lastName)).isTrue();
        assertThat(Verdicts.testsForNull("DELETE FROM t WHERE \"Note\" IS NULL", quoted)).isTrue();
        assertThat(Verdicts.testsForNull("DELETE FROM t WHERE note IS NULL", quoted)).as("another column: PostgreSQL folds it").isFalse();
        assertThat(Verdicts.testsForNull("UPDATE t SET last_name = 'x' WHERE id = 5 AND last_name IS NULL", lastName)).as("chosen rows").isFalse();
        assertThat(Verdicts.testsForNull("UPDATE t SET last_name = 'x' WHERE last_name IS NOT NULL", lastName)).isFalse();
        assertThat(Verdicts.testsForNull("UPDATE t SET last_name = 'x' WHERE old_last_name IS NULL", lastName)).isFalse();
    }

    @Test
    void theProgressLineNamesTheTableWhenItsIndexHeldTheSameModeLonger() {
        StatementTracer.Traced dropIndex = traced("DROP INDEX ix_orders__placed_at",
                new HeldLock(2, "AccessExclusiveLock", 1_200, Held.UNTIL_COMMIT), new HeldLock(1, "AccessExclusiveLock", 1_100, Held.UNTIL_COMMIT));

        assertThat(Verdicts.strongestLock(List.of(dropIndex))).startsWith("strongest lock ACCESS EXCLUSIVE on orders held 1.1 ms");
    }

    @Test
    void anIndexIsNamedWhenItsModeIsTheStrongest() {
        StatementTracer.Traced reindex = traced("REINDEX INDEX ix_orders__placed_at",
                new HeldLock(1, "ShareLock", 5_000, Held.UNTIL_COMMIT), new HeldLock(2, "AccessExclusiveLock", 4_000, Held.UNTIL_COMMIT));

        assertThat(Verdicts.strongestLock(List.of(reindex))).startsWith("strongest lock ACCESS EXCLUSIVE on ix_orders__placed_at held 4.0 ms");
    }

    private static StatementTracer.Traced traced(String sql, HeldLock... locks) {
        return new StatementTracer.Traced(sql, "3s", List.of(locks), CATALOG, CATALOG, null, null);
    }
}
