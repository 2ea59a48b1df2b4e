package org.tsumugi.actors.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.OptionalLong;
import org.tsumugi.config.TrainingConfig;
import org.tsumugi.config.TsumugiConfig;
import org.tsumugi.config.dataset.DatasetConfig;

/**
 * A run's options as the ledger records them: every option and dataset value as resolved (seed drawn, paths absolute),
 * in canonical JSON (keys sorted; JSON is also HOCON). Its sha256 identifies the run's training: it leaves out
 * {@code runtime} and the logging options, which may change on resume, and {@code resume} itself.
 */
public final class ResolvedConfig {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .addModule(new Jdk8Module())
      .addModule(new JavaTimeModule())
      .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();

  private final String json;
  private final String sha256;

  private ResolvedConfig(String json, String sha256) {
    this.json = json;
    this.sha256 = sha256;
  }

  /** @param config the options with the run's seed already set ({@link #withSeed}) */
  public static ResolvedConfig of(TsumugiConfig config, DatasetConfig dataset) {
    ObjectNode root = JSON.createObjectNode();
    root.set("options", JSON.valueToTree(config));
    root.set("dataset", JSON.valueToTree(dataset));
    ObjectNode hashed = root.deepCopy();
    ((ObjectNode) hashed.get("options")).remove("runtime");
    ((ObjectNode) hashed.get("options")).remove("logging");
    try {
      return new ResolvedConfig(JSON.writeValueAsString(root), sha256(JSON.writeValueAsString(hashed)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render the resolved options as JSON: " + e.getMessage(), e);
    }
  }

  /** The options with {@code seed} set and {@code resume} cleared (both belong to the run, not to its options). */
  public static TsumugiConfig withSeed(TsumugiConfig c, long seed) {
    TrainingConfig t = c.training();
    TrainingConfig seeded = new TrainingConfig(t.maxTrainSteps(), t.maxTrainEpochs(), OptionalLong.of(seed),
        t.gradientAccumulationSteps(), t.guidanceScale(), java.util.Optional.empty());
    return new TsumugiConfig(c.model(), c.datasetConfig(), c.network(), c.optimizer(), c.lrScheduler(), c.timesteps(),
        seeded, c.save(), c.logging(), c.metadata(), c.runtime(), c.postHocEma());
  }

  public String json() {
    return json;
  }

  public String sha256() {
    return sha256;
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
