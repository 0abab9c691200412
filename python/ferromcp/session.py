"""The client session as a request sees it: notifications and server->client requests.

`ServerSession` mirrors the SDK's ServerSession API over the Rust `RequestHandle` (see the
interface contract): notifications are queued at once; a request to the client completes an
asyncio future from the Rust thread that receives the reply.
"""

from __future__ import annotations

from ferromcp.exceptions import McpError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _settle(future: Any, ok: bool, value: Any) -> None:
    if future.done():  # the awaiting task was cancelled
        return
    if ok:
        future.set_result(value)
    else:
        code, message, data = value
        future.set_exception(McpError(code, message, data))


async def client_request(
    handle: Any, method: str, params: dict | None, related_request_id: Any = None
) -> Any:
    """Send a request to the client and wait for its result (a dict); errors raise McpError.
    It travels with the running request `related_request_id` names (default: this one)."""
    import asyncio

    loop = asyncio.get_running_loop()
    future = loop.create_future()

    def on_reply(ok: bool, value: Any) -> None:
        try:
            loop.call_soon_threadsafe(_settle, future, ok, value)
        except RuntimeError:  # loop already closed: nobody is waiting any more
            pass

    handle.request(method, params, on_reply, **_related(handle, related_request_id))
    return await future


def _wire(value: Any) -> Any:
    from ferromcp.types import to_wire

    return to_wire(value)


def _related(handle: Any, related_request_id: Any) -> dict:
    """The handle's `related` keyword, only when another request than its own is named
    (ids compare by their text, as the SDK routes them)."""
    if related_request_id is None or str(related_request_id) == str(handle.request_id):
        return {}
    return {"related": related_request_id}


def _drop_none(params: dict) -> dict:
    return {key: value for key, value in params.items() if value is not None}


class ServerSession:
    """The client connection, as far as a request can use it (the SDK's ServerSession API).

    `related_request_id` routes as in the SDK: a message naming a running request travels
    with it (over Streamable HTTP, on that request's response stream). Without one, it
    travels with the request being handled; naming a request that is not running sends it
    on the session's own channel (the standalone GET stream over HTTP).
    """

    def __init__(self, handle: Any, core: Any = None) -> None:
        self._handle = handle
        self._core = core  # the engine's Server, for notifications it routes itself

    @property
    def client_params(self) -> Any:
        """The client's initialize params (`.capabilities`, `.clientInfo`, `.protocolVersion`)."""
        params = getattr(self._handle, "client_params", None)
        if params is None:
            return None
        from ferromcp.types import InitializeRequestParams, for_user

        return for_user(InitializeRequestParams, params)

    def check_client_capability(self, capability: Any) -> bool:
        """Whether the client declared (at least) the given capabilities."""
        params = getattr(self._handle, "client_params", None)
        if params is None:
            return False
        have = params.get("capabilities") or {}
        want = _wire(capability) if not isinstance(capability, dict) else capability
        for key, wanted in (want or {}).items():
            if wanted is None:
                continue
            present = have.get(key)
            if present is None:
                return False
            if key == "experimental":
                if any(present.get(name) != value for name, value in wanted.items()):
                    return False
            elif isinstance(wanted, dict):
                for sub_key, sub_value in wanted.items():
                    if sub_value and not present.get(sub_key):
                        return False
        return True

    async def send_log_message(
        self, level: str, data: Any, logger: str | None = None, related_request_id: Any = None
    ) -> None:
        self._handle.log(level, _wire(data), logger, **_related(self._handle, related_request_id))

    async def send_progress_notification(
        self,
        progress_token: str | int,
        progress: float,
        total: float | None = None,
        message: str | None = None,
        related_request_id: Any = None,
    ) -> None:
        params = _drop_none(
            {
                "progressToken": progress_token,
                "progress": float(progress),  # the SDK's params model makes these floats
                "total": None if total is None else float(total),
                "message": message,
            }
        )
        self._handle.notify(
            "notifications/progress", params, **_related(self._handle, related_request_id)
        )

    async def send_resource_updated(self, uri: Any) -> None:
        """Tell the client(s) subscribed to `uri` that it changed."""
        notify = getattr(self._core, "notify_resource_updated", None)
        if notify is not None:
            notify(str(uri))  # the engine knows the subscriptions
        else:
            self._handle.notify("notifications/resources/updated", {"uri": str(uri)})

    async def send_resource_list_changed(self) -> None:
        self._handle.notify("notifications/resources/list_changed", None)

    async def send_tool_list_changed(self) -> None:
        self._handle.notify("notifications/tools/list_changed", None)

    async def send_prompt_list_changed(self) -> None:
        self._handle.notify("notifications/prompts/list_changed", None)

    async def send_elicit_complete(
        self, elicitation_id: str, related_request_id: Any = None
    ) -> None:
        self._handle.notify(
            "notifications/elicitation/complete",
            {"elicitationId": elicitation_id},
            **_related(self._handle, related_request_id),
        )

    async def send_notification(self, notification: Any, related_request_id: Any = None) -> None:
        """Send any notification object (`.method`, `.params`) or a {"method", "params"} dict."""
        data = _wire(notification)
        if isinstance(data, dict) and "root" in data and "method" not in data:
            data = data["root"]
        self._handle.notify(
            data["method"], data.get("params"), **_related(self._handle, related_request_id)
        )

    async def send_ping(self) -> Any:
        from ferromcp.types import EmptyResult, for_user

        return for_user(EmptyResult, await client_request(self._handle, "ping", None) or {})

    async def create_message(
        self,
        messages: list[Any],
        *,
        max_tokens: int,
        system_prompt: str | None = None,
        include_context: str | None = None,
        temperature: float | None = None,
        stop_sequences: list[str] | None = None,
        metadata: dict[str, Any] | None = None,
        model_preferences: Any = None,
        tools: list[Any] | None = None,
        tool_choice: Any = None,
        related_request_id: Any = None,
    ) -> Any:
        """Ask the client to sample an LLM (sampling/createMessage)."""
        from ferromcp.types import CreateMessageResult, CreateMessageResultWithTools, for_user

        if tools is not None or tool_choice is not None:
            self._require_sampling_tools()
        params = _drop_none(
            {
                "messages": [_sampling_message(message) for message in messages],
                "modelPreferences": _wire(model_preferences),
                "systemPrompt": system_prompt,
                "includeContext": include_context,
                "temperature": temperature,
                "maxTokens": max_tokens,
                "stopSequences": stop_sequences,
                "metadata": metadata,
                "tools": _wire(tools),
                "toolChoice": _wire(tool_choice),
            }
        )
        result = await client_request(
            self._handle, "sampling/createMessage", params, related_request_id
        )
        cls = CreateMessageResultWithTools if tools is not None else CreateMessageResult
        return for_user(cls, result)

    def _require_sampling_tools(self) -> None:
        params = getattr(self._handle, "client_params", None) or {}
        sampling = (params.get("capabilities") or {}).get("sampling")
        if not isinstance(sampling, dict) or sampling.get("tools") is None:
            raise McpError(-32602, "Client does not support sampling tools capability")

    async def list_roots(self) -> Any:
        from ferromcp.types import ListRootsResult, for_user

        return for_user(ListRootsResult, await client_request(self._handle, "roots/list", None))

    async def elicit_form(
        self, message: str, requestedSchema: dict, related_request_id: Any = None
    ) -> Any:
        from ferromcp.types import ElicitResult

        params = {"mode": "form", "message": message, "requestedSchema": requestedSchema}
        return ElicitResult.model_validate(
            await client_request(self._handle, "elicitation/create", params, related_request_id)
        )

    elicit = elicit_form

    async def elicit_url(
        self, message: str, url: str, elicitation_id: str, related_request_id: Any = None
    ) -> Any:
        from ferromcp.types import ElicitResult

        params = {"mode": "url", "message": message, "url": url, "elicitationId": elicitation_id}
        return ElicitResult.model_validate(
            await client_request(self._handle, "elicitation/create", params, related_request_id)
        )


def _sampling_message(message: Any) -> Any:
    data = _wire(message)
    if isinstance(data, dict) and isinstance(data.get("content"), str):
        data = {**data, "content": {"type": "text", "text": data["content"]}}
    return data


__all__ = ["ServerSession", "client_request"]
