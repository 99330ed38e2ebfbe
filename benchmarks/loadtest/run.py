"""``make loadtest``: a working day of 50 users against a benchmark city of 35,000 recipients on
PostgreSQL, served by gunicorn as in production; prints p50/p95 per page, the throughput and the
errors, and compares them with issue 13's acceptance. Exit code 1 when over budget.

Environment (all optional)::

    LOADTEST_DATABASE_URL   a PostgreSQL database to build the city in (or reuse it: built for
                            the same size and day); default: a throwaway PostgreSQL 15 cluster
                            on 127.0.0.1, started here (as the postgres user when root) and
                            stopped at the end
    LOADTEST_RECIPIENTS     the city's size (35000)
    LOADTEST_DAY            the city's day (today: the server's date)
    LOADTEST_USERS          simultaneous users (50)
    LOADTEST_SPAWN_RATE     users arriving per second (2)
    LOADTEST_SECONDS        how long the users work (120)
    LOADTEST_MAX_REQUESTS   stop after this many requests (100000)
    LOADTEST_WAIT           think time between two clicks, seconds (0.5-1.5)
    LOADTEST_WARMUP         seconds after the first sign-in before the steady state (15)
    LOADTEST_WORKERS        gunicorn workers (4)
    LOADTEST_ROLES          only these roles, e.g. ``Analyst`` or ``CaseManager,TeamLead``
                            (Locust's user classes; default: all five, in their proportions)
    LOADTEST_OUT            folder for the cast, the results, Locust's CSV and the server logs
                            (default: a temporary folder, removed afterwards)
    LOADTEST_PROFILE        write a py-spy profile of gunicorn's workers during the run to this
                            file (raw, collapsed stacks; needs ``pip install py-spy``), and print
                            where each page's time goes (benchmarks/loadtest/profile.py)
    LOADTEST_SOURCE         serve (and migrate with) the Heltid of another checkout, e.g. a
                            ``git worktree`` of main, to compare before and after a change

Only 127.0.0.1 is used: the server binds it, the users ask it. Whatever this script started —
the cluster, gunicorn, the background worker, Locust — it stops, also on Ctrl-C or failure.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
# Issue 13's acceptance for 50 users of the day scenario on 35,000 recipients.
P95_BUDGET_MS = 1000.0
THROUGHPUT_BUDGET = 40.0


@dataclass(frozen=True)
class Options:
    database_url: str
    recipients: int
    day: str
    users: int
    spawn_rate: float
    seconds: int
    max_requests: int
    wait: str
    workers: int

    @classmethod
    def from_environment(cls) -> Options:
        env = os.environ.get
        return cls(
            database_url=env("LOADTEST_DATABASE_URL", ""),
            recipients=int(env("LOADTEST_RECIPIENTS", "35000")),
            day=env("LOADTEST_DAY", ""),
            users=int(env("LOADTEST_USERS", "50")),
            spawn_rate=float(env("LOADTEST_SPAWN_RATE", "2")),
            seconds=int(env("LOADTEST_SECONDS", "120")),
            max_requests=int(env("LOADTEST_MAX_REQUESTS", "100000")),
            wait=env("LOADTEST_WAIT", "0.5-1.5"),
            workers=int(env("LOADTEST_WORKERS", "4")),
        )


def say(message: str) -> None:
    print(f"loadtest: {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop(process: subprocess.Popen[bytes] | None, name: str, timeout: float = 20) -> None:
    """SIGTERM to the process (its group: gunicorn's workers too), then SIGKILL."""
    if process is None or process.poll() is not None:
        return
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)
    say(f"{name} stopped")


# --- the database ---------------------------------------------------------------------------


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and the server refuse to run as root: as the postgres user when we are root."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextmanager
def throwaway_cluster(work: Path) -> Iterator[str]:
    """A PostgreSQL 15 cluster on 127.0.0.1 and a free port, as .ci/run starts one; its
    database URL. Stopped and removed afterwards."""
    data = work / "pg" / "data"
    data.parent.mkdir(parents=True)
    work.chmod(0o711)  # the postgres user reaches its folder, and nothing more
    if os.geteuid() == 0:
        shutil.chown(data.parent, "postgres", "postgres")
    data.parent.chmod(0o700)
    port = free_port()
    subprocess.run(
        _as_postgres(
            [
                str(PG_BIN / "initdb"),
                "-D",
                str(data),
                "-A",
                "trust",
                "-U",
                "heltid",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = (
        f"-c listen_addresses=127.0.0.1 -p {port} -k {data.parent} -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB"
    )
    log = data.parent / "server.log"
    started = False
    try:
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(data),
                    "-l",
                    str(log),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    options,
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        started = True
        subprocess.run(
            [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "heltid", "city"],
            check=True,
        )
        say(f"throwaway PostgreSQL cluster on 127.0.0.1:{port}")
        yield f"postgres://heltid@127.0.0.1:{port}/city"
    finally:
        if started:
            subprocess.run(
                _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
                stdout=subprocess.DEVNULL,
                check=False,
            )
            shutil.rmtree(data, ignore_errors=True)
            say("throwaway PostgreSQL cluster stopped and removed")


def django_env(database_url: str, work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOADTEST_")}
    source = os.environ.get("LOADTEST_SOURCE", "")
    path = [str(Path(source).resolve() / "src")] if source else []
    env.update(
        DATABASE_URL=database_url,
        HELTID_VAR_DIR=str(work),
        DJANGO_SETTINGS_MODULE="heltid.settings",
        PYTHONPATH=os.pathsep.join([*path, str(ROOT)]),
    )
    env.pop("HELTID_PRODUCTION", None)
    return env


def build(options: Options, database_url: str, work: Path) -> Path:
    """The city (built, or reused when it is there), and the cast of the load test."""
    env = django_env(database_url, work)
    command = [sys.executable, "-m", "benchmarks.city", "build", "--recipients"]
    command.append(str(options.recipients))
    if options.day:
        command += ["--day", options.day]
    started = time.monotonic()
    subprocess.run(command, check=True, env=env, cwd=ROOT)
    say(f"city ready in {time.monotonic() - started:.0f} s")
    cast = work / "cast.json"
    subprocess.run(
        [sys.executable, "-m", "benchmarks.city", "cast", str(cast)], check=True, env=env, cwd=ROOT
    )
    return cast


# --- the server -----------------------------------------------------------------------------


def production_env(database_url: str, work: Path) -> dict[str, str]:
    """As in production behind the TLS proxy (README): HELTID_PRODUCTION, DEBUG off, a random
    secret key that passes the production check, only 127.0.0.1."""
    static = work / "static"
    static.mkdir(exist_ok=True)
    env = django_env(database_url, work)
    env.update(
        HELTID_PRODUCTION="true",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(static),
    )
    return env


def start_server(
    options: Options, env: dict[str, str], work: Path
) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    command = [
        str(BIN / "gunicorn"), "heltid.wsgi:application", "--bind", f"127.0.0.1:{port}",
        "--workers", str(options.workers), "--timeout", "30",
        "--error-logfile", str(work / "gunicorn.log"),
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=work, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:  # 127.0.0.1 only
                if answer.status == 200:
                    say(f"gunicorn ({options.workers} workers) serves 127.0.0.1:{port}")
                    return process, port
        except (urllib.error.URLError, OSError):
            if process.poll() is not None:
                raise SystemExit("gunicorn did not start: see gunicorn.log") from None
            time.sleep(0.5)
    stop(process, "gunicorn")
    raise SystemExit("gunicorn did not answer within 60 s")


def _has_command(name: str, env: dict[str, str], work: Path) -> bool:
    check = subprocess.run(
        [str(BIN / "heltid"), "help", name], env=env, cwd=work, capture_output=True, check=False
    )
    return check.returncode == 0


def start_worker(env: dict[str, str], work: Path) -> subprocess.Popen[bytes] | None:
    """The background worker (``heltid db_worker``), when the installed Heltid has one. Before
    it, when Heltid has ``heltid schedule``: the schedule once and the work it enqueued done
    (``db_worker --batch``), as the operators' timer and worker would have left the night —
    the users then work on a day whose statistics and worklists are made, and the worker
    only makes what they ask for (a filtered dashboard)."""
    if not _has_command("db_worker", env, work):
        say("no `heltid db_worker` command: no background worker")
        return None
    with open(work / "worker.log", "ab") as log:
        if _has_command("schedule", env, work):
            started = time.monotonic()
            for command in (["schedule"], ["db_worker", "--batch"]):
                subprocess.run(
                    [str(BIN / "heltid"), *command],
                    env=env,
                    cwd=work,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    timeout=900,
                    check=False,
                )
            say(f"the background work due was done in {time.monotonic() - started:.0f} s")
        process = subprocess.Popen(
            [str(BIN / "heltid"), "db_worker"],
            env=env,
            cwd=work,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        say("background worker started (heltid db_worker)")
    return process


def start_profiler(server: subprocess.Popen[bytes]) -> subprocess.Popen[bytes] | None:
    """py-spy sampling gunicorn and its workers, waiting on the database included."""
    target = os.environ.get("LOADTEST_PROFILE", "")
    if not target:
        return None
    spy = shutil.which("py-spy", path=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if spy is None:
        raise SystemExit("LOADTEST_PROFILE needs py-spy: .venv/bin/pip install py-spy")
    command = [
        spy, "record", "--pid", str(server.pid), "--subprocesses", "--idle", "--rate", "50",
        "--nonblocking", "--format", "raw", "--output", target,
    ]  # fmt: skip
    process = subprocess.Popen(
        command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    say(f"py-spy records gunicorn's workers into {target}")
    return process


def stop_profiler(process: subprocess.Popen[bytes] | None) -> None:
    """py-spy writes its file when interrupted."""
    if process is None or process.poll() is not None:
        return
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        stop(process, "py-spy")


# --- Locust ---------------------------------------------------------------------------------


def run_locust(options: Options, port: int, cast: Path, work: Path) -> dict[str, Any]:
    results = work / "results.json"
    env = dict(os.environ)
    env.update(
        LOADTEST_CAST=str(cast),
        LOADTEST_RESULTS=str(results),
        LOADTEST_MAX_REQUESTS=str(options.max_requests),
        LOADTEST_WAIT=options.wait,
        LOADTEST_WARMUP=os.environ.get("LOADTEST_WARMUP", "15"),
    )
    command = [
        str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")), "--headless",
        "--host", f"http://127.0.0.1:{port}", "--users", str(options.users),
        "--spawn-rate", str(options.spawn_rate), "--run-time", f"{options.seconds}s",
        "--stop-timeout", "10", "--only-summary", "--csv", str(work / "locust"),
        "--loglevel", "WARNING", "--exit-code-on-error", "0",
        *[role.strip() for role in os.environ.get("LOADTEST_ROLES", "").split(",") if role.strip()],
    ]  # fmt: skip
    say(
        f"{options.users} users arriving {options.spawn_rate}/s, working {options.seconds} s "
        f"(at most {options.max_requests} requests)"
    )
    log = open(work / "locust.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        command, env=env, cwd=work, start_new_session=True, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        process.wait(options.seconds + 120)
    except subprocess.TimeoutExpired:
        say("Locust did not stop in time")
    finally:
        stop(process, "Locust")
        log.close()
    if not results.exists():
        print((work / "locust.log").read_text(encoding="utf-8", errors="replace")[-3000:])
        raise SystemExit("Locust wrote no results")
    data: dict[str, Any] = json.loads(results.read_text(encoding="utf-8"))
    return data


# --- the report -----------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


COLUMNS = f"{'requests':>8} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8}"


def _table(title: str, rows: list[tuple[str, list[float], int]]) -> list[str]:
    """Print one table, slowest p95 first; the names over the p95 budget."""
    print(f"\n{title:<44} {COLUMNS}")
    over = []
    for name, times, errors in sorted(rows, key=lambda r: -percentile(r[1], 0.95)):
        p95 = percentile(times, 0.95)
        flag = "  over" if p95 >= P95_BUDGET_MS else ""
        print(
            f"{name:<44} {len(times):>8} {errors:>6} {percentile(times, 0.5):>8.0f} "
            f"{p95:>8.0f}{flag}"
        )
        if p95 >= P95_BUDGET_MS:
            over.append(name)
    return over


def report(results: dict[str, Any], options: Options) -> bool:
    """Print the tables and the acceptance; True when within budget. The steady state is
    from the moment every user has arrived; the sign-in happens while they arrive."""
    pages: dict[str, dict[str, list[float]]] = results["pages"]
    failures: dict[str, int] = results["failures"]
    steady = [(n, p["steady"], failures.get(n, 0)) for n, p in pages.items() if p.get("steady")]
    arrival = [(n, p["arrival"], 0) for n, p in pages.items() if p.get("arrival")]
    sign_in = [(n, p["sign-in"], failures.get(n, 0)) for n, p in pages.items() if p.get("sign-in")]
    seconds = float(results["steady_seconds"])
    if steady:
        over = _table("page (steady state)", steady)
        over += _table("sign-in (as the users arrive)", sign_in)
        _table("arrival and warm-up (not judged)", arrival)
    else:  # saturated: not every user got to sign in, so the whole run is judged
        print(
            f"\nthe steady state was never reached: {results.get('signed_in')} of "
            f"{results.get('users') or options.users} users signed in; the whole run is judged"
        )
        steady = [(n, times, failures.get(n, 0)) for n, times, _e in arrival]
        over = _table("page (whole run)", steady)
        over += _table("sign-in (as the users arrive)", sign_in)
        steady += sign_in
        seconds = float(results["seconds"])
    requests = sum(len(times) for _name, times, _errors in steady)
    throughput = requests / seconds if seconds else 0.0
    errors = sum(failures.values())
    print(f"\nthroughput: {requests} requests in {seconds:.0f} s = {throughput:.1f} req/s")
    print(f"errors (whole run): {errors}")
    for message in results.get("messages", [])[:10]:
        print(f"  error: {message}")
    checks = [
        (f"p95 under {P95_BUDGET_MS:.0f} ms on every page", not over, ", ".join(over) or "all"),
        (
            f"at least {THROUGHPUT_BUDGET:.0f} req/s",
            throughput >= THROUGHPUT_BUDGET,
            f"{throughput:.1f}",
        ),
        ("no errors", errors == 0, str(errors)),
    ]
    print(
        f"\nissue 13's acceptance, set for 50 users and 35,000 recipients "
        f"(this run: {options.users} users, {options.recipients:,} recipients):"
    )
    for text, ok, detail in checks:
        print(f"  {'ok  ' if ok else 'OVER'}  {text}: {detail}")
    return all(ok for _text, ok, _detail in checks)


# --- the run --------------------------------------------------------------------------------


@contextmanager
def workplace() -> Iterator[Path]:
    chosen = os.environ.get("LOADTEST_OUT", "")
    if chosen:
        path = Path(chosen).resolve()
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    path = Path(tempfile.mkdtemp(prefix="heltid-loadtest-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _terminated(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through the finally blocks that stop everything


def main() -> int:
    signal.signal(signal.SIGTERM, _terminated)
    options = Options.from_environment()
    with workplace() as work, contextmanager_database(options, work) as database_url:
        cast = build(options, database_url, work)
        env = production_env(database_url, work)
        server: subprocess.Popen[bytes] | None = None
        worker: subprocess.Popen[bytes] | None = None
        profiler: subprocess.Popen[bytes] | None = None
        try:
            server, port = start_server(options, env, work)
            worker = start_worker(env, work)
            profiler = start_profiler(server)
            results = run_locust(options, port, cast, work)
        finally:
            stop_profiler(profiler)
            stop(worker, "background worker")
            stop(server, "gunicorn")
        ok = report(results, options)
        if profiler is not None:
            from benchmarks.loadtest.profile import summary

            print(summary(Path(os.environ["LOADTEST_PROFILE"]).read_text(encoding="utf-8")))
        if os.environ.get("LOADTEST_OUT"):
            say(f"results, Locust's CSV and the server's log in {work}")
    return 0 if ok else 1


@contextmanager
def contextmanager_database(options: Options, work: Path) -> Iterator[str]:
    if options.database_url:
        yield options.database_url
        return
    with throwaway_cluster(work) as url:
        yield url


if __name__ == "__main__":
    sys.exit(main())
