"""Drives the providers' official Python clients against `gridbroker sim`.

Run by scripts/provider-clients inside its virtual environment (vastai, runpod and
lambda-ai-cloud-api-client installed). For each client it runs the steps of one instance's life:
search offers, create an instance from the cheapest, list it, destroy it, and check it is gone
(not listed, or listed in a terminal state). Prints one PASS/FAIL line per step and a summary;
exits 1 when any step failed. What the clients send: Tests/ProvidersTests/Fixtures/recorded/.

Usage: python provider_clients.py --base-url http://127.0.0.1:PORT --work DIR
"""

import argparse
import json
import os
import subprocess
import sys
import time
import traceback

API_KEY = "gridbroker-provider-clients"
NAME = "gridbroker-probe"
VAST_IMAGE = "nvidia/cuda:12.4.1-base-ubuntu22.04"
RUNPOD_IMAGE = "runpod/base:0.0.0"
GONE_TIMEOUT_S = 30
COMMAND_TIMEOUT_S = 180
# Credentials a developer's shell may hold: never passed to the clients.
CREDENTIAL_VARS = (
    "VAST_API_KEY", "RUNPOD_API_KEY", "LAMBDA_CLOUD_TOKEN", "LAMBDA_CLOUD_API_TOKEN", "LAMBDA_API_TOKEN",
)
# Statuses that count as gone when the instance is still listed. Vast has none: a destroyed
# instance leaves the list (exited/offline/stopped ones still exist).
RUNPOD_TERMINAL = {"TERMINATED", "EXITED"}
LAMBDA_TERMINAL = {"terminated", "preempted"}
# What the vastai CLI prints on failure (it exits 0 anyway).
VAST_ERROR_MARKERS = ("Failed with error", '"error": true', "Traceback", "invalid return Content-Type")


class StepFailed(Exception):
    """A step's check failed; the message is the short reason printed."""


def fail(reason):
    raise StepFailed(reason)


# ------------------------------------------------------------------------------------------------
# Steps and the report


class Steps:
    """Runs steps, prints one line for each, and counts them."""

    def __init__(self):
        self.passed = 0
        self.total = 0
        self.last_failed = None  # the last step that ran and failed

    def run(self, flow, step, action, *needs):
        """Runs `action`; returns its value (True if it returns nothing), or None when it failed.
        A step whose `needs` include None (an earlier step failed) fails without running."""
        self.total += 1
        if any(need is None for need in needs):
            print(f"FAIL {flow} {step}: not run ({self.last_failed} failed)", flush=True)
            return None
        try:
            value = action()
        except StepFailed as error:
            return self.fail(flow, step, str(error))
        except subprocess.TimeoutExpired as error:
            return self.fail(flow, step, f"timed out after {error.timeout:.0f} s: {os.path.basename(error.cmd[0])} {' '.join(error.cmd[1:])}")
        except Exception as error:  # a client crashed: name the exception and where it came from
            return self.fail(flow, step, describe_exception(error))
        self.passed += 1
        print(f"PASS {flow} {step}", flush=True)
        return True if value is None else value

    def fail(self, flow, step, reason):
        self.last_failed = f"{flow} {step}"
        print(f"FAIL {flow} {step}: {one_line(reason)}", flush=True)
        return None


def describe_exception(error):
    """`Type: message (at file.py:line)`, the line being the innermost frame of the traceback."""
    frames = traceback.extract_tb(error.__traceback__)
    where = ""
    if frames:
        path = frames[-1].filename
        path = path.split("site-packages/", 1)[-1]
        where = f" (at {path}:{frames[-1].lineno})"
    return f"{type(error).__name__}: {error}{where}"


def one_line(text, limit=400):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------------------------------------
# Running a CLI


def client_env(work, flow, **extra):
    """The environment of a flow's clients: a throwaway HOME and XDG folders, no credentials,
    wide output (rich wraps JSON at 80 columns otherwise)."""
    home = os.path.join(work, flow, "home")
    env = {k: v for k, v in os.environ.items() if k not in CREDENTIAL_VARS}
    env.update(
        HOME=home,
        XDG_CONFIG_HOME=os.path.join(home, ".config"),
        XDG_CACHE_HOME=os.path.join(home, ".cache"),
        XDG_STATE_HOME=os.path.join(home, ".local", "state"),
        XDG_DATA_HOME=os.path.join(home, ".local", "share"),
        COLUMNS="1000",
        NO_COLOR="1",
        PYTHONWARNINGS="ignore",
    )
    env.update(extra)
    os.makedirs(env["XDG_CONFIG_HOME"], exist_ok=True)
    return env


class Result:
    """A finished CLI command: its exit status and output."""

    def __init__(self, shown, completed):
        self.command = shown
        self.code = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.output = completed.stdout + completed.stderr

    def failure(self, why):
        """A StepFailed naming the command, `why`, and the client's own message."""
        return StepFailed(f"`{self.command}`: {why}: {error_line(self.output) or '(no output)'}")

    def json(self):
        """stdout parsed as JSON, or StepFailed."""
        try:
            return json.loads(self.stdout)
        except ValueError:
            raise self.failure("output is not JSON") from None


def error_line(output):
    """The most telling line of a client's output: its error line, or a traceback's last line."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    for marker in ("Failed with error", '"error": true', "invalid return Content-Type", "Error:"):
        for line in lines:
            if marker in line:
                return line
    if any(line.startswith("Traceback") for line in lines):
        return lines[-1]
    return lines[0] if lines else ""


def run_cli(env, program, *args, hidden=()):
    """Runs one of the venv's console scripts (next to this Python) with `hidden` arguments (not
    shown in reasons) before `args`; returns a Result."""
    path = os.path.join(os.path.dirname(sys.executable), program)
    completed = subprocess.run(
        [path, *hidden, *args], env=env, cwd=env["HOME"], capture_output=True, text=True,
        stdin=subprocess.DEVNULL, timeout=COMMAND_TIMEOUT_S,
    )
    return Result(" ".join([program, *args]), completed)


def attempt(problems, action):
    """Runs `action`; on StepFailed notes the reason in `problems` and returns None. Lets a step
    run all of its commands and report every failure, not only the first."""
    try:
        return action()
    except StepFailed as error:
        problems.append(str(error))
        return None


def check(problems):
    if problems:
        raise StepFailed("; ".join(problems))


def find(rows, instance_id):
    """The row whose id is `instance_id` (compared as text), or None."""
    return next((row for row in rows if str(row.get("id")) == str(instance_id)), None)


def wait_until_gone(list_rows, instance_id, status_of, terminal):
    """Lists until the instance is not listed or its status is terminal; polls for up to
    GONE_TIMEOUT_S. A failing list fails at once."""
    deadline = time.monotonic() + GONE_TIMEOUT_S
    while True:
        row = find(list_rows(), instance_id)
        if row is None:
            return True
        status = status_of(row)
        if status in terminal:
            return True
        if time.monotonic() > deadline:
            raise StepFailed(f"{instance_id} still listed after {GONE_TIMEOUT_S} s, status {status!r}")
        time.sleep(1)


def number(value):
    """True for an int or float (not a bool)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# ------------------------------------------------------------------------------------------------
# Vast.ai: the vastai CLI


def vast_cli(env, base):
    """A function running `vastai --url BASE/vast --api-key K ARGS...`; it fails on the error
    text vastai prints (it exits 0 on errors)."""

    def run(*args):
        result = run_cli(env, "vastai", *args, hidden=("--url", f"{base}/vast", "--api-key", API_KEY))
        if any(marker in result.output for marker in VAST_ERROR_MARKERS):
            raise result.failure("client reported an error")
        return result

    return run


def cheapest_vast_offer(offers):
    """The offer with the lowest dph_total; checks the fields the flow needs."""
    if not isinstance(offers, list) or not offers:
        raise StepFailed(f"no offers returned ({type(offers).__name__} {str(offers)[:80]})")
    for offer in offers:
        if not isinstance(offer.get("id"), int) or not number(offer.get("dph_total")):
            raise StepFailed(f"offer without an integer id and numeric dph_total: {str(offer)[:200]}")
    return min(offers, key=lambda offer: offer["dph_total"])


def vast_created_id(answer):
    """new_contract of a create answer `{"success": true, "new_contract": <int>}`."""
    if not isinstance(answer, dict) or answer.get("success") is not True:
        raise StepFailed(f"create answered without success: {str(answer)[:200]}")
    if not isinstance(answer.get("new_contract"), int):
        raise StepFailed(f"create answered without an integer new_contract: {str(answer)[:200]}")
    return answer["new_contract"]


def vast_cli_search(vast):
    # The table too: it formats every numeric field (a string there crashes it).
    problems = []
    offers = attempt(problems, lambda: vast("search", "offers", "-o", "dph_total", "--raw").json())
    attempt(problems, lambda: vast("search", "offers", "-o", "dph_total"))
    check(problems)
    return cheapest_vast_offer(offers)


def vast_cli_create(vast, offer):
    result = vast(
        "create", "instance", str(offer["id"]), "--image", VAST_IMAGE, "--disk", "10",
        "--ssh", "--direct", "--label", NAME, "--raw",
    )
    return vast_created_id(result.json())


def vast_cli_rows(vast):
    rows = vast("show", "instances", "--raw").json()
    if not isinstance(rows, list):
        raise StepFailed(f"show instances --raw printed no list: {str(rows)[:200]}")
    return rows


def vast_cli_list(vast, instance_id):
    """`show instances` three ways (--raw, -q, table), as the recording does."""

    def listed(args, ids_in):
        result = vast("show", "instances", *args)
        if str(instance_id) not in ids_in(result):
            raise result.failure(f"instance {instance_id} not shown")

    problems = []
    attempt(problems, lambda: find(vast_cli_rows(vast), instance_id) or fail(
        f"`vastai show instances --raw`: instance {instance_id} not listed"))
    attempt(problems, lambda: listed(["-q"], lambda result: result.stdout.split()))
    attempt(problems, lambda: listed([], lambda result: result.stdout))
    check(problems)


def vast_cli_destroy(vast, instance_id):
    # --raw prints nothing for destroy, so the human line is the check.
    result = vast("destroy", "instance", str(instance_id), "-y")
    if f"destroying instance {instance_id}." not in result.stdout:
        raise result.failure("no 'destroying instance' line")


def vast_cli_flow(steps, base, work):
    flow = "vast-cli"
    # VAST_URL: the import-time gpu_names fetch goes to the sim, not console.vast.ai.
    vast = vast_cli(client_env(work, flow, VAST_URL=f"{base}/vast"), base)
    offer = steps.run(flow, "search", lambda: vast_cli_search(vast))
    instance = steps.run(flow, "create", lambda: vast_cli_create(vast, offer), offer)
    steps.run(flow, "list", lambda: vast_cli_list(vast, instance), instance)
    destroyed = steps.run(flow, "destroy", lambda: vast_cli_destroy(vast, instance), instance)
    steps.run(
        flow, "gone",
        lambda: wait_until_gone(lambda: vast_cli_rows(vast), instance, lambda row: row.get("actual_status"), ()),
        destroyed,
    )


# ------------------------------------------------------------------------------------------------
# Vast.ai: the SDK (in this process)


def vast_sdk_flow(steps, base, work):
    flow = "vast-sdk"
    from vastai import VastAI

    sdk = VastAI(api_key=API_KEY, server_url=f"{base}/vast")

    def create(offer):
        return vast_created_id(
            sdk.create_instance(offer["id"], image=VAST_IMAGE, disk=10, label=NAME, ssh=True, direct=True))

    def listed(instance_id):
        if find(sdk.show_instances(), instance_id) is None:
            raise StepFailed(f"instance {instance_id} not in show_instances()")

    def destroy(instance_id):
        answer = sdk.destroy_instance(instance_id)
        if not isinstance(answer, dict) or not answer.get("success"):
            raise StepFailed(f"destroy_instance answered {str(answer)[:200]}")

    offer = steps.run(flow, "search", lambda: cheapest_vast_offer(sdk.search_offers(order="dph_total")))
    instance = steps.run(flow, "create", lambda: create(offer), offer)
    steps.run(flow, "list", lambda: listed(instance), instance)
    destroyed = steps.run(flow, "destroy", lambda: destroy(instance), instance)
    steps.run(
        flow, "gone",
        lambda: wait_until_gone(sdk.show_instances, instance, lambda row: row.get("actual_status"), ()),
        destroyed,
    )


# ------------------------------------------------------------------------------------------------
# RunPod: the SDK (in this process) and the `runpod` CLI


def runpod_cheapest_gpu(runpod):
    """get_gpus(), then get_gpu(id) for each type; the type with the lowest on-demand price."""
    types = runpod.get_gpus()
    if not types:
        raise StepFailed("get_gpus() returned no GPU types")
    priced = []
    for gpu_type in types:
        detail = runpod.get_gpu(gpu_type["id"])
        price = (detail.get("lowestPrice") or {}).get("uninterruptablePrice")
        if number(price):
            priced.append((price, detail["id"]))
    if not priced:
        raise StepFailed(f"none of {len(types)} GPU types has lowestPrice.uninterruptablePrice")
    return min(priced)[1]


def runpod_create(runpod, gpu_id):
    pod = runpod.create_pod(
        NAME, RUNPOD_IMAGE, gpu_id, cloud_type="ALL", gpu_count=1, container_disk_in_gb=10, ports="22/tcp")
    if not isinstance(pod, dict) or not pod.get("id"):
        raise StepFailed(f"create_pod returned no id: {str(pod)[:200]}")
    return pod["id"]


def runpod_listed(runpod, pod_id):
    if find(runpod.get_pods(), pod_id) is None:
        raise StepFailed(f"pod {pod_id} not in get_pods()")


def runpod_cli_table(env):
    """`runpod pod list` rows as dicts (id, status) from its table."""
    result = run_cli(env, "runpod", "pod", "list")
    if result.code != 0 or "Traceback" in result.output:
        raise result.failure(f"exit {result.code}")
    rows = []
    for line in result.stdout.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 3 and cells[0] != "ID":
            rows.append({"id": cells[0], "desiredStatus": cells[2]})
    return rows


def runpod_cli_listed(env, pod_id):
    if find(runpod_cli_table(env), pod_id) is None:
        raise StepFailed(f"pod {pod_id} not in the `runpod pod list` table")


def runpod_cli_env(work, base):
    """The CLI reads its key only from ~/.runpod/config.toml."""
    env = client_env(work, "runpod-cli", RUNPOD_API_BASE_URL=f"{base}/runpod")
    os.makedirs(os.path.join(env["HOME"], ".runpod"), exist_ok=True)
    with open(os.path.join(env["HOME"], ".runpod", "config.toml"), "w") as file:
        file.write(f'[default]\napi_key = "{API_KEY}"\n')
    return env


def runpod_flows(steps, base, work):
    """The SDK's flow; the CLI's list and gone steps run on the SDK's pod."""
    flow, cli = "runpod-sdk", "runpod-cli"
    os.environ["RUNPOD_API_BASE_URL"] = f"{base}/runpod"  # read on every call
    import runpod

    runpod.api_key = API_KEY
    cli_env = runpod_cli_env(work, base)
    status = lambda row: row.get("desiredStatus")

    gpu = steps.run(flow, "search", lambda: runpod_cheapest_gpu(runpod))
    pod = steps.run(flow, "create", lambda: runpod_create(runpod, gpu), gpu)
    steps.run(flow, "list", lambda: runpod_listed(runpod, pod), pod)
    steps.run(cli, "list", lambda: runpod_cli_listed(cli_env, pod), pod)
    destroyed = steps.run(flow, "destroy", lambda: runpod.terminate_pod(pod), pod)
    steps.run(
        flow, "gone", lambda: wait_until_gone(runpod.get_pods, pod, status, RUNPOD_TERMINAL), destroyed)
    steps.run(
        cli, "gone", lambda: wait_until_gone(lambda: runpod_cli_table(cli_env), pod, status, RUNPOD_TERMINAL),
        destroyed,
    )


# ------------------------------------------------------------------------------------------------
# Lambda: the `lai` CLI


def lai_cli(env):
    """A function running `lai ARGS...`; fails on a non-zero exit or a traceback."""

    def run(*args):
        result = run_cli(env, "lai", *args)
        if result.code != 0 or "Traceback" in result.output:
            raise result.failure(f"exit {result.code}")
        return result

    return run


def lai_search(lai):
    """`lai types --json` (and the table); the cheapest type with capacity somewhere."""
    types = lai("types", "--json").json()
    lai("types")
    available = [t for t in types if t.get("regions_with_capacity_available")]
    if not available:
        raise StepFailed(f"none of {len(types)} instance types has regions_with_capacity_available")
    return min(available, key=lambda t: t["instance_type"]["price_cents_per_hour"])["instance_type"]["name"]


def lai_create(lai, instance_type):
    """`lai keys`, then `lai start` with the first key (or NAME when there is none or keys failed)."""
    problems = []
    keys = attempt(problems, lambda: lai("keys", "--json").json())
    key = keys[0]["name"] if keys else NAME
    instance = attempt(problems, lambda: lai(
        "start", "--instance-type", instance_type, "--available", "--ssh-key", key, "--name", NAME, "--json",
    ).json())
    if instance is not None and not instance.get("id"):
        problems.append(f"lai start printed no id: {str(instance)[:200]}")
    check(problems)
    return instance["id"]


def lai_rows(lai):
    return lai("ls", "--json").json()


def lai_ours(rows, instance_id):
    """Our instance among `rows`: by id, or by name when `start` failed (it may have launched)."""
    if instance_id:
        return find(rows, instance_id)
    return next((row for row in rows if row.get("name") == NAME), None)


def lai_list(lai, instance_id):
    """Our instance in `lai ls --json` (and the table runs too)."""
    problems = []
    rows = attempt(problems, lambda: lai_rows(lai))
    if rows is not None and lai_ours(rows, instance_id) is None:
        problems.append(f"instance {instance_id or NAME} not in `lai ls --json`")
    attempt(problems, lambda: lai("ls"))
    check(problems)


def lai_stop(lai, instance_id):
    """`lai stop ID` (or NAME, which lai resolves too, when start printed no id); returns the id
    of the terminated instance it printed."""
    stopped = lai("stop", instance_id or NAME).json()
    row = lai_ours(stopped, instance_id)
    if row is None:
        raise StepFailed(f"`lai stop` did not print {instance_id or NAME} as terminated: {str(stopped)[:200]}")
    return row["id"]


def lambda_flow(steps, base, work):
    flow = "lambda-lai"
    env = client_env(work, flow, LAMBDA_CLOUD_BASE_URL=f"{base}/lambda", LAMBDA_CLOUD_TOKEN=API_KEY)
    lai = lai_cli(env)
    instance_type = steps.run(flow, "search", lambda: lai_search(lai))
    created = steps.run(flow, "create", lambda: lai_create(lai, instance_type), instance_type)
    # `lai start` launches before it prints the instance: when it fails, the later steps still
    # run and find the launch by name.
    steps.run(flow, "list", lambda: lai_list(lai, created), instance_type)
    stopped = steps.run(flow, "destroy", lambda: lai_stop(lai, created), instance_type)
    steps.run(
        flow, "gone",
        lambda: wait_until_gone(lambda: lai_rows(lai), stopped, lambda row: row.get("status"), LAMBDA_TERMINAL),
        stopped,
    )


# ------------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True, help="the simulated market, http://127.0.0.1:PORT")
    parser.add_argument("--work", required=True, help="a scratch folder for the clients' HOME folders")
    args = parser.parse_args()
    base = args.base_url.rstrip("/")

    # The in-process SDKs read their config at import: give them a throwaway HOME too.
    os.environ.update(client_env(args.work, "sdk"))
    for name in CREDENTIAL_VARS:
        os.environ.pop(name, None)

    steps = Steps()
    for flow in (vast_cli_flow, vast_sdk_flow, runpod_flows, lambda_flow):
        flow(steps, base, args.work)
    print(f"{steps.passed} of {steps.total} steps passed")
    return 0 if steps.passed == steps.total else 1


if __name__ == "__main__":
    sys.exit(main())
