package dev.breaker.redis;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The records {@link RedisCluster} logs (through {@link System.Logger}, which goes to java.util.logging here). */
final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger(RedisCluster.class.getName());
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LogCapture() {
        logger.addHandler(this);
    }

    /** The messages logged at {@code level}, containing {@code text}. */
    List<String> messages(Level level, String text) {
        return records.stream().filter(record -> record.getLevel().equals(level))
                .map(LogRecord::getMessage).filter(message -> message.contains(text)).toList();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
