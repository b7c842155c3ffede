"""A throwaway PostgreSQL server for the store tests.

Each test session (each xdist worker) starts its own cluster in a temporary folder,
listening on 127.0.0.1 at a free port, and each test gets a schema of its own in it. As root
(as CI runs) the server runs as the ``postgres`` user, since initdb refuses root.

``REPLYBOOK_TEST_PG`` may name a server to use instead (a URL); the tests that stop and
start the server are skipped then. With no server binaries the PostgreSQL tests are skipped,
unless ``CI`` is set: then they fail.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

# A role that must give a password (the rest of the server trusts loopback).
SECRET_USER = "carol"
SECRET_PASSWORD = "s3cret-Pw-9f2"


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl, if this machine has a server."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(os.path.realpath(found)).parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
    )
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """A cluster of our own: ``start``, ``stop``, ``url``, ``fresh_url``."""

    def __init__(self, bindir: Path, durable: bool = False) -> None:
        """``durable``: fsync as a production server does (benchmarks); tests don't need it."""
        self.bindir = bindir
        self.root = Path(tempfile.mkdtemp(prefix="replybook-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.user: str | None = None
        if os.geteuid() == 0:
            self.user = "postgres"
            entry = pwd.getpwnam(self.user)
            os.chmod(self.root, 0o755)
            self.data.mkdir()
            os.chown(self.data, entry.pw_uid, entry.pw_gid)
        self._schemas = 0
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
        )
        (self.data / "pg_hba.conf").write_text(
            f"host all {SECRET_USER} 127.0.0.1/32 scram-sha-256\n"
            "host all all 127.0.0.1/32 trust\n"
            "local all all trust\n"
        )
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.data}'\n"
                f"fsync = {'on' if durable else 'off'}\n"
                "max_connections = 100\n"
            )
        self.start()
        self.sql(f"CREATE ROLE {SECRET_USER} LOGIN PASSWORD '{SECRET_PASSWORD}'")
        self.sql(f"GRANT ALL ON DATABASE postgres TO {SECRET_USER}")
        self.sql(f"GRANT ALL ON SCHEMA public TO {SECRET_USER}")

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bindir / tool), *args]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.data / "log"), "-w", "-t", "60", "start"
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(statement)

    def url(self, schema: str | None = None, user: str = "postgres") -> str:
        base = f"postgresql://{user}@127.0.0.1:{self.port}/postgres"
        return base + (f"?options=-csearch_path%3D{schema}" if schema else "")

    def fresh_url(self) -> str:
        """A URL whose store lives in a new, empty schema."""
        self._schemas += 1
        name = f"t{os.getpid()}_{self._schemas}_{int(time.time() * 1000) % 100000}"
        self.sql(f"CREATE SCHEMA {name}")
        self.sql(f"GRANT ALL ON SCHEMA {name} TO {SECRET_USER}")
        return self.url(name)

    def close(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


class ExternalServer:
    """A server named by REPLYBOOK_TEST_PG: schemas of our own in it, never stopped."""

    def __init__(self, url: str) -> None:
        self.base = url
        self._schemas = 0

    def sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.base, autocommit=True) as conn:
            conn.execute(statement)

    def fresh_url(self) -> str:
        self._schemas += 1
        name = f"replybook_t{os.getpid()}_{self._schemas}_{int(time.time() * 1000) % 100000}"
        self.sql(f"CREATE SCHEMA {name}")
        joiner = "&" if "?" in self.base else "?"
        return f"{self.base}{joiner}options=-csearch_path%3D{name}"

    def close(self) -> None:
        pass
