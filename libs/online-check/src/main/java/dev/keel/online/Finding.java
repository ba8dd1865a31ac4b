package dev.keel.online;

/** One thing the trace saw a changeset do that the rule forbids or warns about, with the rewrite that avoids it. */
public record Finding(OnlineRule rule, String changeSet, String statement, String evidence, String rewrite, String table, String production) {

    /**
     * @param table      the table the evidence is about, as the trace names it; null when it is about none
     * @param production the lock's expected hold at production size, when production statistics are configured
     */
    public Finding {
    }

    Finding(OnlineRule rule, String changeSet, String statement, String evidence, String rewrite, String table) {
        this(rule, changeSet, statement, evidence, rewrite, table, null);
    }

    Finding withProduction(String estimate) {
        return new Finding(rule, changeSet, statement, evidence, rewrite, table, estimate);
    }

    public boolean isError() {
        return rule.error;
    }

    public String ruleId() {
        return rule.id;
    }

    /** Why the rule exists, in one sentence. */
    public String reason() {
        return rule.reason;
    }

    /** The finding as the check prints it: one block, the safe rewrite indented under it. */
    public String block() {
        return (rule.error ? "ERROR " : "WARNING ") + rule.id + ": " + rule.reason + "\n"
                + "  changeset:    " + changeSet + "\n"
                + "  statement:    " + shortened(statement) + "\n"
                + "  trace:        " + evidence + "\n"
                + (production == null ? "" : "  production:   " + production + "\n")
                + "  safe rewrite:\n" + rewrite.indent(4)
                + "  or, where it is safe here, suppress it in the changeset's comment: keel-allow " + rule.id + ": <why>\n";
    }

    /** A statement on one line, cut at 300 characters. */
    static String shortened(String statement) {
        String sql = statement.strip().replaceAll("\\s+", " ");
        return sql.length() > 300 ? sql.substring(0, 300) + " ..." : sql;
    }
}
