"""The prompt registry of one server."""

from __future__ import annotations

from ferromcp.prompts.base import Message, Prompt

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


class PromptManager:
    """Prompts by name, in registration order."""

    def __init__(self, warn_on_duplicate_prompts: bool = True) -> None:
        self._prompts: dict[str, Prompt] = {}
        self.warn_on_duplicate_prompts = warn_on_duplicate_prompts
        self.on_add: Callable[[Prompt], None] | None = None

    def get_prompt(self, name: str) -> Prompt | None:
        return self._prompts.get(name)

    def list_prompts(self) -> list[Prompt]:
        return list(self._prompts.values())

    def add_prompt(self, prompt: Prompt) -> Prompt:
        """Register a prompt; a second one with the same name is ignored (the first stays)."""
        existing = self._prompts.get(prompt.name)
        if existing is not None:
            if self.warn_on_duplicate_prompts:
                import logging

                logging.getLogger("ferromcp.prompts").warning(
                    f"Prompt already exists: {prompt.name}"
                )
            return existing
        self._prompts[prompt.name] = prompt
        if self.on_add is not None:
            self.on_add(prompt)
        return prompt

    async def render_prompt(
        self, name: str, arguments: dict[str, Any] | None = None, context: Any = None
    ) -> list[Message]:
        prompt = self.get_prompt(name)
        if prompt is None:
            raise ValueError(f"Unknown prompt: {name}")
        return await prompt.render(arguments, context=context)
