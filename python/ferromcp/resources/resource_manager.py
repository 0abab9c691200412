"""The resource and template registry of one server."""

from __future__ import annotations

from ferromcp.resources.base import Resource
from ferromcp.resources.templates import ResourceTemplate

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


class ResourceManager:
    """Concrete resources by URI and templates by URI template, in registration order."""

    def __init__(self, warn_on_duplicate_resources: bool = True) -> None:
        self._resources: dict[str, Resource] = {}
        self._templates: dict[str, ResourceTemplate] = {}
        self.warn_on_duplicate_resources = warn_on_duplicate_resources
        self.on_add_resource: Callable[[Resource], None] | None = None
        self.on_add_template: Callable[[ResourceTemplate], None] | None = None

    def add_resource(self, resource: Resource) -> Resource:
        """Register a resource; a second one with the same URI is ignored (the first stays)."""
        key = str(resource.uri)
        existing = self._resources.get(key)
        if existing is not None:
            if self.warn_on_duplicate_resources:
                import logging

                logging.getLogger("ferromcp.resources").warning(
                    f"Resource already exists: {resource.uri}"
                )
            return existing
        self._resources[key] = resource
        if self.on_add_resource is not None:
            self.on_add_resource(resource)
        return resource

    def add_template(
        self,
        fn: Callable[..., Any],
        uri_template: str,
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        mime_type: str | None = None,
        icons: list[Any] | None = None,
        annotations: Any = None,
        meta: dict[str, Any] | None = None,
    ) -> ResourceTemplate:
        template = ResourceTemplate.from_function(
            fn,
            uri_template=uri_template,
            name=name,
            title=title,
            description=description,
            mime_type=mime_type,
            icons=icons,
            annotations=annotations,
            meta=meta,
        )
        return self.add_template_object(template)

    def add_template_object(self, template: ResourceTemplate) -> ResourceTemplate:
        # Same template string: the new one replaces the old, keeping its place (as in the SDK).
        self._templates[template.uri_template] = template
        if self.on_add_template is not None:
            self.on_add_template(template)
        return template

    def find(self, uri: str) -> tuple[Resource | None, ResourceTemplate | None, dict | None]:
        """(resource, None, None) or (None, template, params) or (None, None, None)."""
        resource = self._resources.get(uri)
        if resource is not None:
            return resource, None, None
        for template in self._templates.values():
            params = template.matches(uri)
            if params:
                return None, template, params
        return None, None, None

    async def get_resource(self, uri: Any, context: Any = None) -> Resource:
        """The resource for a URI, concrete ones first, then templates (SDK API)."""
        uri_str = str(uri)
        resource, template, params = self.find(uri_str)
        if resource is not None:
            return resource
        if template is not None:
            try:
                return await template.create_resource(uri_str, params, context=context)  # type: ignore[arg-type]
            except Exception as exc:
                raise ValueError(f"Error creating resource from template: {exc}") from exc
        raise ValueError(f"Unknown resource: {uri}")

    def list_resources(self) -> list[Resource]:
        return list(self._resources.values())

    def list_templates(self) -> list[ResourceTemplate]:
        return list(self._templates.values())
