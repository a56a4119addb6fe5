"""First page load of the dashboard on the bundled example: target < 3 s.

Starts a real ``streamlit run`` server (fresh process: nothing imported, nothing
cached) and opens it in Debian's Chromium through Playwright. The figure is the
time from the browser's request to the Model page being complete: its heading
drawn, Streamlit's "running" indicator gone, and the tables painted. A second
load in a new browser tab (the server warm, caches empty for the new session) is
printed for information, with the server's own CPU time, since timings on a
shared machine are disturbed by other work.
Run: python3 benchmarks/bench_first_load.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from _common import ROOT, report

CHROMIUM = os.environ.get("DSA_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.get_by_role("heading", name="Partnership model").wait_for(timeout=120_000)
    page.wait_for_timeout(100)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="detached", timeout=120_000)
    page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=120_000)
    elapsed = time.perf_counter() - start - 0.1
    context.close()
    return elapsed


def main() -> None:
    from playwright.sync_api import sync_playwright

    port = _port()
    env = {**os.environ, "DSA_DATABASE_URL": f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"}
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
                               "--server.port", str(port), "--server.address", "127.0.0.1",
                               "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
                break
            except OSError:
                time.sleep(0.25)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            cpu = _cpu_seconds(server.pid)
            first = load(browser, url)
            cpu_first = _cpu_seconds(server.pid) - cpu
            report("dashboard first page load, bundled example (fresh server)", first, 3.0)
            print(f"  for information: server CPU during the first load {cpu_first:.2f} s")
            cpu = _cpu_seconds(server.pid)
            again = load(browser, url)
            print(f"  for information: a new session on the warm server {again:.3f} s "
                  f"(server CPU {_cpu_seconds(server.pid) - cpu:.2f} s)")
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
