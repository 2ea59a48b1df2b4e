"""Writes reference-metadata.json: the ss_* and modelspec.* metadata musubi-tuner writes for a few Wan runs.

Usage: python make_reference_metadata.py MUSUBI_SRC OUT_JSON [--revision COMMIT]
  MUSUBI_SRC: the src/ folder of a musubi-tuner checkout (its Python dependencies importable: torch, accelerate,
  transformers, safetensors, toml, pillow, opencv, av, einops, tqdm; diffusers and voluptuous are not needed).

Nothing here re-implements the reference's formatting. The script runs the reference's own code:
  * the options are parsed by its common parser (training/parser_common.setup_parser_common);
  * mixed_precision is resolved by its prepare_accelerator and the lines of _prepare_accelerator_and_dtypes that
    read accelerator.mixed_precision;
  * ss_optimizer comes from its get_optimizer, run on one real torch parameter;
  * datasets are its ImageDataset / VideoDataset objects (architecture "wan") over real folders and JSONL files;
  * the metadata dict is built by executing the text of _run_training_loop from "num_update_steps_per_epoch" to the
    minimum_metadata loop, and each save by executing its nested save_model (with sai_model_spec.build_metadata);
    save_weights is replaced by a function that records the metadata it is given.
The trainer module itself cannot be imported without diffusers, so those blocks are cut out of its source text by
their first and last lines and executed with the names they use.

Deliberate inputs (Tsumugi's choices, not the reference's randomness):
  * time.time() returns the run's start time for every call, so ss_training_started_at, ss_training_finished_at and
    modelspec.date all hold it (the reference reads the clock at each save); TZ is UTC, so the reference's local-time
    modelspec.date is the UTC date Tsumugi writes;
  * ss_session_id (random.randint in the reference) is left out of the expected metadata;
  * a seed the options leave unset is the value of "drawn_seed" (the reference draws it at random).
"""
import argparse
import json
import os
import sys
import tempfile
import textwrap
import time

STARTED_AT = 1718000000.125


class Options:
    pass


def scenarios():
    """Each scenario: reference CLI, the Tsumugi run file and dataset file with the same meaning, files to create."""
    default_dataset = """
[general]
caption_extension = ".txt"
batch_size = 1

[[datasets]]
video_directory = "${DIR}/videos"
cache_directory = "${DIR}/cache"
resolution = [960, 544]
target_frames = [1, 25, 45]
"""
    default_params = [("video", dict(resolution=(960, 544), caption_extension=".txt", batch_size=1, num_repeats=1,
                                     enable_bucket=False, bucket_no_upscale=False, video_directory="${DIR}/videos",
                                     cache_directory="${DIR}/cache", target_frames=[1, 25, 45]))]
    default_run = """
dit = "${DIR}/models/wan2.1_t2v_14B_bf16.safetensors"
dataset_config = "${DIR}/dataset.toml"
output_dir = "${DIR}/out"
output_name = "my-lora"
network_dim = 32
"""
    default_cli = ["--dit", "${DIR}/models/wan2.1_t2v_14B_bf16.safetensors", "--dataset_config",
                   "${DIR}/dataset.toml", "--output_dir", "${DIR}/out", "--output_name", "my-lora",
                   "--network_module", "networks.lora_wan", "--network_dim", "32", "--optimizer_type", "AdamW"]
    default_files = {"models/wan2.1_t2v_14B_bf16.safetensors": "", "videos/.keep": ""}

    full_dataset = """
[general]
enable_bucket = true
bucket_no_upscale = true

[[datasets]]
image_directory = "${DIR}/imag\u00e9s"
caption_extension = ".txt"
resolution = [960, 544]
batch_size = 2
num_repeats = 3

[[datasets]]
video_jsonl_file = "${DIR}/clips.jsonl"
cache_directory = "${DIR}/clips-cache"
resolution = [640, 480]
target_frames = [1, 24, 45, 45]
frame_extraction = "uniform"
frame_sample = 4
frame_stride = 2
max_frames = 81
source_fps = 30.0

[[datasets]]
video_directory = "${DIR}/videos"
control_directory = "${DIR}/controls"
caption_extension = ".caption"
resolution = 512
enable_bucket = false
frame_extraction = "uniform"
frame_sample = 1

[[datasets]]
image_jsonl_file = "${DIR}/stills.jsonl"
cache_directory = "${DIR}/stills-cache"
"""
    full_params = [
        ("image", dict(resolution=(960, 544), caption_extension=".txt", batch_size=2, num_repeats=3,
                       enable_bucket=True, bucket_no_upscale=True, image_directory="${DIR}/imag\u00e9s")),
        ("video", dict(resolution=(640, 480), caption_extension=None, batch_size=1, num_repeats=1,
                       enable_bucket=True, bucket_no_upscale=True, video_jsonl_file="${DIR}/clips.jsonl",
                       cache_directory="${DIR}/clips-cache", target_frames=[1, 24, 45, 45],
                       frame_extraction="uniform", frame_sample=4, frame_stride=2, max_frames=81, source_fps=30.0)),
        ("video", dict(resolution=(512, 512), caption_extension=".caption", batch_size=1, num_repeats=1,
                       enable_bucket=False, bucket_no_upscale=True, video_directory="${DIR}/videos",
                       control_directory="${DIR}/controls", frame_extraction="uniform", frame_sample=1)),
        ("image", dict(resolution=(960, 544), caption_extension=None, batch_size=1, num_repeats=1,
                       enable_bucket=True, bucket_no_upscale=True, image_jsonl_file="${DIR}/stills.jsonl",
                       cache_directory="${DIR}/stills-cache")),
    ]
    full_run = """
dit = "/nowhere/models/wan2.1_t2v_1.3B_bf16.safetensors"
task = "t2v-1.3B"
dataset_config = "${DIR}/dataset.toml"
output_dir = "${DIR}/out"
output_name = "full-lora"
learning_rate = 1e-4
lr_scheduler = "cosine"
lr_warmup_steps = "10%"
network_dim = 16
network_alpha = 8
network_dropout = 0.05
network_args = ["loraplus_lr_ratio=4", "exclude_patterns=[r'.*ffn.*']", "verbose=True"]
gradient_checkpointing = true
gradient_accumulation_steps = 2
mixed_precision = "bf16"
seed = 42
max_train_steps = 100
training_comment = "caf\u00e9 \\"quoted\\" it's"
optimizer_type = "AdamW"
optimizer_args = ["weight_decay=0.01", "betas=(0.9,0.99)"]
max_grad_norm = 0.5
fp8_base = true
timestep_sampling = "shift"
discrete_flow_shift = 3.0
sigmoid_scale = 1.5
guidance_scale = 3.5
min_timestep = 100
max_timestep = 900
metadata_title = "My LoRA"
metadata_author = "tsumugi"
metadata_description = "a test"
metadata_license = "apache-2.0"
metadata_tags = "wan,video"
metadata_reso = "960,544"
metadata_arch = "wan2.1-custom"
"""
    full_cli = ["--dit", "/nowhere/models/wan2.1_t2v_1.3B_bf16.safetensors", "--dataset_config",
                "${DIR}/dataset.toml", "--output_dir", "${DIR}/out", "--output_name", "full-lora",
                "--network_module", "networks.lora_wan", "--learning_rate", "1e-4", "--lr_scheduler", "cosine",
                "--lr_warmup_steps", "10%", "--network_dim", "16", "--network_alpha", "8", "--network_dropout",
                "0.05", "--network_args", "loraplus_lr_ratio=4", "exclude_patterns=[r'.*ffn.*']", "verbose=True",
                "--gradient_checkpointing", "--gradient_accumulation_steps", "2", "--mixed_precision", "bf16",
                "--seed", "42", "--max_train_steps", "100", "--training_comment", "caf\u00e9 \"quoted\" it's",
                "--optimizer_type", "AdamW", "--optimizer_args", "weight_decay=0.01", "betas=(0.9,0.99)",
                "--max_grad_norm", "0.5", "--fp8_base", "--timestep_sampling", "shift", "--discrete_flow_shift",
                "3.0", "--sigmoid_scale", "1.5", "--guidance_scale", "3.5", "--min_timestep", "100",
                "--max_timestep", "900", "--metadata_title", "My LoRA", "--metadata_author", "tsumugi",
                "--metadata_description", "a test", "--metadata_license", "apache-2.0", "--metadata_tags",
                "wan,video", "--metadata_reso", "960,544", "--metadata_arch", "wan2.1-custom"]
    full_files = {
        "imag\u00e9s/.keep": "",
        "videos/.keep": "",
        "controls/.keep": "",
        "clips.jsonl": '{"video_path": "a.mp4", "caption": "a", "control_path": "ca.mp4"}\n'
                       '{"video_path": "b.mp4", "caption": "b", "control_path": "cb.mp4"}\n',
        "stills.jsonl": '{"image_path": "a.png", "caption": "a"}\n',
    }

    return [
        dict(name="default", cli=default_cli, run_conf=default_run, dataset_toml=default_dataset,
             datasets=default_params, files=default_files, drawn_seed=3141592653, num_train_items=40,
             batches_per_epoch=40, saves=[[500, 12], [1600, 40]]),
        dict(name="full", cli=full_cli, run_conf=full_run, dataset_toml=full_dataset, datasets=full_params,
             files=full_files, drawn_seed=None, num_train_items=37, batches_per_epoch=25, saves=[[50, 3], [100, 8]]),
        dict(name="no_metadata", cli=default_cli + ["--no_metadata", "--network_args", "verbose=True"],
             run_conf=default_run + 'no_metadata = true\nnetwork_args = ["verbose=True"]\n',
             dataset_toml=default_dataset, datasets=default_params, files=default_files, drawn_seed=7,
             num_train_items=40, batches_per_epoch=40, saves=[[1600, 40]]),
        dict(name="adafactor_relative_step",
             cli=default_cli[:-2] + ["--optimizer_type", "Adafactor", "--learning_rate", "0.001"],
             run_conf=default_run + 'optimizer_type = "Adafactor"\nlearning_rate = 0.001\n',
             dataset_toml=default_dataset, datasets=default_params, files=default_files, drawn_seed=11,
             num_train_items=40, batches_per_epoch=40, saves=[[1600, 40]]),
    ]


def block(source, first, last, indent):
    """The lines of `source` from the one containing `first` through the one containing `last`, dedented."""
    lines = source.splitlines()
    start = next(i for i, line in enumerate(lines) if first in line)
    end = next(i for i in range(start, len(lines)) if last in lines[i])
    return textwrap.dedent("\n".join(lines[start:end + 1])) if indent else "\n".join(lines[start:end + 1])


def run(scenario, src, trainer_source):
    import logging

    import torch
    import transformers
    from musubi_tuner.dataset.image_video_dataset import ImageDataset, VideoDataset
    from musubi_tuner.training.accelerator_setup import prepare_accelerator
    from musubi_tuner.training.parser_common import setup_parser_common
    from musubi_tuner.utils import sai_model_spec

    work = tempfile.mkdtemp()
    fill = lambda text: text.replace("${DIR}", work)
    for name, content in scenario["files"].items():
        path = os.path.join(work, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write(content)

    args = setup_parser_common().parse_args([fill(a) for a in scenario["cli"]])
    if args.seed is None:
        args.seed = scenario["drawn_seed"]
    # _prepare_accelerator_and_dtypes: unset mixed_precision becomes the accelerator's (a fresh one per scenario)
    from accelerate.state import AcceleratorState

    AcceleratorState._reset_state(True)
    namespace = {"prepare_accelerator": prepare_accelerator, "args": args, "logger": logging.getLogger("ref")}
    exec(block(trainer_source, "accelerator = prepare_accelerator(args)",
               "args.mixed_precision = accelerator.mixed_precision", True), namespace)
    accelerator = namespace["accelerator"]
    args.full_fp16 = args.full_bf16 = False  # as the trainer sets them before building metadata

    namespace.update({"torch": torch, "transformers": transformers, "ast": __import__("ast"),
                      "importlib": __import__("importlib")})
    exec(block(trainer_source, "def get_optimizer(self", "return optimizer_name, optimizer_args, optimizer,", True),
         namespace)
    param = torch.nn.Parameter(torch.zeros(2))
    optimizer_name, optimizer_args, _, _, _ = namespace["get_optimizer"](None, args, [param])

    datasets = []
    for kind, params in scenario["datasets"]:
        params = {k: fill(v) if isinstance(v, str) else v for k, v in params.items()}
        klass = ImageDataset if kind == "image" else VideoDataset
        if kind == "video":
            params.setdefault("target_frames", [1])
            params.setdefault("max_frames", 129)  # config_utils.VideoDatasetParams defaults
        datasets.append(klass(architecture="wan", **params))

    class Group:
        pass

    group = Group()
    group.datasets = datasets
    group.num_train_items = scenario["num_train_items"]

    class Loader:
        def __len__(self):
            return scenario["batches_per_epoch"]

    class Trainer:
        architecture = "wan"
        architecture_full_name = "wan"

        def extra_metadata(self, args):
            return {}

        def on_post_save(self, *a):
            pass

    class Clock:
        @staticmethod
        def time():
            return STARTED_AT

    class Printer:
        is_main_process = True

        def print(self, *a):
            pass

    saved = []

    class Network:
        def save_weights(self, file, dtype, metadata):
            saved.append(dict(metadata))

    # the SS_METADATA_* names, through the last item of SS_METADATA_MINIMUM_KEYS
    constants = block(trainer_source, "SS_METADATA_KEY_BASE_MODEL_VERSION =", "SS_METADATA_KEY_NETWORK_ARGS,", False)
    constants += "\n]"
    ns = {"json": json, "os": os, "math": __import__("math"), "time": Clock, "logger": logging.getLogger("ref"),
          "args": args, "accelerator": Printer(), "train_dataset_group": group, "train_dataloader": Loader(),
          "session_id": 0, "training_started_at": STARTED_AT, "optimizer_name": optimizer_name,
          "optimizer_args": optimizer_args, "self": Trainer(), "sai_model_spec": sai_model_spec,
          "network": None, "transformer": None, "save_dtype": torch.float32, "huggingface_utils": None}
    exec(constants, ns)
    exec(block(trainer_source, "num_update_steps_per_epoch = math.ceil(", "minimum_metadata[key] = metadata[key]",
               True), ns)
    exec(block(trainer_source, "def save_model(ckpt_name", "self.on_post_save(args, accelerator, network,", True), ns)
    saves = []
    for steps, epoch in scenario["saves"]:
        ns["save_model"]("x.safetensors", Network(), steps, epoch)
        metadata = saved[-1]
        metadata.pop("ss_session_id", None)
        saves.append({"steps": steps, "epoch": epoch, "metadata": metadata})
    return {
        "name": scenario["name"],
        "reference_args": scenario["cli"],
        "run_conf": scenario["run_conf"],
        "dataset_toml": scenario["dataset_toml"],
        "files": scenario["files"],
        "seed": args.seed,
        "num_train_items": scenario["num_train_items"],
        "batches_per_epoch": scenario["batches_per_epoch"],
        "saves": [{k: (fill_back(v, work) if k == "metadata" else v) for k, v in s.items()} for s in saves],
    }


def fill_back(metadata, work):
    return {k: v.replace(work, "${DIR}") for k, v in metadata.items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("musubi_src")
    parser.add_argument("out_json")
    parser.add_argument("--revision", default="unknown", help="the musubi-tuner commit, recorded in the output")
    a = parser.parse_args()
    os.environ["TZ"] = "UTC"
    time.tzset()
    sys.path.insert(0, a.musubi_src)
    trainer_file = os.path.join(a.musubi_src, "musubi_tuner", "training", "trainer_base.py")
    with open(trainer_file, encoding="utf-8") as f:
        trainer_source = f.read()
    out = {
        "produced_by": "make_reference_metadata.py (beside this file) run on musubi-tuner " + a.revision
                       + "'s own metadata code; see its docstring. ss_session_id is random in the reference and left out; every time is the"
                       " run's start " + repr(STARTED_AT) + " (TZ=UTC).",
        "started_at_millis": int(STARTED_AT * 1000),
        "scenarios": [run(s, a.musubi_src, trainer_source) for s in scenarios()],
    }
    with open(a.out_json, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1, ensure_ascii=True)
        f.write("\n")


if __name__ == "__main__":
    main()
