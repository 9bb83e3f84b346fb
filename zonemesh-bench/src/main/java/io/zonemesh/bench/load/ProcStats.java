package io.zonemesh.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a Linux process, read from {@code /proc/<pid>/stat} and
 * {@code /proc/<pid>/status} (all its threads included).
 */
public final class ProcStats {
    /** USER_HZ: the unit of utime/stime in /proc; 100 on every Linux architecture we run on. */
    public static final int TICKS_PER_SECOND = 100;

    private ProcStats() {}

    /** utime + stime of the process in seconds. */
    public static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) is in parentheses and may hold spaces: count from after it.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(f[11]);
        long stime = Long.parseLong(f[12]);
        return (utime + stime) / (double) TICKS_PER_SECOND;
    }

    /** Resident set size now ({@code VmRSS}) in MiB. */
    public static double rssMiB(long pid) throws IOException {
        return statusKiB(pid, "VmRSS:") / 1024.0;
    }

    /** Peak resident set size ({@code VmHWM}) in MiB. */
    public static double peakRssMiB(long pid) throws IOException {
        return statusKiB(pid, "VmHWM:") / 1024.0;
    }

    /** The 1-minute load average of the machine, or -1 where /proc/loadavg is missing. */
    public static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long statusKiB(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IOException("/proc/" + pid + "/status has no " + field);
    }
}
