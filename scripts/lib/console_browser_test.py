"""The web console in chromium, driven by selenium (run by scripts/console-browser-test).

Environment: CONSOLE_URL (the daemon), CONSOLE_TOKEN (an admin API token), CONSOLE_SCREENSHOTS
(the folder for a PNG of each page), CONSOLE_DOCS (optional: where docs/console-market.png and
docs/console-job.png go). Submits a small job through the API, logs in, opens every page, checks
its key elements, follows the job's live logs, cancels it from its page, logs out. Fails on any
missing element and on any SEVERE entry in the browser's console log.
"""
import json
import os
import pathlib
import shutil
import sys
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

BASE = os.environ["CONSOLE_URL"]
TOKEN = os.environ["CONSOLE_TOKEN"]
SHOTS = pathlib.Path(os.environ["CONSOLE_SCREENSHOTS"])
DOCS = os.environ.get("CONSOLE_DOCS") or None
REPO = pathlib.Path(__file__).resolve().parents[2]
# Where the job's checkpoints go; removed at the end.
CHECKPOINTS = tempfile.mkdtemp(prefix="gridbroker-console-")

SPEC = {
    "name": "console-demo",
    "resources": {"gpu": ["A100-80GB"], "gpus_per_node": 8, "nodes": 1},
    "market": "on_demand",
    "max_price_per_hour": 40.0,
    "budget_usd": 100,
    "dataset": {"uri": "s3://team-data/console-demo", "shards": 40},
    "checkpoint": {"uri": f"file://{CHECKPOINTS}", "interval_minutes": 1},
    "image": "python:3.12-slim",
    "command": ["python3", str(REPO / "examples" / "train.py")],
    "env": {"TRAIN_SECONDS_PER_SHARD": "1.5", "CHECKPOINT_EVERY": "5"},
}

# The pages whose screenshots the README shows, and their files under docs/.
DOC_SHOTS = {"market-filtered": "console-market.png", "job": "console-job.png"}

failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what, flush=True)
    if not condition:
        failures.append(what)


def api(method, path, body=None):
    request = urllib.request.Request(
        BASE + path, method=method, data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def severe(driver):
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def page(driver, path, name, *selectors):
    driver.get(BASE + path)
    for selector in selectors:
        found = driver.find_elements(By.CSS_SELECTOR, selector)
        check(bool(found), f"{name}: {selector}")
    errors = severe(driver)
    check(not errors, f"{name}: no browser console errors {errors if errors else ''}")
    check(TOKEN not in driver.page_source, f"{name}: the API token is not in the page")
    shot(driver, name)


def shot(driver, name):
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1400, min(max(height + 40, 800), 3000))
    driver.save_screenshot(str(SHOTS / f"{name}.png"))
    if DOCS and name in DOC_SHOTS:
        driver.set_window_size(1400, min(max(height + 40, 800), 1500))
        driver.save_screenshot(str(pathlib.Path(DOCS) / DOC_SHOTS[name]))
    driver.set_window_size(1400, 1000)


def main():
    SHOTS.mkdir(parents=True, exist_ok=True)
    if DOCS:
        pathlib.Path(DOCS).mkdir(parents=True, exist_ok=True)
    job = api("POST", "/v1/jobs", SPEC)["id"]
    print(f"submitted {job}", flush=True)
    driver = browser()
    try:
        driver.get(BASE + "/console/jobs")
        check(driver.current_url.endswith("/login"), "without a session a page leads to the login page")
        shot(driver, "login")
        driver.find_element(By.ID, "token").send_keys(TOKEN)
        driver.find_element(By.ID, "login").click()
        WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.ID, "overview")))
        cookie = driver.get_cookie("gridbroker_session")
        check(cookie is not None and cookie.get("httpOnly") and cookie.get("sameSite") == "Strict",
              "the session cookie is HttpOnly and SameSite=Strict")

        page(driver, "/console/market", "market", "#overview tbody tr", "#charts svg polyline", "#offers tbody tr",
             "#offer-filters")
        driver.find_element(By.LINK_TEXT, "$/h").click()
        check("sort=price" in driver.current_url, "market: the offers sort by $/h")
        page(driver, "/console/market?min_gpus=zero", "market-bad-filter", "#filter-errors")

        page(driver, "/console/quote", "quote", "#spec", "#spec-file", "#get-quote")
        driver.find_element(By.ID, "spec").send_keys(json.dumps(SPEC))
        driver.find_element(By.ID, "get-quote").click()
        WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.ID, "placements")))
        check(not severe(driver), "quote: placements shown without errors")
        shot(driver, "quote-result")
        driver.find_element(By.ID, "spec").clear()
        driver.find_element(By.ID, "spec").send_keys("name: broken\nresources: {gpus_per_node: 0}")
        driver.find_element(By.ID, "get-quote").click()
        WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.ID, "spec-errors")))
        check("resources" in driver.find_element(By.ID, "spec-errors").text, "quote: a bad spec shows the parser's errors")
        # The page with the errors is a 400, which chromium logs; nothing else may be there.
        unexpected = [e for e in severe(driver) if "/console/quote - " not in e["message"] or "(Bad Request)" not in e["message"]]
        check(not unexpected, f"quote: no browser console errors but the 400 {unexpected if unexpected else ''}")

        # The job runs on a simulated-market node whose boot script runs the real agent.
        deadline = time.time() + 90
        while time.time() < deadline and api("GET", f"/v1/jobs/{job}")["state"] != "running":
            time.sleep(1)
        page(driver, "/console/jobs", "jobs", "#jobs tbody tr")
        driver.get(BASE + f"/console/jobs/{job}")
        try:
            WebDriverWait(driver, 45).until(lambda d: d.find_element(By.ID, "logs").text.count("\n") >= 3)
        except Exception:
            pass
        check(driver.find_element(By.ID, "logs").text.strip() != "", "job: live logs arrive in the page")
        shards = driver.find_element(By.CSS_SELECTOR, "#shards span").text
        try:
            WebDriverWait(driver, 15).until(lambda d: d.find_element(By.CSS_SELECTOR, "#shards span").text != shards)
        except Exception:
            pass
        check(driver.find_element(By.CSS_SELECTOR, "#shards span").text != shards,
              f"job: the shard progress moves without a reload (was {shards})")
        time.sleep(3)  # a few more lines and shards for the picture
        page(driver, f"/console/jobs/{job}", "job-reloaded", "#job-state", "#shards svg", "#nodes", "#timeline",
             "#cancel")
        WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "logs").text.strip() != "")
        time.sleep(2)
        shot(driver, "job")

        page(driver, "/console/spend", "spend", "#budget svg", "#spend-jobs", "#spend-providers", "#spend-days")
        page(driver, "/console/admin", "admin", "#providers tbody tr", "#provider-vast form")

        driver.get(BASE + "/console/admin")
        driver.find_element(By.CSS_SELECTOR, "#provider-lambda button").click()
        WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.ID, "notice")))
        check("lambda disabled" in driver.find_element(By.ID, "notice").text, "admin: a provider is disabled")
        driver.find_element(By.CSS_SELECTOR, "#provider-lambda button").click()
        # The form's answer is a new page: wait for it, or the next click lands on the old one.
        WebDriverWait(driver, 10).until(EC.text_to_be_present_in_element((By.ID, "notice"), "lambda enabled"))
        driver.find_elements(By.CSS_SELECTOR, "#provider-vast button")[1].click()
        WebDriverWait(driver, 30).until(EC.text_to_be_present_in_element((By.ID, "notice"), "vast polled"))
        check(not severe(driver), "admin: no browser console errors after the forms")

        # After a second poll the price charts have some history to draw.
        page(driver, "/console/market?gpu=H100-SXM,A100-80GB&market=spot", "market-filtered", "#overview tbody tr",
             "#charts svg polyline", "#offers tbody tr")


        driver.get(BASE + f"/console/jobs/{job}")
        shown = driver.find_element(By.ID, "job-state")
        driver.find_element(By.ID, "cancel").click()
        # The form's answer is a new page: wait for the old one to go before reading the new one
        # (reading an element while its document is replaced fails in Chromium's inspector).
        WebDriverWait(driver, 10).until(EC.staleness_of(shown))
        WebDriverWait(driver, 10).until(EC.text_to_be_present_in_element((By.ID, "job-state"), "cancelled"))
        check(api("GET", f"/v1/jobs/{job}")["state"] == "cancelled", "job: cancelled from its page")

        driver.find_element(By.ID, "logout").click()
        WebDriverWait(driver, 10).until(EC.presence_of_element_located((By.ID, "token")))
        check(driver.current_url.endswith("/login"), "log-out leads to the login page")
        driver.get(BASE + "/console/market")
        check(driver.current_url.endswith("/login"), "after log-out the pages need a session again")
    finally:
        driver.quit()
        shutil.rmtree(CHECKPOINTS, ignore_errors=True)
    if failures:
        print(f"{len(failures)} console check(s) failed", file=sys.stderr)
        return 1
    print(f"console browser test passed; screenshots in {SHOTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
