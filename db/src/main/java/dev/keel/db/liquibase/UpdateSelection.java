package dev.keel.db.liquibase;

import dev.keel.db.settings.Settings;
import java.util.LinkedHashMap;
import java.util.Map;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.changelog.ChangeLogParameters;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.filter.ContextChangeSetFilter;
import liquibase.changelog.filter.LabelChangeSetFilter;

/**
 * The contexts and labels that this project's updates select: {@value #CONTEXTS} and {@value #LABELS}, the names
 * Liquibase itself reads from the environment, which Keel also takes from a {@code -D} property or {@code .env}
 * ({@link SelectionForLiquibase} hands them to the goals). Keel's checks build, trace and roll back the changesets such an
 * update applies, and substitute the properties it substitutes: a changelog that picks its changesets per database with
 * {@code context="postgresql"} is checked as it is deployed. Empty, as by default, selects every changeset.
 */
public record UpdateSelection(String contexts, String labels) {

    public static final String CONTEXTS = "LIQUIBASE_COMMAND_CONTEXTS";
    public static final String LABELS = "LIQUIBASE_COMMAND_LABEL_FILTER";

    /**
     * The settings' selection, where Liquibase's own {@code -Dliquibase.contexts} and {@code -Dliquibase.labelFilter}
     * (or {@code -Dliquibase.labels}) do not override it, as they do on a {@code liquibase:*} goal: the keel goals and
     * checks then select what that goal does.
     */
    public static UpdateSelection fromSettings() {
        Settings settings = Settings.load();
        String contexts = System.getProperty("liquibase.contexts", "").strip();
        String labels = System.getProperty("liquibase.labelFilter", System.getProperty("liquibase.labels", "")).strip();
        return new UpdateSelection(contexts.isEmpty() ? settings.get(CONTEXTS) : contexts, labels.isEmpty() ? settings.get(LABELS) : labels);
    }

    /** Whether the update applies {@code changeSet} on PostgreSQL: {@link ChangesetFilters#runByUpdate}, then the contexts and labels. */
    public boolean applies(ChangeSet changeSet) {
        return ChangesetFilters.runByUpdate(changeSet) && new ContextChangeSetFilter(liquibaseContexts()).accepts(changeSet).isAccepted()
                && new LabelChangeSetFilter(labelExpression()).accepts(changeSet).isAccepted();
    }

    /** Whether update may record the changeset: it {@linkplain #applies applies}, or a precondition may mark it ran. */
    public boolean mayRecord(ChangeSet changeSet) {
        return applies(changeSet) || ChangesetFilters.mayBeMarkedRan(changeSet) && new ContextChangeSetFilter(liquibaseContexts()).accepts(changeSet).isAccepted()
                && new LabelChangeSetFilter(labelExpression()).accepts(changeSet).isAccepted();
    }

    public Contexts liquibaseContexts() {
        return new Contexts(contexts);
    }

    public LabelExpression labelExpression() {
        return new LabelExpression(labels);
    }

    /** Before a parse: properties set for some contexts or labels then take the values the update gives them. */
    public void applyTo(ChangeLogParameters parameters) {
        parameters.setContexts(liquibaseContexts());
        parameters.setLabels(labelExpression());
    }

    /** As settings for a process of its own (a goal, a tool, the migration jar) that must select the same: none when empty. */
    public Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        if (!contexts.isEmpty()) {
            settings.put(CONTEXTS, contexts);
        }
        if (!labels.isEmpty()) {
            settings.put(LABELS, labels);
        }
        return settings;
    }

    /**
     * As the settings name it ({@code LIQUIBASE_COMMAND_CONTEXTS=postgresql}), for messages and in the name of a
     * database built with it; empty when nothing is selected.
     */
    public String describe() {
        return ((contexts.isEmpty() ? "" : CONTEXTS + "=" + contexts) + (labels.isEmpty() ? "" : " " + LABELS + "=" + labels)).strip();
    }
}
