package org.tsumugi.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tsumugi.config.TimestepConfig;
import org.tsumugi.config.TimestepSampling;
import org.tsumugi.config.WeightingScheme;

/**
 * The reference's timesteps for fixed uniform draws (golden/timesteps.json). The reference computes in float32, so
 * agreement is to a few float32 ulps: σ within 2e-7, model timesteps within 1.5e-4 (two ulps at 1000).
 */
class TimestepGoldenTest {
  private static final double SIGMA_TOLERANCE = 2e-7;
  private static final double TIMESTEP_TOLERANCE = 1.5e-4;

  record GoldenCase(String name, TimestepConfig config, int latentH, int latentW, double[] u, double[] sigma,
      double[] modelTimesteps) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<GoldenCase> cases() throws IOException {
    String dir = System.getProperty("tsumugi.golden");
    JsonNode root = new ObjectMapper().readTree(Files.readString(Path.of(dir, "timesteps.json")));
    List<GoldenCase> cases = new ArrayList<>();
    for (JsonNode c : root.get("cases")) {
      JsonNode args = c.get("args");
      cases.add(new GoldenCase(args.toString(), config(args),
          args.has("latent_hw") ? args.get("latent_hw").get(0).asInt() : 64,
          args.has("latent_hw") ? args.get("latent_hw").get(1).asInt() : 64,
          doubles(c.get("u")), doubles(c.get("sigma")), doubles(c.get("model_timesteps"))));
    }
    return cases.stream();
  }

  @ParameterizedTest
  @MethodSource("cases")
  void matchesReferenceForSuppliedUniforms(GoldenCase golden) {
    TimestepSampler sampler = new TimestepSampler(golden.config(), SigmaDtype.BFLOAT16);
    TimestepSampler.Sample sample = sampler.sample(golden.u().length, 7, golden.latentH(), golden.latentW(),
        new StepRandom(1), Optional.of(golden.u()), 0);
    for (int i = 0; i < golden.u().length; i++) {
      assertEquals(golden.sigma()[i], sample.sigmas()[i], SIGMA_TOLERANCE, "sigma at u=" + golden.u()[i]);
      assertEquals(golden.modelTimesteps()[i], sample.modelTimesteps()[i], TIMESTEP_TOLERANCE,
          "model timestep at u=" + golden.u()[i]);
      assertEquals(golden.sigma()[i], sampler.noiseLevel(golden.u()[i], golden.latentH(), golden.latentW()),
          SIGMA_TOLERANCE, "inverse CDF at u=" + golden.u()[i]);
    }
  }

  @Test
  void uniformModelTimestepIsRoundedInFloat32() throws IOException {
    GoldenCase uniform = cases().filter(c -> c.name().equals("{\"timestep_sampling\":\"uniform\"}"))
        .findFirst().orElseThrow();
    TimestepSampler sampler = new TimestepSampler(uniform.config(), SigmaDtype.FLOAT32);
    TimestepSampler.Sample sample = sampler.sample(uniform.u().length, 0, 64, 64, new StepRandom(1),
        Optional.of(uniform.u()), 0);
    // u = 0.999 is 0.99900001287f; ×1000 rounds to 999.0f in float32, so the model sees exactly 1000.0
    assertTrue(uniform.u()[14] == 0.999 && uniform.modelTimesteps()[14] == 1000.0);
    for (int i = 0; i < uniform.u().length; i++) {
      assertEquals(uniform.modelTimesteps()[i], sample.modelTimesteps()[i], 0.0, "u=" + uniform.u()[i]);
      assertEquals(uniform.sigma()[i], sample.sigmas()[i], 0.0, "u=" + uniform.u()[i]);
    }
  }

  private static TimestepConfig config(JsonNode args) {
    TimestepConfig d = TimestepConfig.defaults();
    return new TimestepConfig(
        TimestepSampling.valueOf(args.get("timestep_sampling").asText().toUpperCase(java.util.Locale.ROOT)),
        args.has("sigmoid_scale") ? args.get("sigmoid_scale").asDouble() : d.sigmoidScale(),
        args.has("discrete_flow_shift") ? args.get("discrete_flow_shift").asDouble() : d.discreteFlowShift(),
        WeightingScheme.NONE,
        args.has("logit_mean") ? args.get("logit_mean").asDouble() : d.logitMean(),
        args.has("logit_std") ? args.get("logit_std").asDouble() : d.logitStd(),
        d.modeScale(),
        args.has("min_timestep") ? OptionalInt.of(args.get("min_timestep").asInt()) : OptionalInt.empty(),
        args.has("max_timestep") ? OptionalInt.of(args.get("max_timestep").asInt()) : OptionalInt.empty(),
        false, OptionalInt.empty());
  }

  private static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asDouble();
    }
    return out;
  }
}
