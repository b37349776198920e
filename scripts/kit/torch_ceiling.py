#!/usr/bin/env python3
"""The GPU kit's native ceiling: transformers' CodeGenForCausalLM in PyTorch on CUDA.

Loads the kit's model folder (config.json and model.safetensors, the same random weights the
engines run, cast to fp16) and times the engines' workloads the same way: for each batch and
context, a prompt that fills the cache to the context, then decode steps of one token per
row, the greedy token read to the host every step as the app's generate() does; prefill
tokens/s at one prompt length. Also times a device-to-device copy, the bandwidth the kit's
bound is computed from. Writes JSON to --out after every point, so a run cut off by its time
cap keeps what it measured; where PyTorch, CUDA or transformers is missing it writes
status "skipped" and the reason.
"""

import argparse
import json
import statistics
import sys
import time


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="the kit's model folder")
    parser.add_argument("--out", required=True, help="JSON file to write")
    parser.add_argument("--batches", default="1,5")
    parser.add_argument("--contexts", default="0,256,512,1024")
    parser.add_argument("--prefill-tokens", type=int, default=256)
    parser.add_argument("--steps", type=int, default=16)
    parser.add_argument("--budget-s", type=float, default=150.0)
    return parser.parse_args()


def counts(text):
    return [int(item) for item in text.split(",") if item != ""]


class Recorder:
    """The result object, written whole after each change."""

    def __init__(self, path):
        self.path = path
        self.result = {"status": "running", "points": [], "prefill": [], "errors": []}

    def write(self):
        with open(self.path, "w", encoding="utf-8") as f:
            json.dump(self.result, f, indent=2)
            f.write("\n")

    def stop(self, status, reason=None):
        self.result["status"] = status
        if reason is not None:
            self.result["reason"] = reason
        self.write()


def copy_bandwidth(torch):
    """Bytes read plus written per second of a 1 GiB device-to-device copy."""
    size = 1 << 30
    a = torch.empty(size, dtype=torch.uint8, device="cuda")
    b = torch.empty_like(a)
    b.copy_(a)
    torch.cuda.synchronize()
    copies = 20
    started = time.perf_counter()
    for _ in range(copies):
        b.copy_(a)
    torch.cuda.synchronize()
    seconds = time.perf_counter() - started
    del a, b
    torch.cuda.empty_cache()
    return 2 * size * copies / seconds


def load_model(torch, transformers, folder):
    cls = transformers.CodeGenForCausalLM
    try:
        model, info = cls.from_pretrained(folder, dtype=torch.float16, output_loading_info=True)
    except TypeError:
        # transformers before 4.56 names the argument torch_dtype
        model, info = cls.from_pretrained(
            folder, torch_dtype=torch.float16, output_loading_info=True
        )
    return model.to("cuda").eval(), info


def timed_generation(torch, model, batch, prompt, steps, vocab):
    """Prefill ms, then each decode step's ms (the token read back to the host each time)."""
    ids = torch.randint(0, vocab, (batch, prompt), device="cuda")
    torch.cuda.synchronize()
    started = time.perf_counter()
    out = model(input_ids=ids, use_cache=True)
    token = out.logits[:, -1].argmax(-1, keepdim=True)
    token.cpu()
    prefill_ms = (time.perf_counter() - started) * 1000
    cache = out.past_key_values
    step_ms = []
    for _ in range(steps):
        started = time.perf_counter()
        out = model(input_ids=token, past_key_values=cache, use_cache=True)
        cache = out.past_key_values
        token = out.logits[:, -1].argmax(-1, keepdim=True)
        token.cpu()
        step_ms.append((time.perf_counter() - started) * 1000)
    return prefill_ms, step_ms


def measure(args, recorder, torch, transformers):
    result = recorder.result
    deadline = time.monotonic() + args.budget_s
    result["device"] = torch.cuda.get_device_name(0)
    result["versions"] = {
        "python": sys.version.split()[0],
        "torch": torch.__version__,
        "cuda": str(torch.version.cuda),
        "transformers": transformers.__version__,
    }
    result["dtype"] = "fp16"
    result["copyBytesPerS"] = copy_bandwidth(torch)
    recorder.write()

    started = time.perf_counter()
    model, info = load_model(torch, transformers, args.model)
    result["loadS"] = round(time.perf_counter() - started, 2)
    # Non-persistent buffers (the causal mask) are not in a checkpoint; a missing weight is.
    result["weights"] = {
        "missing": sorted(info.get("missing_keys", [])),
        "unexpected": sorted(info.get("unexpected_keys", [])),
    }
    recorder.write()
    # Ordinary ids of the tokenizer (the model's vocabulary is padded past it).
    vocab = min(50000, model.config.vocab_size)

    with torch.inference_mode():
        timed_generation(torch, model, 1, 8, 3, vocab)  # cuBLAS and allocator warm-up
        for batch in counts(args.batches):
            for context in sorted(counts(args.contexts)):
                if time.monotonic() > deadline:
                    result["errors"].append(f"b{batch} c{context}: over the {args.budget_s} s budget")
                    continue
                try:
                    _, step_ms = timed_generation(
                        torch, model, batch, max(1, context), args.steps, vocab
                    )
                except Exception as error:  # one point's failure (out of memory) is its own
                    result["errors"].append(f"b{batch} c{context}: {type(error).__name__}: {error}")
                    continue
                result["points"].append(
                    {
                        "batch": batch,
                        "context": context,
                        "steps": len(step_ms),
                        "msPerStep": round(statistics.fmean(step_ms), 3),
                        "medianStepMs": round(statistics.median(step_ms), 3),
                    }
                )
                recorder.write()
            tokens = args.prefill_tokens
            if time.monotonic() > deadline:
                result["errors"].append(f"b{batch} prefill: over the {args.budget_s} s budget")
                continue
            runs = []
            for _ in range(3):
                prefill_ms, _ = timed_generation(torch, model, batch, tokens, 0, vocab)
                runs.append(prefill_ms)
            ms = statistics.median(runs)
            result["prefill"].append(
                {
                    "batch": batch,
                    "tokens": tokens,
                    "ms": round(ms, 3),
                    "tokPerS": round(batch * tokens * 1000 / ms, 1),
                }
            )
            recorder.write()
    result["peakBytes"] = torch.cuda.max_memory_allocated()


def main():
    args = parse_args()
    recorder = Recorder(args.out)
    try:
        import torch
    except ImportError as error:
        recorder.stop("skipped", f"PyTorch is not installed ({error})")
        return
    if not torch.cuda.is_available():
        recorder.stop("skipped", "PyTorch sees no CUDA device")
        return
    try:
        import transformers
    except ImportError as error:
        recorder.stop("skipped", f"transformers is not installed ({error})")
        return
    try:
        measure(args, recorder, torch, transformers)
    except Exception as error:
        recorder.stop("error", f"{type(error).__name__}: {error}")
        raise
    recorder.stop("ok")


if __name__ == "__main__":
    main()
