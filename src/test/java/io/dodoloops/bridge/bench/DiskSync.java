package io.dodoloops.bridge.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * The disk's limit for a durable 202: {@code n} writes of 2 KB, each followed by {@code fdatasync}
 * ({@code force(false)}, what the journal does), in a file of the given directory. Percentiles of the sync alone.
 */
final class DiskSync {

    private DiskSync() {
    }

    static String measure(Path directory, int n) throws IOException {
        Path file = Files.createTempFile(directory, "disk-sync", ".bin");
        long[] nanos = new long[n];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(10 << 20), 0); // preallocated, as the journal's files are
            channel.force(true);
            ByteBuffer record = ByteBuffer.allocate(2048);
            for (int i = 0; i < n; i++) {
                record.clear();
                channel.write(record, (i * 4096L) % (10 << 20));
                long start = System.nanoTime();
                channel.force(false);
                nanos[i] = System.nanoTime() - start;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        Arrays.sort(nanos);
        return String.format("%,d fdatasync of a 2 KB write: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms", n, at(nanos, 50), at(nanos, 99),
                at(nanos, 99.9));
    }

    private static double at(long[] sorted, double percentile) {
        return LoadDriver.percentile(sorted, percentile) / 1e6;
    }
}
