"""Loopback stand-ins for external services (stub HTTP servers on 127.0.0.1 speaking the real wire format)."""
