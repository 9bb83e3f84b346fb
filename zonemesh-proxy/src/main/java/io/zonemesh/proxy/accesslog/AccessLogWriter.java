package io.zonemesh.proxy.accesslog;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes formatted access-log lines from one daemon thread, so that an event loop never touches a
 * file: {@link #write} only offers the line to a bounded queue and, when the queue is full (the disk
 * cannot keep up), drops it and counts it in {@link #dropped()} rather than wait. Envoy's file access
 * log also writes from a flush thread; it buffers without bound instead of dropping. Files are
 * opened for appending on first use and kept open; a file that cannot be written is logged once
 * per failure and its lines are counted as dropped.
 */
public final class AccessLogWriter implements AutoCloseable {
    /** Lines queued at most; about a second of a busy proxy's log. */
    public static final int DEFAULT_CAPACITY = 16_384;

    private static final Logger log = LoggerFactory.getLogger(AccessLogWriter.class);
    private static final Line STOP = new Line("", "", true);
    private static final int BATCH = 512;

    private final BlockingQueue<Line> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private final Map<String, OutputStream> files = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;

    private record Line(String path, String text, boolean stop) {}

    public AccessLogWriter(int capacity, String threadName) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code line} for {@code path}; never blocks. */
    public void write(String path, String line) {
        if (closed || !queue.offer(new Line(path, line, false))) {
            dropped.incrementAndGet();
        }
    }

    /** Lines dropped because the queue was full, the writer closed or the file failed. */
    public long dropped() {
        return dropped.get();
    }

    /** Lines written so far. */
    public long written() {
        return written.get();
    }

    private void run() {
        List<Line> batch = new ArrayList<>(BATCH);
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                break;
            }
            queue.drainTo(batch, BATCH - 1);
            for (Line line : batch) {
                if (line.stop()) {
                    stopping = true;
                } else {
                    append(line);
                }
            }
            batch.clear();
            flushAll();
        }
        closeAll();
    }

    private void append(Line line) {
        try {
            OutputStream out = files.get(line.path());
            if (out == null) {
                out = Files.newOutputStream(
                        Path.of(line.path()),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
                files.put(line.path(), out);
            }
            out.write(line.text().getBytes(StandardCharsets.UTF_8));
            written.incrementAndGet();
        } catch (IOException | RuntimeException e) {
            dropped.incrementAndGet();
            log.warn("access log {}: cannot write: {}", line.path(), e.toString());
            OutputStream broken = files.remove(line.path());
            closeQuietly(broken);
        }
    }

    private void flushAll() {
        for (Map.Entry<String, OutputStream> file : files.entrySet()) {
            try {
                file.getValue().flush();
            } catch (IOException e) {
                log.warn("access log {}: cannot flush: {}", file.getKey(), e.toString());
            }
        }
    }

    private void closeAll() {
        files.values().forEach(AccessLogWriter::closeQuietly);
        files.clear();
    }

    private static void closeQuietly(@io.zonemesh.common.Nullable OutputStream out) {
        if (out == null) {
            return;
        }
        try {
            out.close();
        } catch (IOException e) {
            log.debug("closing an access log", e);
        }
    }

    /** Writes what is queued, closes the files and stops the thread (waits at most 5 s). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // The queue may be full: put waits for the writer to make room, which it does (bounded below).
        try {
            if (!queue.offer(STOP, 5, TimeUnit.SECONDS)) {
                thread.interrupt();
            }
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
