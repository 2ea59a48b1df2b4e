package org.tsumugi.engine.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which files make up a checkpoint: a single file, the shards named by a {@code *.index.json} ({@code weight_map}), or
 * every part of a {@code <prefix>0000k-of-0000N.safetensors} set (musubi's
 * {@code safetensors_utils.get_split_weight_filenames}: any part names the whole set, parts are numbered with 5 digits).
 */
record CheckpointParts(List<Path> files, Optional<Map<String, Path>> weightMap) {
  private static final Pattern SPLIT = Pattern.compile("^(.*?)(\\d+)-of-(\\d+)\\.safetensors$");
  private static final ObjectMapper JSON = new ObjectMapper();

  static CheckpointParts resolve(Path path) throws IOException {
    String name = path.getFileName().toString();
    if (name.endsWith(".index.json")) {
      return fromIndex(path);
    }
    Matcher split = SPLIT.matcher(name);
    if (split.matches()) {
      return new CheckpointParts(splitParts(path, split), Optional.empty());
    }
    return new CheckpointParts(List.of(path), Optional.empty());
  }

  private static List<Path> splitParts(Path path, Matcher split) throws IOException {
    int count;
    try {
      count = Integer.parseInt(split.group(3));
    } catch (NumberFormatException e) {
      count = 0;
    }
    if (count < 1 || count > 99_999) {
      throw new SafetensorsFormatException(path, "a split set must have 1 to 99999 parts, the name says "
          + split.group(3));
    }
    List<Path> parts = new ArrayList<>(count);
    for (int i = 1; i <= count; i++) {
      Path part = path.resolveSibling(String.format("%s%05d-of-%05d.safetensors", split.group(1), i, count));
      if (!Files.isRegularFile(part)) {
        throw new NoSuchFileException(part.toString(), null, "part " + i + " of " + count + " of " + path
            + " is missing");
      }
      parts.add(part);
    }
    return parts;
  }

  private static CheckpointParts fromIndex(Path index) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(index.toFile());
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new SafetensorsFormatException(index, "invalid JSON: " + e.getOriginalMessage(), e);
    }
    JsonNode weightMap = root == null ? null : root.get("weight_map");
    if (weightMap == null || !weightMap.isObject()) {
      throw new SafetensorsFormatException(index, "no \"weight_map\" object naming each tensor's shard");
    }
    Map<String, Path> map = new LinkedHashMap<>();
    Set<Path> files = new LinkedHashSet<>();
    Path dir = index.toAbsolutePath().getParent();
    for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
      if (!e.getValue().isTextual()) {
        throw new SafetensorsFormatException(index, "weight_map entry \"" + e.getKey() + "\" is not a file name");
      }
      Path shard = dir.resolve(e.getValue().asText()).normalize();
      if (!shard.startsWith(dir)) {
        throw new SafetensorsFormatException(index, "weight_map entry \"" + e.getKey() + "\" points outside "
            + dir + ": " + e.getValue().asText());
      }
      map.put(e.getKey(), shard);
      files.add(shard);
    }
    return new CheckpointParts(List.copyOf(files), Optional.of(map));
  }
}
