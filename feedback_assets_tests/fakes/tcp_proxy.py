"""A threaded TCP proxy on 127.0.0.1 (random port) in front of a real server, for dropping the database under a
running process: ``cut()`` resets every open connection at once and refuses new ones (each is accepted and
reset straight away, so a client sees "connection reset / server closed the connection" at once instead of
waiting for a timeout); ``restore()`` forwards again.

    with TcpProxy(5432) as proxy:        # forwards 127.0.0.1:<proxy.port> → 127.0.0.1:5432
        url = f"postgresql://postgres@127.0.0.1:{proxy.port}/mydb"
        ...
        proxy.cut()                      # every client connection is dead; the server's sessions end too
        proxy.restore()

Closing both sides of a connection matters for PostgreSQL: the server notices its client went away and ends
the session, which releases its session-level advisory locks — as when a network link or a machine dies.
"""

from __future__ import annotations

import socket
import struct
import threading
from typing import Optional

_LINGER_RESET = struct.pack("ii", 1, 0)
"""SO_LINGER on, 0 s: ``close()`` sends a RST instead of a FIN, so the peer fails at once."""


def _reset(sock: socket.socket) -> None:
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, _LINGER_RESET)
    except OSError:
        pass
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class TcpProxy:
    """Forwards ``listen_host:port`` (``port`` random unless given) to ``target_host:target_port``."""

    def __init__(self, target_port: int = 5432, target_host: str = "127.0.0.1", *, listen_host: str = "127.0.0.1",
                 port: int = 0) -> None:
        self.target = (target_host, target_port)
        self._listener = socket.create_server((listen_host, port), reuse_port=False)
        self._listener.settimeout(0.2)
        self.host, self.port = self._listener.getsockname()[:2]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._cut = False
        self._stopping = threading.Event()
        self._acceptor: Optional[threading.Thread] = None
        self.accepted = 0  # connections forwarded
        self.refused = 0  # connections reset while cut

    # --- lifecycle ---------------------------------------------------------------------------------------

    def start(self) -> "TcpProxy":
        self._acceptor = threading.Thread(target=self._accept_loop, name=f"tcp-proxy-{self.port}", daemon=True)
        self._acceptor.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._acceptor is not None:
            self._acceptor.join(timeout=5)
        self._listener.close()
        self._close_all()

    def __enter__(self) -> "TcpProxy":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- faults ------------------------------------------------------------------------------------------

    def cut(self) -> int:
        """Reset every open connection (both sides) and refuse new ones until ``restore``; returns how many
        connections were open."""
        with self._lock:
            self._cut = True
        return self._close_all()

    def restore(self) -> None:
        with self._lock:
            self._cut = False

    @property
    def is_cut(self) -> bool:
        with self._lock:
            return self._cut

    @property
    def open_connections(self) -> int:
        """Client connections currently forwarded."""
        with self._lock:
            return len(self._open) // 2

    # --- internals ---------------------------------------------------------------------------------------

    def _close_all(self) -> int:
        with self._lock:
            sockets, self._open = list(self._open), set()
        for sock in sockets:
            _reset(sock)
        return len(sockets) // 2

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                client, _ = self._listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            if self.is_cut:
                self.refused += 1
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                _reset(client)
                continue
            upstream.settimeout(None)
            client.settimeout(None)
            for sock in (client, upstream):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            with self._lock:
                if self._cut:  # cut while we were connecting
                    self.refused += 1
                    _reset(client)
                    _reset(upstream)
                    continue
                self._open.update((client, upstream))
                self.accepted += 1
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                sink.sendall(data)
        except OSError:
            pass
        # One side ended (or the connection was cut): end the other side too.
        with self._lock:
            forwarded = source in self._open or sink in self._open
            self._open.discard(source)
            self._open.discard(sink)
        if forwarded:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                try:
                    sock.close()
                except OSError:
                    pass
