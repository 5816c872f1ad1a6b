"""All settings in one place, read from the environment (prefix ``COACH_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from coach.errors import ConfigError

Language = Literal["es", "en"]
REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COACH_", extra="ignore")

    home: Path = Field(default_factory=lambda: Path(user_data_dir("coach", appauthor=False)))
    llm: Literal["local", "openai"] = "local"
    model: str | None = None
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "COACH_OPENAI_API_KEY")
    )
    openai_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_BASE_URL", "COACH_OPENAI_BASE_URL")
    )
    llm_timeout_s: float = 30.0
    llm_max_retries: int = 2
    llm_fallback_local: bool = True
    local_threads: int = 2
    local_context: int = 2048
    language: Language = "es"
    database_url: str | None = None
    chroma_url: str | None = None
    knowledge_dir: Path = REPO_ROOT / "knowledge"
    prompts_dir: Path = REPO_ROOT / "prompts"
    candidates: int = 2
    max_upload_mb: int = 20

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.home / 'coach.db'}"

    @property
    def chroma_path(self) -> Path:
        return self.home / "chroma"

    @property
    def is_remote_llm(self) -> bool:
        """True when contact data may leave the machine through the LLM."""
        if self.llm != "openai":
            return False
        base = (self.openai_base_url or "https://api.openai.com/v1").lower()
        return not any(h in base for h in ("://127.", "://localhost", "://[::1]", "://0.0.0.0"))

    def validate_backend(self) -> None:
        """Raise a one-line, actionable ConfigError for an unusable LLM configuration."""
        if self.llm == "openai" and not self.openai_api_key and not self.openai_base_url:
            raise ConfigError(
                "COACH_LLM=openai needs OPENAI_API_KEY (for api.openai.com) or OPENAI_BASE_URL "
                "(for Ollama, vLLM, LM Studio...); or unset COACH_LLM to use the local model."
            )
        if self.llm_timeout_s <= 0:
            raise ConfigError("COACH_LLM_TIMEOUT_S must be a positive number of seconds.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget the cached settings (tests change the environment)."""
    get_settings.cache_clear()
