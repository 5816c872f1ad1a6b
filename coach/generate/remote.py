"""Any OpenAI-compatible server (OpenAI, Ollama, vLLM, LM Studio, llama_cpp.server)."""

from __future__ import annotations

from langchain_openai import ChatOpenAI

from coach.config import Settings

DEFAULT_REMOTE_MODEL = "gpt-4o-mini"


def remote_model_name(settings: Settings) -> str:
    return settings.model or DEFAULT_REMOTE_MODEL


def make_chat_model(settings: Settings) -> ChatOpenAI:
    """A LangChain chat model; retries are done by the caller so the deadline holds."""
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else "not-needed"
    return ChatOpenAI(
        model=remote_model_name(settings),
        api_key=key,
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout_s,
        max_retries=0,
        temperature=0.7,
    )
