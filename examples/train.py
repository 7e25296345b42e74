#!/usr/bin/env python3
"""A toy trainer for gridbroker's node agent, on Python's standard library alone.

It does what a real training command does for the broker, without a GPU: it reads its shards
from $GRIDBROKER_SHARDS_FILE (a shard's index, then its objects' URIs, tab-separated; the file
changes when the broker hands shards over), "trains" each (TRAIN_SECONDS_PER_SHARD seconds,
default 1), and reports progress in $GRIDBROKER_PROGRESS_FILE as
{"shards_done": [...], "checkpoint": {"uri", "at"}}. As in data-parallel training, rank 0 saves
the model: it checkpoints to a file:// URI ($GRIDBROKER_CHECKPOINT_URI) every CHECKPOINT_EVERY of
its shards (default 5), on SIGUSR1 (the broker asks the whole gang when a node is being
reclaimed) and on SIGTERM. Every rank resumes from $GRIDBROKER_RESUME_FROM and stops cleanly on
SIGTERM.
"""
import datetime
import json
import os
import random
import signal
import sys
import time
import urllib.parse

rank = int(os.environ.get("NODE_RANK", "0"))
seconds_per_shard = float(os.environ.get("TRAIN_SECONDS_PER_SHARD", "1"))
checkpoint_every = max(1, int(os.environ.get("CHECKPOINT_EVERY", "5")))
shards_file = os.environ["GRIDBROKER_SHARDS_FILE"]
progress_file = os.environ["GRIDBROKER_PROGRESS_FILE"]
checkpoint_base = os.environ.get("GRIDBROKER_CHECKPOINT_URI")

done = []
step = 0
last_checkpoint = None
wanted = {"checkpoint": False, "stop": False}


def log(message):
    print(f"[rank {rank}] {message}", flush=True)


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def local_path(uri):
    """The file a file:// URI names, or None for another scheme."""
    parsed = urllib.parse.urlparse(uri)
    return urllib.parse.unquote(parsed.path) if parsed.scheme == "file" else None


def write_whole(path, text):
    """Writes by a rename, so a reader never sees half of it."""
    partial = path + ".part"
    with open(partial, "w") as out:
        out.write(text)
    os.replace(partial, path)


def report():
    progress = {"shards_done": done}
    if last_checkpoint:
        progress["checkpoint"] = last_checkpoint
    write_whole(progress_file, json.dumps(progress))


def save_checkpoint(why):
    global last_checkpoint
    if not checkpoint_base or rank != 0:
        return
    uri = f"{checkpoint_base.rstrip('/')}/step-{step}.json"
    path = local_path(uri)
    if path is not None:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        write_whole(path, json.dumps({"step": step, "rank": rank, "shards_done": done}))
    last_checkpoint = {"uri": uri, "at": now()}
    report()
    log(f"checkpoint {uri} ({why})")


def resume():
    global step
    uri = os.environ.get("GRIDBROKER_RESUME_FROM")
    if not uri:
        log("starting from scratch")
        return
    path = local_path(uri)
    if path and os.path.exists(path):
        with open(path) as file:
            step = json.load(file).get("step", 0)
    log(f"resuming from {uri} at step {step}")


def assigned():
    """The shards still listed for this node, with their objects' URIs."""
    try:
        with open(shards_file) as file:
            lines = [line.rstrip("\n").split("\t") for line in file if line.strip()]
    except FileNotFoundError:
        return []
    return [(int(fields[0]), fields[1:]) for fields in lines]


signal.signal(signal.SIGUSR1, lambda *_: wanted.__setitem__("checkpoint", True))
signal.signal(signal.SIGTERM, lambda *_: wanted.__setitem__("stop", True))

log(f"node {os.environ.get('GRIDBROKER_NODE_ID', '?')} of job {os.environ.get('GRIDBROKER_JOB_ID', '?')}, "
    f"{os.environ.get('NNODES', '1')} node(s), master {os.environ.get('MASTER_ADDR', '?')}, "
    f"dataset {os.environ.get('GRIDBROKER_DATASET_URI', 'none')}")
resume()
report()
loss = 3.0
while not wanted["stop"]:
    if wanted["checkpoint"]:
        wanted["checkpoint"] = False
        save_checkpoint("asked by the broker")
    todo = [(shard, objects) for shard, objects in assigned() if shard not in done]
    if not todo:
        time.sleep(0.2)
        continue
    shard, objects = todo[0]
    deadline = time.monotonic() + seconds_per_shard
    while time.monotonic() < deadline and not wanted["stop"] and not wanted["checkpoint"]:
        time.sleep(min(0.05, max(0.0, deadline - time.monotonic())))
    if wanted["stop"] or wanted["checkpoint"]:
        continue  # the shard is started again after the checkpoint, or by whoever resumes it
    step += 1
    loss = max(0.05, loss * 0.97 + random.uniform(-0.02, 0.02))
    done.append(shard)
    report()
    log(f"shard {shard} done ({len(objects)} object(s)), step {step}, loss {loss:.3f}")
    if step % checkpoint_every == 0:
        save_checkpoint("periodic")

save_checkpoint("stopping")
log(f"stopped after {len(done)} shard(s)")
sys.exit(0)
