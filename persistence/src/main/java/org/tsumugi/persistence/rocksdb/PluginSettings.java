package org.tsumugi.persistence.rocksdb;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.nio.file.Path;

/**
 * Settings of one plugin section (see {@code reference.conf}, {@code tsumugi.persistence.journal} and
 * {@code tsumugi.persistence.snapshot-store}).
 *
 * @param directory the RocksDB directory ({@code dir})
 * @param ioDispatcher the dispatcher that runs replays and snapshot loads
 * @param maxLoadAttempts how many matching snapshots, youngest first, a load tries before it fails
 */
record PluginSettings(Path directory, String ioDispatcher, int maxLoadAttempts) {

  static PluginSettings journal(Config cfg, String configPath) {
    return new PluginSettings(directory(cfg, configPath), cfg.getString("replay-dispatcher"), 1);
  }

  static PluginSettings snapshotStore(Config cfg, String configPath) {
    int attempts = cfg.getInt("max-load-attempts");
    if (attempts < 1) {
      throw new ConfigException.BadValue(cfg.origin(), configPath + ".max-load-attempts",
          "must be at least 1, got " + attempts);
    }
    return new PluginSettings(directory(cfg, configPath), cfg.getString("io-dispatcher"), attempts);
  }

  private static Path directory(Config cfg, String configPath) {
    String dir = cfg.getString("dir");
    if (dir.isBlank()) {
      throw new ConfigException.BadValue(cfg.origin(), configPath + ".dir",
          "must name the RocksDB directory, got an empty string");
    }
    return Path.of(dir);
  }
}
