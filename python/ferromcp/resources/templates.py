"""Resource templates: a URI pattern like `weather://{city}/now` backed by a function."""

from __future__ import annotations

from ferromcp._arguments import Arguments
from ferromcp._introspect import Signature, registered_name
from ferromcp.types import to_wire

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ferromcp.resources.types import FunctionResource


class ResourceTemplate:
    """A function serving every URI that matches `uri_template`; URI variables become arguments."""

    def __init__(
        self,
        *,
        uri_template: str,
        name: str,
        title: str | None = None,
        description: str | None = None,
        mime_type: str = "text/plain",
        icons: list[Any] | None = None,
        annotations: Any = None,
        meta: dict[str, Any] | None = None,
        fn: Callable[..., Any],
        arguments: Arguments,
    ) -> None:
        self.uri_template = uri_template
        self.name = name
        self.title = title
        self.description = description
        self.mime_type = mime_type
        self.icons = icons
        self.annotations = annotations
        self.meta = meta
        self.fn = fn
        self.arguments = arguments
        self.context_kwarg = arguments.signature.context_kwarg
        self.is_async = arguments.signature.is_async
        self._pattern: Any = None

    @classmethod
    def from_function(
        cls,
        fn: Callable[..., Any],
        uri_template: str,
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        mime_type: str | None = None,
        icons: list[Any] | None = None,
        annotations: Any = None,
        meta: dict[str, Any] | None = None,
        context_kwarg: str | None = None,
    ) -> ResourceTemplate:
        template_name = registered_name(fn, name)
        return cls(
            uri_template=uri_template,
            name=template_name,
            title=title,
            description=description or getattr(fn, "__doc__", None) or "",
            mime_type=mime_type or "text/plain",
            icons=icons,
            annotations=annotations,
            meta=meta,
            fn=fn,
            arguments=Arguments(Signature(fn, context_kwarg=context_kwarg)),
        )

    @property
    def parameters(self) -> dict:
        """JSON Schema of the function's parameters (not sent on the wire)."""
        return self.arguments.input_schema()

    def matches(self, uri: str) -> dict[str, Any] | None:
        """The URI variables when `uri` matches (each `{var}` is one path segment), else None."""
        if self._pattern is None:
            import re

            self._pattern = re.compile(
                self.uri_template.replace("{", "(?P<").replace("}", ">[^/]+)")
            )
        match = self._pattern.fullmatch(uri)
        return match.groupdict() if match else None

    def call(self, params: dict[str, Any], context: Any) -> Any:
        """Call the function with the URI variables (coerced); the result may be awaitable."""
        extra = (
            {self.context_kwarg: context}
            if self.context_kwarg is not None and context is not None
            else None
        )
        return self.arguments.call_validated(params, extra)

    async def create_resource(
        self, uri: str, params: dict[str, Any], context: Any = None
    ) -> FunctionResource:
        """A resource holding the function's result for `uri` (SDK API)."""
        import inspect

        from ferromcp.resources.types import FunctionResource

        try:
            result = self.call(params, context)
            if inspect.iscoroutine(result):
                result = await result
            return FunctionResource(
                uri=uri,
                name=self.name,
                title=self.title,
                description=self.description,
                mime_type=self.mime_type,
                icons=self.icons,
                annotations=self.annotations,
                meta=self.meta,
                fn=lambda: result,
            )
        except Exception as exc:
            raise ValueError(f"Error creating resource from template: {exc}") from exc

    def definition(self) -> dict:
        """The ResourceTemplate object as resources/templates/list shows it."""
        out: dict[str, Any] = {"name": self.name}
        if self.title is not None:
            out["title"] = self.title
        out["uriTemplate"] = self.uri_template
        if self.description is not None:
            out["description"] = self.description
        out["mimeType"] = self.mime_type
        if self.icons is not None:
            out["icons"] = to_wire(self.icons)
        if self.annotations is not None:
            out["annotations"] = to_wire(self.annotations)
        if self.meta is not None:
            out["_meta"] = self.meta
        return out

    def __repr__(self) -> str:
        return f"ResourceTemplate(uri_template={self.uri_template!r}, name={self.name!r})"
