package dev.keel.db.liquibase;

import java.util.logging.Level;
import liquibase.logging.LogService;
import liquibase.logging.Logger;
import liquibase.logging.core.AbstractLogService;
import liquibase.logging.core.AbstractLogger;
import liquibase.parser.core.xml.XMLChangeLogSAXParser;

/**
 * Liquibase's log with each failure on the line that reports it: "ChangeSet ... encountered an exception." followed by
 * PostgreSQL's error, instead of a stack trace of some hundred lines. The stack trace still goes to the debug level
 * ({@code mvn -X}), as do the XML parser's schema errors, which list every element it would have taken: the error the
 * command ends with names the file, the line and the element.
 */
final class OneLineFailures extends AbstractLogService {

    private final LogService log;

    OneLineFailures(LogService log) {
        this.log = log;
    }

    @Override
    public int getPriority() {
        return log.getPriority();
    }

    @Override
    public Logger getLog(Class clazz) {
        Logger logger = log.getLog(clazz);
        // The parser logs from its anonymous error handler, a class of its own.
        boolean xmlParser = clazz.getName().startsWith(XMLChangeLogSAXParser.class.getName());
        return new AbstractLogger() {
            @Override
            public void log(Level level, String message, Throwable e) {
                if (xmlParser && level.intValue() >= Level.SEVERE.intValue()) {
                    logger.log(Level.FINE, message, e);
                    return;
                }
                if (e == null || level.intValue() <= Level.FINE.intValue()) {
                    logger.log(level, message, e);
                    return;
                }
                logger.log(level, message + " " + (e.getMessage() == null ? e.toString() : e.getMessage()), null);
                logger.log(Level.FINE, message, e);
            }
        };
    }
}
