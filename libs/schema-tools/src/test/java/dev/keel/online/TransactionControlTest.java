package dev.keel.online;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TransactionControlTest {

    @Test
    void transactionControlIsFoundInAnyStatementOfTheSql() {
        assertThat(StatementTracer.controlsTransaction("COMMIT")).isTrue();
        assertThat(StatementTracer.controlsTransaction("insert into t values (1); commit; insert into t values (2)")).isTrue();
        assertThat(StatementTracer.controlsTransaction("  -- first\nBEGIN")).isTrue();
        assertThat(StatementTracer.controlsTransaction("START TRANSACTION ISOLATION LEVEL SERIALIZABLE")).isTrue();
        assertThat(StatementTracer.controlsTransaction("ROLLBACK")).isTrue();
    }

    @Test
    void whatOnlyLooksLikeItIsNot() {
        assertThat(StatementTracer.controlsTransaction("ROLLBACK TO SAVEPOINT s")).isFalse();
        assertThat(StatementTracer.controlsTransaction("DO $$ BEGIN PERFORM 1; END $$")).isFalse();
        assertThat(StatementTracer.controlsTransaction("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $fn1$ BEGIN PERFORM 1; END $fn1$"))
                .as("a dollar-quote tag with digits").isFalse();
        assertThat(StatementTracer.controlsTransaction("INSERT INTO t VALUES ('; COMMIT')")).isFalse();
        assertThat(StatementTracer.controlsTransaction("CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END")).isFalse();
        assertThat(StatementTracer.controlsTransaction("COMMENT ON TABLE t IS 'x'")).isFalse();
    }
}
