package dev.keel.online;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProductionSizeTest {

    @TempDir
    Path root;

    @Test
    void readsTheFileTheDocumentedQueryExports() throws Exception {
        Path file = Files.writeString(root.resolve("stats.csv"), "schemaname,relname,rows,bytes\npublic,users,1.2e+07,999\n"
                + "\"sales\",\"order \"\"lines\"\", 2026\",-1,8192\n\n");

        ProductionSize size = ProductionSize.read(file, 500);

        assertThat(size.table("public.users")).isEqualTo(new ProductionSize.Table("public.users", 12_000_000, 999));
        assertThat(size.table("sales.order \"lines\", 2026").rows()).as("a table never analyzed has -1 reltuples").isZero();
        assertThat(size.budgetMillis()).isEqualTo(500);
    }

    @Test
    void aFileItCannotReadIsOneLineNamingTheFix() throws Exception {
        Path header = Files.writeString(root.resolve("header.csv"), "table,rows\n");
        Path row = Files.writeString(root.resolve("row.csv"), "schemaname,relname,rows,bytes\npublic,users,many,1\n");

        assertThatThrownBy(() -> ProductionSize.read(header, 1)).hasMessage(header
                + " line 1: the header must be schemaname,relname,rows,bytes; export the file as docs/online-safe-changes.md shows");
        assertThatThrownBy(() -> ProductionSize.read(row, 1)).hasMessageStartingWith(row + " line 2: expected schemaname,relname,rows,bytes");
        assertThatThrownBy(() -> ProductionSize.read(root.resolve("missing.csv"), 1)).hasMessageContaining("cannot be read");
    }

    @Test
    void aHoldThatGrowsWithRowsIsExtrapolatedLinearlyAndOneThatDoesNotStaysConstant() {
        // 1 ms fixed, 0.1 ms per 1,000 rows read: 2 ms at 10,000 rows, 11 ms at 100,000; at 10 million rows, 1,001 ms.
        assertThat(ProductionSize.estimate(2_000, 10_000, 11_000, 100_000, true, 10_000_000))
                .isEqualTo(new ProductionSize.Estimate(1_001_000, ProductionSize.Model.LINEAR));
        assertThat(ProductionSize.estimate(1_200, 10_000, 1_500, 100_000, false, 10_000_000))
                .as("a catalog change").isEqualTo(new ProductionSize.Estimate(1_500, ProductionSize.Model.CONSTANT));
        assertThat(ProductionSize.estimate(2_000, 10_000, 14_000, 100_000, false, 500_000_000))
                .as("a catalog change that a busy machine stalled for 12 ms in one trace (seen in a build)")
                .isEqualTo(new ProductionSize.Estimate(14_000, ProductionSize.Model.CONSTANT));
        assertThat(ProductionSize.estimate(1_200, 10_000, 1_500, 100_000, true, 10_000_000).linear()).as("a rewrite reads every row").isTrue();
        assertThat(ProductionSize.estimate(9_000, 10_000, 8_000, 100_000, true, 10_000_000))
                .as("rows read, but the smaller trace stalled: proportional to rows from the larger one")
                .isEqualTo(new ProductionSize.Estimate(800_000, ProductionSize.Model.PROPORTIONAL));
        assertThat(ProductionSize.estimate(1_000, 1, 900, 1, true, 500_000_000))
                .as("a lookup of one row under the lock, in both traces: the rows it read did not grow with the table")
                .isEqualTo(new ProductionSize.Estimate(1_000, ProductionSize.Model.CONSTANT));
    }
}
