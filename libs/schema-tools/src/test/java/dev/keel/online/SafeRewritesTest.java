package dev.keel.online;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeRewritesTest {

    @Test
    void anUpdateOrDeleteIsSplitAtItsOwnWhereNotOneInsideParenthesesOrQuotes() {
        assertThat(SafeRewrites.whereSplit("UPDATE orders SET total = (SELECT sum(x) FROM lines WHERE lines.o = orders.id), note = 'where' WHERE total IS NULL;"))
                .containsExactly("UPDATE orders SET total = (SELECT sum(x) FROM lines WHERE lines.o = orders.id), note = 'where'", "total IS NULL");
        assertThat(SafeRewrites.whereSplit("delete from \"Orders\" where placed < now() - interval '1 year'"))
                .containsExactly("delete from \"Orders\"", "placed < now() - interval '1 year'");
        assertThat(SafeRewrites.whereSplit("UPDATE orders SET status_where = 'it''s'")).containsExactly("UPDATE orders SET status_where = 'it''s'", null);
    }

    @Test
    void aStatementItCannotSplitByKeyIsNotSplit() {
        assertThat(SafeRewrites.whereSplit("UPDATE orders o SET total = l.total FROM lines l WHERE l.o = o.id")).isNull();
        assertThat(SafeRewrites.whereSplit("DELETE FROM orders USING customers c WHERE c.id = orders.customer_id")).isNull();
        assertThat(SafeRewrites.whereSplit("DELETE FROM orders WHERE id < 10 RETURNING id")).isNull();
        assertThat(SafeRewrites.whereSplit("WITH old AS (SELECT id FROM orders) DELETE FROM orders WHERE id IN (SELECT id FROM old)")).isNull();
        assertThat(SafeRewrites.whereSplit("INSERT INTO orders SELECT * FROM staged")).isNull();
    }
}
