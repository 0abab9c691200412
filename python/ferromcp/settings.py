"""Server settings: constructor arguments, else `FASTMCP_*` environment variables, else defaults.

An argument passed to `FastMCP(...)` always wins; an environment variable only fills a
setting the caller left out (e.g. `FASTMCP_PORT=9000`, `FASTMCP_LOG_LEVEL=DEBUG`).
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

ENV_PREFIX = "FASTMCP_"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOCALHOSTS = ("127.0.0.1", "localhost", "::1")
DEFAULT_MAX_REQUEST_BODY_SIZE = 4 * 1024 * 1024
DEFAULT_SESSION_IDLE_TIMEOUT = 1800.0
DEFAULT_MAX_SESSIONS = 10000


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("1", "true", "t", "yes", "y", "on"):
        return True
    if lowered in ("0", "false", "f", "no", "n", "off"):
        return False
    raise ValueError(f"not a boolean: {text!r}")


def _optional(parse: Callable[[str], Any]) -> Callable[[str], Any]:
    def parse_optional(text: str) -> Any:
        return None if text.strip().lower() in ("", "none", "null") else parse(text)

    return parse_optional


def parse_log_level(text: str) -> str:
    level = text.strip().upper()
    if level not in LOG_LEVELS:
        raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
    return level


def check_list_page_size(value: Any) -> int | None:
    """A page size for the `*/list` methods: None (everything in one page) or an int >= 1."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"list_page_size must be None or an integer >= 1, got {value!r}")
    return value


def _page_size(text: str) -> int:
    return check_list_page_size(int(text))  # type: ignore[return-value]


def _string_list(text: str) -> list[str]:
    import json

    value = json.loads(text)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("must be a JSON list of strings")
    return value


# setting -> (default, parser of its environment variable); None: not settable from the environment
_FIELDS: dict[str, tuple[Any, Callable[[str], Any] | None]] = {
    "debug": (False, _bool),
    "log_level": ("INFO", parse_log_level),
    "host": ("127.0.0.1", str),
    "port": (8000, int),
    "mount_path": ("/", str),
    "sse_path": ("/sse", str),
    "message_path": ("/messages/", str),
    "streamable_http_path": ("/mcp", str),
    "json_response": (False, _bool),
    "stateless_http": (False, _bool),
    "max_request_body_size": (DEFAULT_MAX_REQUEST_BODY_SIZE, int),
    "session_idle_timeout": (DEFAULT_SESSION_IDLE_TIMEOUT, _optional(float)),
    "max_sessions": (DEFAULT_MAX_SESSIONS, _optional(int)),
    "warn_on_duplicate_resources": (True, _bool),
    "warn_on_duplicate_tools": (True, _bool),
    "warn_on_duplicate_prompts": (True, _bool),
    "dependencies": ((), _string_list),
    "lifespan": (None, None),
    "auth": (None, None),
    "transport_security": (None, None),
    # ferromcp's own: items per tools/resources/templates/prompts list page (None: no paging,
    # as the SDK). Not in the SDK's constructor, so it comes last and is keyword-only.
    "list_page_size": (None, _optional(_page_size)),
}

SETTING_NAMES = tuple(_FIELDS)


class _Unset:
    """Default of a FastMCP argument the caller did not pass (the environment may fill it)."""

    def __repr__(self) -> str:
        return "<default>"


UNSET: Any = _Unset()
_NOT_DERIVED: Any = object()

# The defaults as the SDK's constructor spells them.
_SIGNATURE_DEFAULTS = {name: default for name, (default, _) in _FIELDS.items()}
_SIGNATURE_DEFAULTS["session_idle_timeout"] = 1800


class PublicSignature:
    """Makes `inspect.signature(FastMCP)` show the SDK's defaults instead of UNSET."""

    def __get__(self, instance: Any, owner: type) -> Any:
        if instance is not None:
            raise AttributeError("__signature__")
        import inspect

        sig = inspect.signature(owner.__init__)  # type: ignore[misc]
        params = [p for p in sig.parameters.values() if p.name != "self"]
        shown = [
            p.replace(default=_SIGNATURE_DEFAULTS[p.name]) if p.default is UNSET else p
            for p in params
        ]
        return sig.replace(parameters=shown)


class TransportSecuritySettings:
    """DNS-rebinding protection for the HTTP transports: allowed Host and Origin values."""

    def __init__(
        self,
        enable_dns_rebinding_protection: bool = True,
        allowed_hosts: list[str] | None = None,
        allowed_origins: list[str] | None = None,
    ) -> None:
        self.enable_dns_rebinding_protection = enable_dns_rebinding_protection
        self.allowed_hosts = list(allowed_hosts or [])
        self.allowed_origins = list(allowed_origins or [])

    def model_dump(self, **_: Any) -> dict:
        return dict(self.__dict__)

    def __repr__(self) -> str:
        return (
            "TransportSecuritySettings("
            f"enable_dns_rebinding_protection={self.enable_dns_rebinding_protection!r}, "
            f"allowed_hosts={self.allowed_hosts!r}, allowed_origins={self.allowed_origins!r})"
        )


def localhost_protection() -> TransportSecuritySettings:
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True,
        allowed_hosts=["127.0.0.1:*", "localhost:*", "[::1]:*"],
        allowed_origins=["http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"],
    )


class Settings:
    """All server settings as attributes (mutable, like the SDK's settings object)."""

    def __init__(self, explicit: dict[str, Any] | None = None, environ: Any = None) -> None:
        explicit = explicit or {}
        environ = os.environ if environ is None else environ
        for name, (default, parse) in _FIELDS.items():
            if name in explicit:
                value = explicit[name]
            else:
                value = default
                raw = environ.get(ENV_PREFIX + name.upper()) if parse is not None else None
                if raw is not None:
                    try:
                        value = parse(raw)  # type: ignore[misc]
                    except ValueError as exc:
                        raise ValueError(
                            f"Invalid value for {ENV_PREFIX}{name.upper()}={raw!r}: {exc}"
                        ) from None
            setattr(self, name, value)
        self.dependencies = list(self.dependencies)
        if isinstance(self.session_idle_timeout, int):
            self.session_idle_timeout = float(self.session_idle_timeout)
        if self.log_level not in LOG_LEVELS:
            raise ValueError(
                f"log_level must be one of {', '.join(LOG_LEVELS)}, got {self.log_level!r}"
            )
        self.list_page_size = check_list_page_size(self.list_page_size)
        derived = self.transport_security is None
        if derived and self.host in LOCALHOSTS:
            self.transport_security = localhost_protection()
        # What the host made of it (nobody chose it): a run on another host derives it again.
        self._derived_transport_security = self.transport_security if derived else _NOT_DERIVED

    def model_dump(self, **_: Any) -> dict:
        return {name: getattr(self, name) for name in SETTING_NAMES}

    def __repr__(self) -> str:
        return (
            "Settings("
            + ", ".join(f"{name}={getattr(self, name)!r}" for name in SETTING_NAMES)
            + ")"
        )
