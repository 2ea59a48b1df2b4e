package org.tsumugi.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class NetworkArgsTest {
  private static final KeyLocation AT = new KeyLocation("network_args", "command line");

  @Test
  void readsTheDocsRestrictionExample() {
    // lora-and-ema.md §1.2: restrict to a subset with exclude everything + include.
    NetworkArgs args = NetworkArgs.parse(List.of("exclude_patterns=[r'.*']",
        "include_patterns=[r'.*single_blocks.*', r'.*double_blocks\\.[0-9]\\..*']", "verbose=True"), AT);
    assertEquals(List.of(".*"), args.excludePatterns());
    assertEquals(List.of(".*single_blocks.*", ".*double_blocks\\.[0-9]\\..*"), args.includePatterns());
    assertTrue(args.verbose());
    assertEquals("[r'.*']", args.items().get("exclude_patterns"));
  }

  @Test
  void convertsDropoutsAndLoraPlusToFloatsKeepingTheText() {
    NetworkArgs args = NetworkArgs.parse(List.of("rank_dropout=0.1", "module_dropout=0", "loraplus_lr_ratio=4",
        "conv_dim=4"), AT);
    assertEquals(OptionalDouble.of(0.1), args.rankDropout());
    assertEquals(OptionalDouble.of(0.0), args.moduleDropout());
    assertEquals(OptionalDouble.of(4.0), args.loraplusLrRatio());
    assertFalse(args.verbose());
    // ss_network_args keeps the items as given, in order (lora-and-ema.md §1.9).
    assertEquals(List.of(Map.entry("rank_dropout", "0.1"), Map.entry("module_dropout", "0"),
        Map.entry("loraplus_lr_ratio", "4"), Map.entry("conv_dim", "4")), List.copyOf(args.items().entrySet()));
  }

  @Test
  void refusesMalformedItems() {
    String[][] cases = {
        {"rank_dropout"}, {"exclude_patterns=[r'a=b']"}, {"rank_dropout=abc"}, {"module_dropout=1"},
        {"verbose=true"}, {"exclude_patterns=[r'(']"}, {"loraplus_lr_ratio=0"}, {"rank_dropout=0.1", "rank_dropout=0.2"},
        {"conv_dim=2.5"}, {"dropout=0.1"}};
    for (String[] items : cases) {
      ConfigError e = assertThrows(ConfigError.class, () -> NetworkArgs.parse(List.of(items), AT),
          String.join(" ", items));
      assertTrue(e.getMessage().startsWith("command line: "), e.getMessage());
    }
  }
}
