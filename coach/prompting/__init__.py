"""Prompt: the prompt files in ``prompts/`` and how they are filled in."""
