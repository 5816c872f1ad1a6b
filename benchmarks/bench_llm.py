"""Local backend: load time, first-token latency (cold vs warm few-shot prefix), tokens/s.

Run: .venv/bin/python -m benchmarks.bench_llm
"""

from __future__ import annotations

import statistics
import time

from benchmarks.results import table, write_section
from coach.generate import local

PREFIX = (
    "Mensajes de seguimiento breves, cálidos y concretos después de un evento.\n\n"
    + "".join(
        f"Contacto: Persona {i}. Nota: hablamos de logística en el evento {i}.\n"
        f"Mensaje: Hola Persona {i}, gracias por la charla sobre logística en el evento {i}. "
        "Te comparto un artículo que puede servirte. ¿Te parece un café de 20 minutos?\n\n"
        for i in range(6)
    )
)


def first_token_ms(model, prompt: str) -> float:
    start = time.perf_counter()
    for _ in model.create_completion(prompt, max_tokens=1, temperature=0.0, stream=True):
        break
    return (time.perf_counter() - start) * 1000


def main() -> None:
    start = time.perf_counter()
    model = local.load_model()
    load_s = time.perf_counter() - start
    prompt_tokens = len(model.tokenize(PREFIX.encode()))

    cold, warm = [], []
    for i in range(5):
        model.reset()  # forget the evaluated prefix: the whole prompt is evaluated again
        cold.append(first_token_ms(model, PREFIX + f"Contacto: Ana {i}. Nota: café.\nMensaje:"))
    first_token_ms(model, PREFIX + "Contacto: Luis. Nota: feria.\nMensaje:")
    for i in range(5):
        warm.append(first_token_ms(model, PREFIX + f"Contacto: Marta {i}. Nota: ronda.\nMensaje:"))

    n_tokens, gen_s = 0, 0.0
    for i in range(3):
        t0 = time.perf_counter()
        out = model.create_completion(
            PREFIX + f"Contacto: Sara {i}.\nMensaje:", max_tokens=64, temperature=0.7, seed=i
        )
        gen_s += time.perf_counter() - t0
        n_tokens += out["usage"]["completion_tokens"]

    cold_p50, warm_p50 = statistics.median(cold), statistics.median(warm)
    body = table(
        ["metric", "value"],
        [
            ["model load (s)", f"{load_s:.2f}"],
            ["few-shot prompt (tokens)", prompt_tokens],
            ["first token, cold prefix p50 (ms) — baseline", f"{cold_p50:.0f}"],
            ["first token, warm prefix p50 (ms) — KV reuse", f"{warm_p50:.0f}"],
            ["speed-up warm vs cold", f"{cold_p50 / warm_p50:.1f}x"],
            ["generation (tokens/s, incl. prompt tail)", f"{n_tokens / gen_s:.1f}"],
        ],
    )
    write_section(
        "llm", "Local backend (Gemma 3 270M Q4_K_M, llama.cpp, 2 threads)",
        "python -m benchmarks.bench_llm", body,
    )


if __name__ == "__main__":
    main()
