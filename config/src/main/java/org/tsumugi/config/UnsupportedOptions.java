package org.tsumugi.config;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Options of the reference trainer that Tsumugi does not implement, each with the reason, so that using one is refused
 * with "not supported by Tsumugi: why" rather than "unknown key" (reference/training.md §9).
 */
public final class UnsupportedOptions {
  private static final String ATTENTION = "attention backends are CUDA libraries; Tsumugi computes attention"
      + " itself on the CPU (remove the option)";
  private static final String COMPILE = "torch.compile / TorchDynamo do not exist on the JVM";
  private static final String CUDA = "a CUDA setting; Tsumugi trains on the CPU";
  private static final String WORKERS = "Tsumugi's DataLoader reads cached batches ahead in one actor;"
      + " see runtime.data-loader-read-ahead";
  private static final String WANDB = "Weights & Biases needs a network service; Tsumugi logs TensorBoard event"
      + " files (log_with = tensorboard)";
  private static final String DDP = "multi-process (DDP) training is not implemented; one process trains";
  private static final String SAMPLING = "sample generation during training is not implemented yet";
  private static final String SWAP = "a GPU transfer setting of block swap; Tsumugi streams swapped blocks from"
      + " memory-mapped files";
  private static final String HUB = "Tsumugi does not upload to or download from Hugging Face";
  private static final String ENCODERS = "only used to encode sample prompts or caches; Tsumugi trains from"
      + " pre-cached latents and text embeddings";
  private static final String WAN22 = "Wan2.2 dual-model (high/low noise) training is not implemented yet";
  private static final String HUNYUAN = "a HunyuanVideo option; Tsumugi trains Wan";

  private static final Map<String, String> REASONS = build();

  private UnsupportedOptions() {}

  /** Reference option name → why Tsumugi does not implement it. */
  public static Map<String, String> reasons() {
    return REASONS;
  }

  private static Map<String, String> build() {
    Map<String, String> r = new LinkedHashMap<>();
    r.put("config_file", "give the run file as `tsumugi train --config run.conf`");
    for (String name : new String[] {"sdpa", "flash_attn", "sage_attn", "xformers", "flash3"}) {
      r.put(name, ATTENTION);
    }
    r.put("split_attn", "a GPU memory measure; Tsumugi already computes attention per sample");
    for (String name : new String[] {"compile", "compile_backend", "compile_mode", "compile_dynamic",
        "compile_fullgraph", "compile_cache_size_limit", "dynamo_backend", "dynamo_mode", "dynamo_fullgraph",
        "dynamo_dynamic"}) {
      r.put(name, COMPILE);
    }
    r.put("cuda_allow_tf32", CUDA);
    r.put("cuda_cudnn_benchmark", CUDA);
    r.put("max_data_loader_n_workers", WORKERS);
    r.put("persistent_data_loader_workers", WORKERS);
    r.put("gradient_checkpointing_cpu_offload", "activations already live in CPU memory");
    for (String name : new String[] {"wandb_run_name", "wandb_api_key", "log_tracker_config"}) {
      r.put(name, WANDB);
    }
    for (String name : new String[] {"ddp_timeout", "ddp_gradient_as_bucket_view", "ddp_static_graph"}) {
      r.put(name, DDP);
    }
    for (String name : new String[] {"sample_every_n_steps", "sample_at_first", "sample_every_n_epochs",
        "sample_prompts"}) {
      r.put(name, SAMPLING);
    }
    r.put("lr_scheduler_type", "custom Python scheduler classes cannot be loaded; choose an lr_scheduler");
    for (String name : new String[] {"use_pinned_memory_for_block_swap", "block_swap_h2d_only",
        "block_swap_ring_size"}) {
      r.put(name, SWAP);
    }
    r.put("disable_numpy_memmap", "Tsumugi reads safetensors files its own way (memory-mapped)");
    r.put("show_timesteps", "use the command `tsumugi show-timesteps`");
    r.put("dim_from_weights", "broken in the reference (it passes a boolean as a file name); set network_dim");
    for (String name : new String[] {"huggingface_repo_id", "huggingface_repo_type", "huggingface_path_in_repo",
        "huggingface_token", "huggingface_repo_visibility", "save_state_to_huggingface", "resume_from_huggingface",
        "async_upload"}) {
      r.put(name, HUB);
    }
    for (String name : new String[] {"vae", "vae_dtype", "t5", "fp8_t5", "clip", "vae_cache_cpu", "one_frame"}) {
      r.put(name, ENCODERS);
    }
    for (String name : new String[] {"dit_high_noise", "timestep_boundary", "offload_inactive_dit",
        "force_v2_1_time_embedding"}) {
      r.put(name, WAN22);
    }
    for (String name : new String[] {"fp8_llm", "dit_dtype", "dit_in_channels", "text_encoder1", "text_encoder2",
        "text_encoder_dtype", "vae_tiling", "vae_chunk_size", "vae_spatial_tile_sample_min_size",
        "img_in_txt_in_offloading"}) {
      r.put(name, HUNYUAN);
    }
    return java.util.Collections.unmodifiableMap(r);
  }
}
