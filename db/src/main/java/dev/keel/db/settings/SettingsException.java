package dev.keel.db.settings;

/** A setting that cannot be used; the message is one line that names the source and the fix. */
public class SettingsException extends RuntimeException {

    public SettingsException(String message) {
        super(message);
    }
}
