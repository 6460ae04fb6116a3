package dev.glust.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time used by a process (and, for a PostgreSQL server, by its backends), from {@code
 * /proc/<pid>/stat}. CPU per record is what a run costs whatever else shares the machine: on two
 * shared cores, throughput figures move by ±10 % from run to run, CPU per record far less.
 */
final class ProcessCpu {
  /** Clock ticks per second of {@code /proc} times ({@code getconf CLK_TCK}: 100 on Linux). */
  private static final double TICKS_PER_SECOND = 100;

  private ProcessCpu() {}

  /** Milliseconds of CPU (user + system) {@code pid} has used, 0 when it is gone. */
  static double millis(long pid) {
    long[] times = times(pid);
    return times == null ? 0 : (times[0] + times[1]) * 1000 / TICKS_PER_SECOND;
  }

  /**
   * Milliseconds of CPU a PostgreSQL server has used: the postmaster's own, that of its running
   * children (backends, WAL writer, checkpointer…), and that of the children that ended (the
   * postmaster reaped them).
   */
  static double serverMillis(long postmasterPid) {
    long[] own = times(postmasterPid);
    if (own == null) {
      return 0;
    }
    long ticks = own[0] + own[1] + own[2] + own[3];
    try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path process : processes) {
        long pid = Long.parseLong(process.getFileName().toString());
        long[] child = times(pid);
        if (child != null && child[4] == postmasterPid) {
          ticks += child[0] + child[1];
        }
      }
    } catch (IOException e) {
      return Double.NaN;
    }
    return ticks * 1000 / TICKS_PER_SECOND;
  }

  /** utime, stime, cutime, cstime, ppid of {@code pid}; null when it is gone. */
  private static long[] times(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    } catch (IOException e) {
      return null;
    }
    // the command name is in parentheses and may hold spaces: count fields after its end
    List<String> f = List.of(stat.substring(stat.lastIndexOf(')') + 2).trim().split(" "));
    // after the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14)
    return new long[] {
      Long.parseLong(f.get(11)),
      Long.parseLong(f.get(12)),
      Long.parseLong(f.get(13)),
      Long.parseLong(f.get(14)),
      Long.parseLong(f.get(1))
    };
  }
}
