"""Generate: the language model backends (embedded llama.cpp, any OpenAI-compatible server)."""
