"""Named checks for a draft: DESIGN.md's "What a good draft means", one function each.

Pure code. ``check_draft`` returns a ``CheckResult`` whose ``checks`` maps each check name
to a bool and whose ``reasons`` say, for each failed check, why. The critic's verdict
(computed by the caller with ``coach.verify.critic.analyze``) is an input, so this module
stays free of any model or framework.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from coach.compose.facts import Facts, fold, is_injection

CHANNEL_LIMITS = {"linkedin": 300, "whatsapp": 400, "email": 1500}
SUBJECT_LIMIT = 90
WORDS_PER_SECOND = 2.5


def _lexicon(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOP = {
    "es": _lexicon("""
        a al algo algun alguna algunas alguno algunos ante antes aqui asi aun bien cada como con
        contigo cual cuando de del desde donde dos el ella ellas ellos en entre era es esa ese
        eso esta estas este esto estos estoy fue gracias ha hace hacer han has hasta hay la las
        le les lo los mas me mi mis mucho muy nada ni no nos nosotros nuestra nuestro o otra
        otro para pero poco por porque puedo que quien se sea ser si sin sobre solo son soy su
        sus tal tambien te ti tiene tienes todo tu tus un una uno unos unas usted ustedes vez y
        ya yo hola semana proxima mucho cafe charla minutos
    """),
    "en": _lexicon("""
        a about after again all also am an and any are as at be been before being but by can
        could did do does for from had has have he her here hi his how i if in into is it its
        just me more most my no not now of on one only or other our out over she so some than
        thank thanks that the their them then there these they this those to too up us very was
        we were what when where which while who why will with would you your week next coffee
        chat minutes
    """),
}
# Sentence-initial words that are common, not names (checked after folding).
_COMMON_STARTS = _lexicon("""
        hola hi hello hey gracias thanks thank muchas many un una uno unos unas el la los las lo
        me te se si por para con en de del que quien como cuando donde yo tu mi su nos nuestro
        ayer hoy manana este esta esto estos estas ese esa eso ya y o pero tambien ademas asi
        sobre tras desde entre sin mas muy bien mucho poco todo toda todos todas nada algo
        quiero queria quisiera me gustaria encantado encantada seria podriamos podrias puedo
        puedes tienes tendrias tengo te viene vienes seguro fue fui estuve estoy espero saludos
        un abrazo gracias por cualquier creo pienso sigo pensando quedo quede quedé acabo vi lei
        escribo soy trabajo ayudo lo la le lo que estoy busco vengo mi objetivo en el y tu and
        the a an i it its this that these those we you your my our if when where how what why
        who which would could can will shall should may might great good nice best regards
        cheers kind looking happy glad following after since as at on in by for from with about
        following just also so do does did is are was were be been being have has had there here
        let lets please sure really still any some each every no not one two first last next
        thank hope hoping wanted want wondering did do dear estimado estimada querido querida
        buenas buenos dias tardes saludo cordial atentamente best warm cheers share sharing if
        que al pasado pasada proxima proximo semana week gusto placer pleasure enjoyed disfrute
        hablamos hablar talk talked conversation conversacion charla chat cafe coffee llamada
        call
    """)
# Conversational words a personal opening may use without them being in the notes.
_GLUE = _lexicon("""
    gracias gusto gusta gustado gusto encanta encantado encantada encanto conocerte conocer
    conversacion charla charlamos hablamos hablar hablando comentaste comentamos contaste
    contado conte quede quedado pensando pensar sigo seguir seguimos ganas aprender aprendiendo
    tiempo ratito espero esperamos fuera feria evento jornada mucho muchisimo interesante
    valiosa valioso experiencia escribo escribirte despues tras donde sobre tema idea ideas
    thanks thank enjoyed enjoy loved love hearing heard told telling talked talking talk chat
    chatting conversation meeting meet met glad great keep keeping thinking think learning
    learn learned time writing write hope hoping really much interesting valuable experience
    after where about since event wanted want would like nice pleasure
    """)
_THIRD_PERSON = {
    "es": re.compile(r"\b(su|sus|le|les|ella|él)\b"),
    "en": re.compile(r"\b(his|her|their|he|she|they|him|them)\b"),
}
_ALLOWED_PROPER = {"linkedin", "whatsapp", "zoom", "meet", "teams", "google", "i", "ok",
                   "lunes", "martes", "miercoles", "jueves", "viernes", "monday", "tuesday",
                   "wednesday", "thursday", "friday", "enero", "febrero", "marzo", "abril",
                   "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre",
                   "diciembre", "january", "february", "march", "april", "may", "june", "july",
                   "august", "september", "october", "november", "december", "pd", "ps"}

_OFFER = {
    "es": re.compile(
        r"\b(te (paso|envio|mando|comparto|dejo|presento|puedo (pasar|enviar|mandar|compartir|"
        r"presentar|ayudar|contar|echar))|si te sirve|si te resulta util|puedo presentarte|"
        r"encantad[oa] de (ayudarte|presentarte|compartir|devolverte|contarte)|con gusto te|"
        r"devolverte el favor|te devuelvo el favor|puedo compartir|puedo ayudarte)"),
    "en": re.compile(
        r"\b(happy to (share|send|introduce|help|return|pass)|i can (share|send|introduce|help|"
        r"pass)|i('ll| will) (send|share|pass)|if (it|that)('s| is| would be)? ?(useful|helpful|"
        r"helps)|glad to (share|introduce|help|return)|return the favou?r)"),
}
_RETURN_FAVOUR = re.compile(
    r"(devolverte el favor|te devuelvo el favor|a cambio|por mi parte|return the favou?r|"
    r"in return|on my side|happy to help you|encantad[oa] de ayudarte)")
_DURATION = re.compile(r"\b(\d{1,3})\s*(?:-|–)?\s*(min\b|mins\b|minutos\b|minutes\b|minute\b)")
_LONG_ASK = re.compile(r"\b(una hora|dos horas|toda la tarde|an hour|two hours|all afternoon|"
                       r"half a day|medio dia|un dia|a day)\b")
_JOB_MONEY = re.compile(
    r"\b(contratame|contratarme|hire me|me (consigues|puedes conseguir|podrias conseguir) (un )?"
    r"(trabajo|empleo|puesto|entrevista)|(busco|necesito|estoy buscando) (un )?(trabajo|empleo)|"
    r"(hay|tienes|teneis) (alguna )?(vacante|puesto)|mi (cv|curriculum)|adjunto (mi )?(cv|"
    r"curriculum)|(looking for|need) a job|any (openings|vacancies|positions)|job (opening|offer)|"
    r"my (cv|resume)|refer me|recomiendame para|invert\w* en (mi|nuestra|nuestro)|invest in "
    r"(my|our)|(prestame|presta me|lend me|loan me)|necesito (dinero|financiacion|inversion)|"
    r"need (money|funding|investment))")
_HARD_SELL = re.compile(
    r"\b(compra(lo|la)? (hoy|ya|ahora)|descuento|oferta (limitada|exclusiva)|ultimas plazas|"
    r"no te lo pierdas|buy (it )?(now|today)|discount|limited (time )?offer|don'?t miss|"
    r"act now|el mejor del mercado|the best on the market|soy el mejor|soy la mejor|"
    r"i am the best|i'm the best|world[- ]class|lider indiscutible)")
_URL = re.compile(r"(https?://|www\.|\b[\w-]+\.(com|net|org|io|ly)\b)", re.I)
_WORD = re.compile(r"[^\W_][\w'’-]*")


@dataclass
class CheckResult:
    checks: dict[str, bool] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return all(self.checks.values())

    @property
    def score(self) -> int:
        return sum(1 for ok in self.checks.values() if ok)

    def add(self, name: str, ok: bool, reason: str = "") -> None:
        self.checks[name] = bool(ok)
        if not ok:
            self.reasons[name] = reason or name

    def to_dict(self) -> dict[str, Any]:
        return {"checks": dict(self.checks), "reasons": dict(self.reasons),
                "passed": self.passed}


def words(text: str) -> list[str]:
    return _WORD.findall(text or "")


def stem(word: str) -> str:
    return fold(word)[:5]


def content_stems(text: str, lang: str, exclude: set[str] | None = None) -> set[str]:
    stop = _STOP["es"] | _STOP["en"]
    out = set()
    for word in words(text):
        folded = fold(word)
        if len(folded) >= 4 and folded not in stop and not folded.isdigit():
            out.add(folded[:5])
    return out - (exclude or set())


def detect_language(text: str) -> str | None:
    """'es' or 'en' by stop-word counts (None when neither shows up)."""
    tokens = [fold(w) for w in words(text)]
    es = sum(1 for t in tokens if t in _STOP["es"])
    en = sum(1 for t in tokens if t in _STOP["en"])
    if es == en:
        return None
    return "es" if es > en else "en"


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?:])\s+|\n+", text) if s.strip()]


def invented_tokens(text: str, facts: Facts, extra_allowed: str = "") -> list[str]:
    """Capitalised words and numbers in ``text`` that appear in no input."""
    source = facts.text() + "\n" + extra_allowed
    vocab = {fold(w) for w in words(source)}
    digits = set(re.findall(r"\d+", source))
    allowed_numbers = {str(n) for n in range(15, 31)} | {str(facts.seconds)}
    bad: list[str] = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        folded = fold(re.split(r"['’]", word)[0])
        if any(ch.isdigit() for ch in word):
            for number in re.findall(r"\d+", word):
                if number in digits:
                    continue
                if number in allowed_numbers and _DURATION.search(fold(text[match.start():
                                                                         match.end() + 12])):
                    continue
                bad.append(word)
            continue
        if not word[0].isupper():
            continue
        if folded in vocab or folded in _ALLOWED_PROPER:
            continue
        before = text[:match.start()].rstrip(" \t«\"'“¡¿(")
        initial = not before or before[-1] in ".!?:;,\n"
        if initial and folded in _COMMON_STARTS:
            continue
        bad.append(word)
    return bad


def injected_payloads(text: str, facts: Facts) -> list[str]:
    """Parts of the output that come from instructions hidden in the notes, or look like them."""
    found: list[str] = []
    if _URL.search(text):
        found.append("url")
    for sentence in _sentences(text):
        if is_injection(sentence):
            found.append(sentence[:60])
    folded = fold(text)
    for payload in facts.removed:
        tokens = fold(payload).split()
        for i in range(max(0, len(tokens) - 3)):
            shingle = " ".join(tokens[i:i + 4])
            if shingle in folded:
                found.append(shingle)
                break
    return found


def _ask_checks(result: CheckResult, text: str, facts: Facts, folded: str) -> int:
    questions = text.count("?")
    durations = [int(m.group(1)) for m in _DURATION.finditer(folded)]
    bad_duration = [d for d in durations if not 15 <= d <= 30]
    ok = questions == 1 and not bad_duration and not _LONG_ASK.search(folded)
    reason = (f"{questions} questions" if questions != 1 else
              "asks for more than 30 minutes" if bad_duration or _LONG_ASK.search(folded) else "")
    result.add("one_small_ask", ok, reason or "one specific ask (a question or 15-30 minutes)")
    if facts.task == "advice":
        result.add("time_boxed", bool(durations) and not bad_duration,
                   "advice requests name 15-30 minutes")
    return text.rfind("?")


def unsupported_stems(part: str, facts: Facts) -> tuple[set[str], set[str]]:
    """(content stems of ``part``, those found in no input and no conversational glue)."""
    names = {stem(w) for w in words(facts.contact.get("name", ""))}
    have = content_stems(part, facts.lang, names)
    known = content_stems(facts.text(), facts.lang) | {w[:5] for w in _GLUE}
    return have, have - known


def model_part_checks(result: CheckResult, part: str | None, facts: Facts) -> None:
    """Checks only for the words the model wrote: grounded in the facts, in second person."""
    if part is None:
        return
    have, unknown = unsupported_stems(part, facts)
    result.add("grounded", bool(have) and len(unknown) * 4 <= len(have),
               "the model's words stray from the notes: " + ", ".join(sorted(unknown)))
    if facts.task != "pitch" and facts.notes:
        names = {stem(w) for w in words(facts.contact.get("name", ""))}
        noted = content_stems(" ".join(n["text"] for n in facts.notes), facts.lang, names)
        result.add("opening_names_detail", bool(noted & have),
                   "the model's opening names nothing from the notes")
    if facts.task != "pitch":
        third = _THIRD_PERSON[facts.lang].search(fold(part))
        word = third.group(0) if third else ""
        result.add("second_person", third is None,
                   f"talks about the person in the third person ({word})")


def check_message(text: str, facts: Facts, *, subject: str = "",
                  critique: dict[str, Any] | None = None,
                  model_part: str | None = None) -> CheckResult:
    """Every named check for a follow-up or advice request (``model_part``: the words the
    model wrote, checked for grounding when only part of the draft came from it)."""
    result = CheckResult()
    model_part_checks(result, model_part, facts)
    folded = fold(text)
    name = fold(facts.first_name)
    opening = fold(" ".join(_sentences(text)[:1]))[:120]
    result.add("addresses_by_name", bool(name) and re.search(rf"\b{re.escape(name)}\b",
                                                               opening) is not None,
               f"does not greet {facts.first_name or 'the person'} by name")
    source = " ".join([n["text"] for n in facts.notes] + [str(facts.contact.get("needs") or "")])
    source = source if source.strip() else facts.where_met
    names = {stem(w) for w in words(facts.contact.get("name", ""))}
    wanted = content_stems(source, facts.lang, names)
    shared = wanted & content_stems(text, facts.lang, names)
    result.add("names_detail", not wanted or len(shared) >= min(2, len(wanted)),
               "names no concrete detail from the notes")
    ask_at = _ask_checks(result, text, facts, folded)
    offer = _OFFER[facts.lang].search(folded) or _OFFER["en" if facts.lang == "es" else
                                                      "es"].search(folded)
    question_start = max(text.rfind(".", 0, ask_at), text.rfind("¿", 0, ask_at), 0)
    result.add("value_first", offer is not None and offer.start() <= max(question_start, 0) + 1,
               "offers no value (idea, article, introduction) before the ask")
    if facts.task == "advice":
        result.add("returns_favour", _RETURN_FAVOUR.search(folded) is not None,
                   "does not say how you could return the favour")
    asks = _JOB_MONEY.search(folded)
    result.add("no_job_or_money_ask", not (asks and facts.weak_tie),
               f"asks a weak tie for a job or money ({asks.group(0) if asks else ''})")
    _common_checks(result, text, facts, critique, folded, subject)
    limit = CHANNEL_LIMITS.get(facts.channel, 1500)
    ok = len(text) <= limit
    reason = f"{len(text)} characters (limit {limit} for {facts.channel})"
    if facts.channel == "email":
        ok = ok and bool(subject.strip()) and len(subject) <= SUBJECT_LIMIT
        reason = reason if len(text) > limit else "an email needs a short subject"
    result.add("channel_length", ok, reason)
    return result


def _common_checks(result: CheckResult, text: str, facts: Facts,
                   critique: dict[str, Any] | None, folded: str, extra: str = "") -> None:
    verdict = (critique or {}).get("verdict")
    sell = _HARD_SELL.search(folded)
    result.add("no_hard_sell", verdict != "rewrite" and not sell,
               f"hard sell or self-praise ({sell.group(0) if sell else 'critic: rewrite'})")
    detected = detect_language(text + " " + extra)
    result.add("language", detected == facts.lang,
               f"written in {detected or 'an unclear language'}, not {facts.lang}")
    invented = invented_tokens(text + "\n" + extra, facts)
    result.add("no_invented_facts", not invented,
               "names or numbers in no input: " + ", ".join(dict.fromkeys(invented)))
    payloads = injected_payloads(text + "\n" + extra, facts)
    result.add("no_injected_instructions", not payloads,
               "repeats instructions hidden in notes: " + "; ".join(payloads[:3]))


def check_pitch(text: str, facts: Facts, *, critique: dict[str, Any] | None = None,
                model_part: str | None = None) -> CheckResult:
    """Checks for a spoken pitch: fits the seconds, says who and what, invites dialogue."""
    result = CheckResult()
    model_part_checks(result, model_part, facts)
    folded = fold(text)
    budget = int(facts.seconds * WORDS_PER_SECOND)
    count = len(words(text))
    result.add("fits_time", min(20, budget) <= count <= budget,
               f"{count} words for {facts.seconds} s (at most {budget})")
    who = [facts.profile.get("name", ""), facts.profile.get("role", "")]
    who_stems = content_stems(" ".join(who), facts.lang) | {stem(w) for w in
                                                            words(facts.profile.get("name", ""))}
    result.add("says_who_and_what", bool(who_stems & content_stems(text, facts.lang) or
                                         who_stems & {stem(w) for w in words(text)}),
               "does not say who you are and what you do")
    result.add("invites_dialogue", text.rstrip().endswith("?"),
               "end with a question that hands the conversation back")
    asks = _JOB_MONEY.search(folded)
    result.add("no_job_or_money_ask", not asks, "asks strangers for a job or money")
    _common_checks(result, text, facts, critique, folded)
    return result
