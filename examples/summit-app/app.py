"""summit-app: the demo app of dr's failover stack, a JSON API over the sample conference
database (scripts/sample/summit.sql) cached in memcached; configured by PORT, DATABASE_URL,
MEMCACHED_SERVERS and APP_HOST. Debian's python3 and python3-psycopg2 only. See README.md."""
import json
import os
import re
import select
import signal
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import IO, Any, Callable, NamedTuple, NoReturn, Optional
from urllib.parse import urlsplit

import psycopg2
import psycopg2.extensions as pgext

DB_STATEMENT_TIMEOUT_S = 3  # PostgreSQL's statement_timeout
DB_WAIT_S = 4  # the longest a query waits on PostgreSQL, connecting included
CACHE_TIMEOUT_S = 1.0  # memcached connect and read timeout
CACHE_TTL_S = 30


class Config(NamedTuple):
    host: str
    port: int
    database_url: str
    memcached: tuple[str, int]


def fail(message: str) -> NoReturn:
    sys.exit(f"summit-app: {message}")


def port_number(text: str, name: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        fail(f"{name}: {text!r} is not a TCP port number")
    return int(text)


def load_config(env: dict[str, str]) -> Config:
    missing = [name for name in ("PORT", "DATABASE_URL", "MEMCACHED_SERVERS") if not env.get(name)]
    if missing:
        fail(f"missing environment variable(s): {', '.join(missing)} (see examples/summit-app/README.md)")
    try:
        pgext.parse_dsn(env["DATABASE_URL"])
    except psycopg2.ProgrammingError as e:
        fail(f"DATABASE_URL is not a libpq URL: {short(e)}")
    mc_host, _, mc_port = env["MEMCACHED_SERVERS"].strip().rpartition(":")
    if not mc_host or "," in mc_host:
        fail(f"MEMCACHED_SERVERS={env['MEMCACHED_SERVERS']!r}: expected one host:port, like 127.0.0.1:11211")
    return Config(env.get("APP_HOST") or "127.0.0.1", port_number(env["PORT"], "PORT"), env["DATABASE_URL"],
                  (mc_host.strip("[]"), port_number(mc_port, "MEMCACHED_SERVERS")))


def short(error: BaseException) -> str:
    """An error's first line, at most 160 characters (libpq's messages hold no password)."""
    lines = str(error).strip().splitlines()
    return (lines[0] if lines else type(error).__name__)[:160]


def log(line: str) -> None:
    sys.stderr.write(f"{time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())} {line}\n")


class DatabaseTimeout(psycopg2.OperationalError):
    pass


class Database:
    """One PostgreSQL connection shared by the request threads, reopened when it drops. Each
    query() ends within DB_WAIT_S, its turn at the connection included: `wait` is psycopg2's
    wait callback, so no libpq wait outlives that deadline, even when PostgreSQL is frozen
    and TCP still answers (psycopg2 then closes the connection)."""

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self._lock = threading.Lock()
        self._conn: Optional[pgext.connection] = None
        self._deadline = 0.0  # of the query() holding the lock
        parts = pgext.parse_dsn(dsn)
        self.where = f"{parts.get('host', 'socket')}:{parts.get('port', 5432)}/{parts.get('dbname', '')}"

    def wait(self, conn: pgext.connection) -> None:
        while (state := conn.poll()) != pgext.POLL_OK:
            remaining = self._deadline - time.monotonic()
            readers, writers = ([conn], []) if state == pgext.POLL_READ else ([], [conn])
            if remaining <= 0 or select.select(readers, writers, [], remaining) == ([], [], []):
                raise DatabaseTimeout(f"no answer from PostgreSQL within {DB_WAIT_S} s")

    def _connect(self) -> pgext.connection:
        conn = psycopg2.connect(self._dsn, application_name="summit-app")
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f"SET statement_timeout = '{DB_STATEMENT_TIMEOUT_S}s'; SET TimeZone = 'UTC'")
        return conn

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Runs a read-only query. A connection found dropped (PostgreSQL restarted: a failover)
        is reopened and the query run once more; timeouts and other errors are raised."""
        deadline = time.monotonic() + DB_WAIT_S
        if not self._lock.acquire(timeout=DB_WAIT_S):
            raise DatabaseTimeout(f"PostgreSQL busy: the connection was not free within {DB_WAIT_S} s")
        try:
            self._deadline = deadline
            reused = self._conn is not None and not self._conn.closed
            try:
                return self._run(sql, params)
            except (psycopg2.OperationalError, psycopg2.InterfaceError) as e:
                if not reused or isinstance(e, DatabaseTimeout) or not (self._conn and self._conn.closed):
                    raise
                log(f"database connection lost ({short(e)}); reconnecting")
            return self._run(sql, params)
        finally:
            self._lock.release()

    def _run(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        if self._conn is None or self._conn.closed:
            self._conn = self._connect()
        with self._conn.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()


class CacheError(Exception):
    pass


class Memcache:
    """memcached get and set, one short TCP connection per call (loopback: cheap, no state)."""

    def __init__(self, server: tuple[str, int]) -> None:
        self._server = server

    def _call(self, request: bytes, read: Callable[[IO[bytes]], Any]) -> Any:
        try:
            with socket.create_connection(self._server, timeout=CACHE_TIMEOUT_S) as sock:
                sock.sendall(request)
                with sock.makefile("rb") as reply:
                    return read(reply)
        except OSError as e:
            host, port = self._server
            raise CacheError(f"memcached {host}:{port}: {e.strerror or short(e)}") from e

    def get(self, key: str) -> Optional[bytes]:
        def read(reply: IO[bytes]) -> Optional[bytes]:
            header = reply.readline().split()  # VALUE key flags bytes, or END
            if header == [b"END"]:
                return None
            if len(header) != 4 or header[0] != b"VALUE" or not header[3].isdigit():
                raise CacheError(f"memcached get: unexpected reply {b' '.join(header)[:60]!r}")
            value = reply.read(int(header[3]) + 2)[:-2]
            if reply.readline() != b"END\r\n":
                raise CacheError("memcached get: truncated reply")
            return value
        return self._call(f"get {key}\r\n".encode(), read)

    def set(self, key: str, value: bytes, ttl: int) -> None:
        def read(reply: IO[bytes]) -> None:
            if (answer := reply.readline().strip()) != b"STORED":
                raise CacheError(f"memcached set: {answer[:60].decode(errors='replace') or 'no reply'}")
        self._call(f"set {key} 0 {ttl} {len(value)}\r\n".encode() + value + b"\r\n", read)


class Response(NamedTuple):
    status: int
    body: bytes
    cache: Optional[str] = None  # X-Cache: "hit" or "miss", on the cached routes


def json_response(status: int, payload: Any) -> Response:
    return Response(status, json.dumps(payload, default=lambda v: v.isoformat()).encode() + b"\n")


class Summit:
    """The routes, over the database and the cache."""

    def __init__(self, db: Database, cache: Memcache) -> None:
        self.db = db
        self.cache = cache

    def route(self, path: str) -> Response:
        if path == "/health":
            return self.health()
        if path == "/meetings":
            return self.cached("summit:v1:meetings", self.meetings)
        if match := re.fullmatch(r"/meetings/(\d{1,9})/talks", path):
            meeting_id = int(match[1])
            return self.cached(f"summit:v1:talks:{meeting_id}", lambda: self.talks(meeting_id))
        return json_response(404, {"error": "not found", "path": path})

    def health(self) -> Response:
        database, cache, meetings = "ok", "ok", None
        try:
            meetings = self.db.query("SELECT count(*) FROM meetings")[0][0]
        except psycopg2.Error as e:
            database = f"error: {self.db.where}: {short(e)}"
        try:
            key, token = f"summit:health:{uuid.uuid4().hex}", uuid.uuid4().hex.encode()
            self.cache.set(key, token, 10)
            cache = "ok" if self.cache.get(key) == token else "error: memcached lost the value just set"
        except CacheError as e:
            cache = f"error: {e}"
        ok = database == cache == "ok"
        return json_response(200 if ok else 503, {"status": "ok" if ok else "fail", "database": database,
                                                  "cache": cache, "meetings": meetings})

    def meetings(self) -> Response:
        rows = self.db.query("SELECT id, name, city, starts_on, ends_on FROM meetings ORDER BY id")
        names = ("id", "name", "city", "starts_on", "ends_on")
        return json_response(200, {"meetings": [dict(zip(names, row)) for row in rows]})

    def talks(self, meeting_id: int) -> Response:
        rows = self.db.query(
            "SELECT t.id, t.title, t.speaker, t.room, t.starts_at, t.minutes FROM meetings m"
            " LEFT JOIN talks t ON t.meeting_id = m.id WHERE m.id = %s ORDER BY t.starts_at, t.id",
            (meeting_id,))
        if not rows:
            return json_response(404, {"error": "no such meeting", "meeting_id": meeting_id})
        names = ("id", "title", "speaker", "room", "starts_at", "minutes")
        talks = [dict(zip(names, row)) for row in rows if row[0] is not None]
        return json_response(200, {"meeting_id": meeting_id, "talks": talks})

    def cached(self, key: str, load: Callable[[], Response]) -> Response:
        """A 200 answer from memcached, or loaded and kept there CACHE_TTL_S. A cache that is
        down is logged and bypassed; a database that is down is a 503."""
        try:
            if (body := self.cache.get(key)) is not None:
                return Response(200, body, "hit")
        except CacheError as e:
            log(f"cache bypassed: {e}")
        try:
            response = load()
        except psycopg2.Error as e:
            detail = f"{self.db.where}: {short(e)}"
            return json_response(503, {"error": "database unavailable", "detail": detail})
        if response.status == 200:
            try:
                self.cache.set(key, response.body, CACHE_TTL_S)
            except CacheError as e:
                log(f"cache not updated: {e}")
        return response._replace(cache="miss")


class Server(ThreadingHTTPServer):
    daemon_threads = True  # idle keep-alive connections do not delay the exit

    def __init__(self, address: tuple[str, int], summit: Summit) -> None:
        super().__init__(address, Handler)
        self.summit = summit


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds an idle keep-alive connection is kept
    server: Server

    def do_GET(self) -> None:
        self.answer()

    def do_HEAD(self) -> None:
        self.answer(send_body=False)

    def not_allowed(self) -> None:
        self.close_connection = True  # the request's body, if any, is not read
        self.answer(json_response(405, {"error": "method not allowed", "allow": "GET, HEAD"}))

    do_POST = do_PUT = do_PATCH = do_DELETE = do_OPTIONS = not_allowed

    def answer(self, response: Optional[Response] = None, send_body: bool = True) -> None:
        """Sends the response (by default the route's answer) and logs one line."""
        started = time.monotonic()
        try:
            response = response or self.server.summit.route(urlsplit(self.path).path)
        except Exception as e:  # a bug: answer 500 rather than drop the connection
            log(f"internal error on {self.path}: {type(e).__name__}: {short(e)}")
            response = json_response(500, {"error": "internal error"})
        self.send_response_only(response.status)
        for name, value in (("Content-Type", "application/json"), ("Content-Length", str(len(response.body))),
                            ("Cache-Control", "no-store"), ("X-Cache", response.cache)):
            if value:
                self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)
        cache = f" cache={response.cache}" if response.cache else ""
        log(f"{self.client_address[0]} {self.command} {self.path} {response.status}"
            f" {(time.monotonic() - started) * 1000:.1f}ms{cache}")

    def log_message(self, format: str, *args: Any) -> None:  # http.server's own lines (bad requests)
        log(f"{self.client_address[0]} {format % args}")


def main() -> None:
    config = load_config(dict(os.environ))
    db = Database(config.database_url)
    pgext.set_wait_callback(db.wait)
    try:
        server = Server((config.host, config.port), Summit(db, Memcache(config.memcached)))
    except OSError as e:
        fail(f"cannot listen on {config.host}:{config.port}: {e.strerror or e}")
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    threading.Thread(target=server.serve_forever, name="http", daemon=True).start()
    log(f"summit-app listening on http://{config.host}:{config.port}"
        f" (database {db.where}, memcached {config.memcached[0]}:{config.memcached[1]})")
    stop.wait()
    log("summit-app stopping")
    server.shutdown()
    server.server_close()
    db.close()


if __name__ == "__main__":
    main()
