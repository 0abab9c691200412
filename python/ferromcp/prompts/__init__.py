"""Prompts: `Prompt` (one registered function), messages, and the registry."""

from ferromcp.prompts.base import Prompt
from ferromcp.prompts.manager import PromptManager

__all__ = ["Prompt", "PromptManager"]
