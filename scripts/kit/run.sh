#!/usr/bin/env bash
# The GPU kit's entry (built by `npm run kit:device`; README "The GPU kit"). Unpacks Node,
# Dawn and onnxruntime-web, generates the model, then checks the engines' logits against each
# other, measures both engines, the PyTorch ceiling where python3 has torch with CUDA, and
# writes the report. Every step has a time cap, so the whole run ends within KIT_CAP_S.
# Writes run.log, MANIFEST.json, check.json, engines.json, torch.json, kit.json and kit.md
# to $OUT (default: out/ beside this script).
#   KIT_PRESET=350M|tiny        the model (default 350M)
#   KIT_DTYPES=q4f16,q4,fp16    the ONNX files generated and run
#   KIT_BATCHES=1,5  KIT_CONTEXTS=0,256,512,1024  KIT_PREFILL=256  KIT_STEPS=16
#   KIT_TORCH=auto|skip         the PyTorch ceiling (auto: where torch sees CUDA)
#   KIT_CAP_S=470               the whole run, seconds (under 8 minutes)
#   KIT_WORK=DIR                where to unpack and generate (default /tmp/codegen-kit)
set -uo pipefail
KIT="$(cd "$(dirname "$0")" && pwd)"
OUT="${OUT:-$KIT/out}"
WORK="${KIT_WORK:-/tmp/codegen-kit}"
PRESET="${KIT_PRESET:-350M}"
DTYPES="${KIT_DTYPES:-q4f16,q4,fp16}"
BATCHES="${KIT_BATCHES:-1,5}"
CONTEXTS="${KIT_CONTEXTS:-0,256,512,1024}"
PREFILL="${KIT_PREFILL:-256}"
STEPS="${KIT_STEPS:-16}"
CAP_S="${KIT_CAP_S:-470}"
mkdir -p "$OUT"
exec > >(tee "$OUT/run.log") 2>&1
start=$SECONDS
say() { echo "== $((SECONDS - start)) s: $*"; }
# Seconds a step may take: what it asks for, at most what is left once `reserve` seconds are
# kept for the steps after it.
budget() {
  local want=$1 reserve=$2
  local left=$((CAP_S - (SECONDS - start) - reserve))
  ((left < want)) && want=$left
  ((want < 10)) && want=10
  echo "$want"
}
# file.xz -> file: Python's lzma where there is a python3 (the GPU machine has no xz), else xz.
unxz() {
  if command -v python3 >/dev/null; then
    python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "${1%.xz}"
  else
    xz -dc "$1" >"${1%.xz}"
  fi && rm "$1"
}

say "unpacking into $WORK"
rm -rf "$WORK" && mkdir -p "$WORK" && cp -r "$KIT/." "$WORK/" && rm -rf "$WORK/out"
cp "$KIT/MANIFEST.json" "$OUT/"
for f in "$WORK/node.xz" "$WORK"/node_modules/webgpu/dist/linux-x64/dawn.node.xz "$WORK"/node_modules/onnxruntime-web/dist/*.wasm.xz; do
  unxz "$f" || { say "cannot unpack $f"; exit 1; }
done
chmod +x "$WORK/node"
NODE="$WORK/node"
"$NODE" --version || { say "the kit's Node does not run here"; exit 1; }

# Vulkan: the kit's loader where the machine has none; NVIDIA's driver where there is one
# (elsewhere the WebGPU code names Chromium's SwiftShader, if installed).
if ! ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1'; then
  for deb in "$WORK"/vulkan/*.deb; do dpkg -x "$deb" "$WORK/sysroot"; done
  export LD_LIBRARY_PATH="$WORK/sysroot/usr/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  say "Vulkan loader from the kit"
fi
if [ -d /usr/local/nvidia/lib64 ]; then
  export LD_LIBRARY_PATH="/usr/local/nvidia/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  if [ -f "$icd" ]; then
    export VK_DRIVER_FILES="$icd" VK_ICD_FILENAMES="$icd"
    say "Vulkan driver $icd"
    break
  fi
done
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || true

TORCH=0
if [ "${KIT_TORCH:-auto}" = auto ] &&
  python3 -c 'import sys, torch, transformers; sys.exit(0 if torch.cuda.is_available() else 1)' 2>/dev/null; then
  TORCH=1
fi

# Seconds kept for the PyTorch ceiling and the report while the steps before them run.
TAIL=$((TORCH ? 150 : 20))
MODEL="$WORK/model"
cp -r "$WORK/models/$PRESET" "$MODEL"
parts="${DTYPES//,/ }"
((TORCH)) && parts="$parts safetensors"
say "generating the $PRESET model: $parts (one process each)"
pids=()
cap=$(budget 240 $((TAIL + 200)))
for part in $parts; do
  timeout "$cap" "$NODE" "$WORK/kit.mjs" generate "$MODEL" "$part" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid" || { say "generating the model failed"; exit 1; }; done

say "logits check (WGSL engine against onnxruntime-web)"
timeout "$(budget 120 $((TAIL + 120)))" "$NODE" "$WORK/kit.mjs" check --model "$MODEL" --out "$OUT/check.json" --dtypes "$DTYPES"

cap=$(budget 400 "$TAIL")
say "engines (cap $cap s)"
timeout "$cap" "$NODE" "$WORK/kit.mjs" bench --model "$MODEL" --out "$OUT/engines.json" \
  --preset "$PRESET" --dtypes "$DTYPES" --batches "$BATCHES" --contexts "$CONTEXTS" \
  --prefill-tokens "$PREFILL" --steps "$STEPS" --budget-s "$((cap - 20))"

cap=$(budget 150 10)
say "PyTorch ceiling (cap $cap s)"
if ((TORCH)); then
  timeout "$cap" python3 "$WORK/torch_ceiling.py" --model "$MODEL" --out "$OUT/torch.json" \
    --batches "$BATCHES" --contexts "$CONTEXTS" --prefill-tokens "$PREFILL" --steps "$STEPS" \
    --budget-s "$((cap - 30))"
elif command -v python3 >/dev/null && [ "${KIT_TORCH:-auto}" = auto ]; then
  python3 "$WORK/torch_ceiling.py" --model "$MODEL" --out "$OUT/torch.json" # says why it skips
else
  echo '{"status": "skipped", "reason": "KIT_TORCH=skip, or no python3"}' >"$OUT/torch.json"
fi

say "report"
"$NODE" "$WORK/kit.mjs" report --dir "$OUT" --model "$MODEL" || { say "no report"; exit 1; }
say "done: $OUT"
