"""Resources: concrete resources, URI templates, and the registry."""

from ferromcp.resources.base import Resource
from ferromcp.resources.resource_manager import ResourceManager
from ferromcp.resources.templates import ResourceTemplate
from ferromcp.resources.types import (
    BinaryResource,
    DirectoryResource,
    FileResource,
    FunctionResource,
    HttpResource,
    TextResource,
)

__all__ = [
    "Resource",
    "TextResource",
    "BinaryResource",
    "FunctionResource",
    "FileResource",
    "HttpResource",
    "DirectoryResource",
    "ResourceTemplate",
    "ResourceManager",
]
