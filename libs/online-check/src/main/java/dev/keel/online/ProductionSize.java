package dev.keel.online;

import dev.keel.db.settings.Settings;
import dev.keel.db.settings.SettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Production's size per table, from a CSV file exported there ({@code schemaname,relname,rows,bytes}, see
 * docs/online-safe-changes.md), and the budget a write-blocking lock may take at that size. With it, each blocking
 * lock the trace saw on an existing table is also traced at {@value #SMALL_ROWS} rows and extrapolated, linearly in
 * rows, to the table's production rows.
 */
public record ProductionSize(Path file, Map<String, Table> tables, long budgetMillis) {

    /** The setting (environment variable or {@code -D} property) naming the statistics file. */
    public static final String STATS_KEY = "KEEL_PRODUCTION_STATS";
    /** The setting for the longest a write-blocking lock may be held at production size, in ms. */
    public static final String BUDGET_KEY = "KEEL_LOCK_BUDGET_MS";
    public static final long DEFAULT_BUDGET_MS = 1_000;
    /** The second, smaller fill the changesets that need an estimate are traced at. */
    public static final int SMALL_ROWS = 10_000;

    /** One table's production size: rows as PostgreSQL estimates them, and bytes on disk. */
    public record Table(String name, long rows, long bytes) {
    }

    /** The production statistics the settings name, or null when none are configured. */
    public static ProductionSize configured() {
        String file = setting(STATS_KEY);
        if (file == null) {
            return null;
        }
        String budget = setting(BUDGET_KEY);
        long millis;
        try {
            millis = budget == null ? DEFAULT_BUDGET_MS : Long.parseLong(budget);
        } catch (NumberFormatException e) {
            millis = -1;
        }
        if (millis < 1) {
            throw new SettingsException(BUDGET_KEY + " must be a whole number of milliseconds from 1, but is '" + budget + "'");
        }
        return read(Settings.root().resolve(file), millis);
    }

    /** Keel's order: a real environment variable, then a {@code -D} system property. */
    private static String setting(String key) {
        String value = System.getenv(key);
        if (value == null || value.isBlank()) {
            value = System.getProperty(key);
        }
        return value == null || value.isBlank() ? null : value.strip();
    }

    /** Reads a statistics file; anything it cannot read is one line naming the file, the line and the fix. */
    public static ProductionSize read(Path file, long budgetMillis) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new SettingsException(STATS_KEY + " names " + file + ", which cannot be read (" + e.getClass().getSimpleName()
                    + "); export it as docs/online-safe-changes.md shows, or unset " + STATS_KEY);
        }
        Map<String, Table> tables = new LinkedHashMap<>();
        if (lines.isEmpty() || !csv(lines.get(0)).equals(List.of("schemaname", "relname", "rows", "bytes"))) {
            throw new SettingsException(file + " line 1: the header must be schemaname,relname,rows,bytes; export the file as"
                    + " docs/online-safe-changes.md shows");
        }
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> fields = csv(lines.get(i));
            try {
                if (fields.size() != 4) {
                    throw new NumberFormatException();
                }
                // reltuples is -1 for a table never analyzed, and a float: a size is a whole number of rows.
                long rows = Math.max(0, Math.round(Double.parseDouble(fields.get(2))));
                long bytes = Long.parseLong(fields.get(3));
                String name = fields.get(0) + "." + fields.get(1);
                tables.put(name, new Table(name, rows, bytes));
            } catch (NumberFormatException e) {
                throw new SettingsException(file + " line " + (i + 1) + ": expected schemaname,relname,rows,bytes with numbers for rows"
                        + " and bytes, but got '" + lines.get(i) + "'");
            }
        }
        return new ProductionSize(file, tables, budgetMillis);
    }

    /** The fields of one CSV line, double quotes (and "" inside them) as PostgreSQL's COPY writes them. */
    private static List<String> csv(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                field.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    /** The table's production size, by {@code schema.name}; null when the file does not list it. */
    Table table(String schemaQualified) {
        return tables.get(schemaQualified);
    }

    /**
     * A lock's hold at production size, from two traces: {@code small} micros at {@code smallRows} rows and
     * {@code full} micros at {@code fullRows}. Linear in rows (scans, rewrites and index builds read every row once),
     * fitted through both points, when the table's rows were read while it was held ({@code readsRows}: PostgreSQL
     * counted rows read, or the table was rewritten); otherwise constant, however the two holds differ: a catalog
     * change reads no rows, and its hold jitters by milliseconds on a busy machine, which extrapolated to production's
     * rows would become seconds. Constant too when the rows did not grow from one trace to the other: the rows are
     * those read when both traces counted some, and a lookup of a few rows reads as many at any size. When rows were
     * read but the smaller trace was no faster (a
     * stall on a shared machine), the fit has no slope: the hold is taken as proportional to rows from the larger
     * trace instead, which overstates the fixed part rather than miss the scan.
     */
    static Estimate estimate(long small, long smallRows, long full, long fullRows, boolean readsRows, long productionRows) {
        if (!readsRows || fullRows <= smallRows) {
            return new Estimate(Math.max(small, full), Model.CONSTANT);
        }
        if (full <= small) {
            return new Estimate(Math.round((double) full * productionRows / fullRows), Model.PROPORTIONAL);
        }
        double perRow = (double) (full - small) / (fullRows - smallRows);
        return new Estimate(Math.max(0, Math.round(full + perRow * (productionRows - fullRows))), Model.LINEAR);
    }

    enum Model { LINEAR, PROPORTIONAL, CONSTANT }

    record Estimate(long micros, Model model) {

        boolean linear() {
            return model != Model.CONSTANT;
        }
    }

    /** How a duration reads in a finding: ms up to 10 s, then s, min or h. */
    static String duration(long micros) {
        if (micros < 10_000_000L) {
            return Verdicts.milliseconds(micros);
        }
        if (micros < 60_000_000L) {
            return String.format("%.1f s", micros / 1_000_000.0);
        }
        long seconds = micros / 1_000_000L;
        return seconds < 3600 ? String.format("%d min %d s", seconds / 60, seconds % 60) : String.format("%.1f h", seconds / 3600.0);
    }

    static String bytes(long bytes) {
        String[] units = {"bytes", "kB", "MB", "GB", "TB"};
        double size = bytes;
        int unit = 0;
        while (size >= 1024 && unit < units.length - 1) {
            size /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " bytes" : String.format("%.1f %s", size, units[unit]);
    }
}
