"""AppTest flows for every page of the web app (real SQLite, real services, no browser).

Flows that need the language model or the encoder are marked slow; the others run in a
second or two each.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from coach.config import REPO_ROOT, reset_settings
from coach.ui.i18n import strings, translate
from coach.ui.render import highlight_html

APP = str(REPO_ROOT / "streamlit_app.py")
FIXTURES = Path(__file__).resolve().parent / "fixtures"
YOISMO = ("Yo tengo 20 años de experiencia y soy el mejor en ventas. Yo he liderado equipos y "
          "yo consigo resultados. Contrátame.")


def es(key: str, **values) -> str:
    return translate(key, "es", **values)


def start(page: str | None = None, timeout: float = 60) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=timeout).run()
    assert not at.exception, [e.value for e in at.exception]
    if page:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
    return at


def submit(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def load_examples() -> None:
    from coach.services import contacts
    from coach.ui.state import EXAMPLE_CONTACTS

    contacts.import_file(EXAMPLE_CONTACTS, "json")


# ----------------------------------------------------------------------------- i18n
def _used_keys() -> set[str]:
    keys = set()
    for path in [REPO_ROOT / "streamlit_app.py", *(REPO_ROOT / "app_pages").glob("*.py"),
                 *(REPO_ROOT / "coach" / "ui").glob("*.py")]:
        keys |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_]+)["']""", path.read_text()))
    return keys


def test_every_ui_string_exists_in_both_languages():
    table = strings()
    assert set(table) == {"es", "en"}
    assert set(table["es"]) == set(table["en"])
    missing = _used_keys() - set(table["es"])
    assert not missing, f"UI strings used but not defined: {sorted(missing)}"
    for key, text in table["es"].items():
        assert text.strip() and table["en"][key].strip(), key
        fields = lambda s: sorted(re.findall(r"{(\w+)}", s))  # noqa: E731
        assert fields(text) == fields(table["en"][key]), key
    # every tier, verdict and check name the services return has a label
    from coach.store.models import GOALS, TIERS

    for tier in TIERS:
        assert f"tier.{tier}" in table["es"]
    for goal in GOALS:
        assert f"goal.{goal}" in table["es"]


def test_highlight_escapes_user_text():
    text = "<script>alert(1)</script> Yo soy el mejor & punto"
    start_ = text.index("Yo soy")
    html = highlight_html(text, [{"start": start_, "end": start_ + 15},
                                 {"start": start_ + 3, "end": start_ + 6},  # overlap: dropped
                                 {"start": 500, "end": 900}])  # out of range: dropped
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<mark") == 1 and "Yo soy el mejor<sup>1</sup></mark>" in html
    assert "&amp; punto" in html


# ------------------------------------------------------------------------ home / first run
def test_first_run_shows_steps_and_loads_example_contacts():
    at = start()
    assert at.title[0].value == es("home.title")
    assert es("home.first_steps") in texts(at.subheader)
    at.button(key="load_examples").click().run()
    assert not at.exception
    assert es("home.examples_loaded", n=6, notes=8) in texts(at.success)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[es("home.metric_contacts")] == "6"
    assert not [b for b in at.button if b.key == "load_examples"]  # only on an empty store
    from coach.services import contacts

    names = {c["name"] for c in contacts.list_contacts()}
    assert {"Ana Torres", "Laura Chen"} <= names
    # the example file is the documented backup format
    doc = json.loads((REPO_ROOT / "coach/ui/examples/contacts.json").read_text())
    assert doc["format"] == "coach-backup" and len(doc["contacts"]) == 6


def test_language_switch_translates_the_app():
    at = start()
    assert at.title[0].value == "Tu coach de networking"
    at.segmented_control(key="lang").set_value("en").run()
    assert at.title[0].value == "Your networking coach"
    at.switch_page("app_pages/contacts.py").run()
    assert at.title[0].value == "Contacts"


def test_sidebar_says_which_backend_and_warns_when_remote(monkeypatch):
    at = start()
    assert "Gemma 3 270M" in texts(at.sidebar.caption)
    monkeypatch.setenv("COACH_LLM", "openai")
    monkeypatch.setenv("OPENAI_BASE_URL", "https://llm.example.com/v1")
    monkeypatch.setenv("COACH_MODEL", "big-model")
    reset_settings()
    at = start()
    warning = texts(at.sidebar.warning)
    assert "big-model" in warning and "https://llm.example.com/v1" in warning
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8000/v1")
    reset_settings()
    at = start()
    assert not at.sidebar.warning and "127.0.0.1:8000" in texts(at.sidebar.info)


# ----------------------------------------------------------------------------- contacts
def test_contacts_add_contact_with_note_then_add_a_note():
    at = start("contacts")
    assert es("contacts.empty") in texts(at.info)
    at.text_input(key="new_name").input("Ana Torres")
    at.text_input(key="new_company").input("Nutrivida")
    at.text_input(key="new_where_met").input("Foro Pyme Bogotá")
    at.selectbox(key="new_tier").set_value("ally")
    at.text_area(key="new_note").input("Busca distribuidores en la costa.")
    submit(at, es("contacts.add_submit"))
    assert es("contacts.added", name="Ana Torres") in texts(at.success)
    assert at.subheader[0].value == "Ana Torres"
    assert "Busca distribuidores en la costa." in texts(at.markdown)
    cid = at.session_state["contact_id"]
    at.text_area(key=f"note_text_{cid}").input("Le envié el informe de última milla.")
    at.selectbox(key=f"note_value_{cid}").set_value("given")
    submit(at, es("contacts.add_note"))
    assert es("contacts.note_added") in texts(at.success)
    assert es("contacts.timeline", n=2) in [tab.label for tab in at.tabs]
    from coach.services import contacts

    notes = contacts.get_contact(cid)["notes"]
    assert {n["value"] for n in notes} == {"given", "none"}


def test_contacts_search_filter_and_errors():
    load_examples()
    at = start("contacts")
    at.selectbox(key="contact_tier").set_value("prospect").run()
    options = at.selectbox(key="contact_pick").options
    assert len(options) == 2 and all("—" in o for o in options)
    at.selectbox(key="contact_tier").set_value("all")
    at.text_input(key="contact_query").input("nutrivida").run()
    assert at.selectbox(key="contact_pick").options == ["Ana Torres — Nutrivida"]
    at.text_input(key="contact_query").input("nadie-se-llama-asi").run()
    assert es("contacts.none_found") in texts(at.info)
    # a contact without a name: one clear error line, nothing saved, no traceback
    at.text_input(key="contact_query").input("").run()
    submit(at, es("contacts.add_submit"))
    assert "a contact needs a name" in texts(at.error)
    from coach.services import contacts

    assert len(contacts.list_contacts()) == 6


def test_contacts_delete_asks_first():
    load_examples()
    at = start("contacts")
    name = at.subheader[0].value
    at.button(key="delete_contact").click().run()
    assert es("contacts.delete_confirm", name=name) in texts(at.markdown)
    at.button(key="delete_confirm").click().run()
    assert not at.exception
    assert es("contacts.deleted", name=name) in texts(at.success)
    from coach.services import contacts

    assert name not in {c["name"] for c in contacts.list_contacts()}


# ----------------------------------------------------------------------------- critique
def test_critique_page_scores_and_highlights_without_rewrite():
    at = start("critique")
    at.text_area(key="critique_text").input(YOISMO + " <b>negrita</b>")
    at.toggle(key="critique_rewrite").set_value(False)
    submit(at, es("critique.button"))
    metrics = {m.label: m.value for m in at.metric}
    score = int(metrics[es("critique.score")].split("/")[0])
    assert score >= 50
    html = next(m.value for m in at.markdown if "coach-highlight" in m.value)
    assert "<mark" in html and "&lt;b&gt;negrita&lt;/b&gt;" in html
    assert "<b>negrita" not in html
    assert not [s for s in at.subheader if s.value == es("critique.rewrite")]


@pytest.mark.slow
def test_critique_page_rewrite_with_the_local_model():
    at = start("critique", timeout=300)
    at.text_area(key="critique_text").input(YOISMO)
    submit(at, es("critique.button"))
    assert es("critique.rewrite") in texts(at.subheader)
    rewrite = at.code[-1].value
    assert rewrite.strip()
    from coach.services.critique import critique

    assert critique(rewrite)["yoismo_score"] <= critique(YOISMO)["yoismo_score"]


# ---------------------------------------------------------------------------- dashboard
def test_dashboard_empty_then_with_examples():
    at = start("dashboard")
    assert es("dash.empty") in texts(at.info)
    load_examples()
    at.run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[es("home.metric_contacts")] == "6"
    labels = [tab.label for tab in at.tabs]
    assert any(label.startswith(es("dash.due", n=0)[:5]) for label in labels)
    charts = at.get("vega_lite_chart")
    assert len(charts) == 3
    assert len(at.dataframe) >= 1
    import pyarrow as pa

    from coach.services.review import last_contacts

    quiet = pa.ipc.open_stream(charts[0].proto.datasets[0].data.data).read_all()
    assert sorted(quiet.column(es("field.name")).to_pylist()) == sorted(
        row["name"] for row in last_contacts())  # everyone, not only the due and dormant
    from coach.services.review import review

    report = review(lang="es")
    for item in report["weekly_plan"]:
        assert item["action_text"] in texts(at.markdown)


# ------------------------------------------------------------------------------ profile
def test_profile_form_saves_and_first_run_notices_it():
    at = start("profile")
    at.text_input(key="profile_name").input("Lucía")
    at.text_input(key="profile_role").input("fundadora de una app de logística")
    at.text_input(key="profile_offer").input("contactos en retail")
    at.selectbox(key="profile_goal").set_value("allies")
    submit(at, es("profile.save"))
    assert es("profile.saved") in texts(at.success)
    from coach.services import contacts

    profile = contacts.get_profile()
    assert (profile["name"], profile["goal"]) == ("Lucía", "allies")
    at.switch_page("app_pages/home.py").run()
    assert es("home.step_profile") + " :green[:material/check_circle:]" in texts(at.markdown)


@pytest.mark.slow
def test_profile_checks_the_local_model():
    at = start("profile", timeout=300)
    at.button(key="profile_check").click().run()
    assert not at.exception and not at.error
    report = json.loads(at.json[0].value)
    assert report["backend"] == "local" and report["gen_ms"] > 0


# ------------------------------------------------------------------------- import/export
def test_import_upload_with_progress_and_export_buttons():
    at = start("data")
    assert at.button(key="import_button").disabled
    data = (FIXTURES / "linkedin_connections.csv").read_bytes()
    at.file_uploader(key="upload").set_value(("Connections.csv", data, "text/csv")).run()
    at.button(key="import_button").click().run()
    assert not at.exception and not at.error, texts(at.error)
    done = texts(at.success)
    assert done.startswith(es("data.result", imported="", merged="", skipped="", notes="")[:6])
    assert at.get("progress")
    from coach.services import contacts

    assert contacts.list_contacts()
    assert {b.key for b in at.get("download_button")} >= {"export_json", "export_csv",
                                                         "export_vcard", "export_ics"}


def test_import_bad_file_loses_nothing():
    load_examples()
    at = start("data")
    at.file_uploader(key="upload").set_value(("broken.json", b"{not json", "application/json"))
    at.selectbox(key="import_format").set_value("json")
    at.run()
    at.button(key="import_button").click().run()
    assert not at.exception
    assert texts(at.error)
    from coach.services import contacts

    assert len(contacts.list_contacts()) == 6


# --------------------------------------------------------------------------------- chat
@pytest.mark.slow
def test_chat_answers_with_sources_and_keeps_the_conversation():
    at = start("chat", timeout=600)
    assert es("chat.empty") in texts(at.info)
    at.chat_input[0].set_value("¿Cómo hago seguimiento después de un evento?").run()
    assert not at.exception and not at.error, texts(at.error)
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    assert at.expander[0].label.startswith(es("chat.sources", n=0)[:7])
    assert len(at.session_state["chat"]) == 2
    at.chat_input[0].set_value("What should I give before asking?").run()
    assert [m.name for m in at.chat_message] == ["user", "assistant"] * 2
    at.button(key="chat_clear").click().run()
    assert not at.chat_message


# ------------------------------------------------------------- one-click follow-up / pitch
@pytest.mark.slow
def test_contacts_one_click_follow_up_shows_draft_critique_checks_and_saves_it():
    load_examples()
    at = start("contacts", timeout=600)
    cid = at.session_state["contact_id"]
    name = at.subheader[0].value
    at.segmented_control(key=f"draft_channel_{cid}").set_value("linkedin").run()
    at.button(key=f"draft_follow_up_{cid}").click().run()
    assert not at.exception and not at.error, texts(at.error)
    text = at.text_area(key=f"draft_text_{cid}").value
    assert name.split()[0] in text
    assert any(c.value == text for c in at.code)  # the copy box shows the same text
    labels = [tab.label for tab in at.tabs]
    assert {es("draft.critique"), es("draft.checks"), es("draft.sources")} <= set(labels)
    assert es("critique.score") in [m.label for m in at.metric]
    assert "material/check_circle" in texts(at.markdown)  # the checks list
    from coach.services import contacts

    saved = contacts.get_contact(cid)["drafts"]
    assert saved and saved[0]["text"] == text and saved[0]["channel"] == "linkedin"
    assert es("draft.auto_saved", id=saved[0]["id"]) in texts(at.caption)
    # the user edits the draft; the edit is either saved or clearly said not to be
    at.text_area(key=f"draft_text_{cid}").input(text + " ¡Gracias!").run()
    assert not at.exception
    assert at.code[-1].value.endswith("¡Gracias!") or any(
        c.value.endswith("¡Gracias!") for c in at.code)


def test_contacts_edited_draft_is_saved_with_the_save_button():
    from coach.services import contacts
    from coach.store.db import session_scope
    from coach.store.drafts import draft_to_dict, save_draft

    cid = contacts.add_contact(name="Ana Torres", tier="ally")["id"]
    with session_scope() as s:
        draft = draft_to_dict(save_draft(s, cid, "follow_up", "email", "es", "Gracias",
                                         "Hola Ana, gracias por la charla.", "template",
                                         True, {}))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["contact_id"] = cid
    at.session_state["drafts"] = {cid: {**draft, "draft_id": draft["id"], "lang": "es",
                                        "critique": {}, "checks": {}, "sources": []}}
    at.session_state[f"draft_text_{cid}"] = draft["text"]
    at.session_state[f"draft_subject_{cid}"] = draft["subject"]
    at.run()
    at.switch_page("app_pages/contacts.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.button(key=f"draft_save_{cid}").disabled  # nothing edited yet
    at.text_area(key=f"draft_text_{cid}").input("Hola Ana, te paso el informe.").run()
    at.text_input(key=f"draft_subject_{cid}").input("El informe").run()
    at.button(key=f"draft_save_{cid}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert es("draft.saved") in texts(at.success)
    saved = contacts.get_contact(cid)["drafts"]
    assert len(saved) == 1 and saved[0]["status"] == "draft"
    assert (saved[0]["text"], saved[0]["subject"]) == ("Hola Ana, te paso el informe.",
                                                       "El informe")


@pytest.mark.slow
def test_pitch_page_needs_a_profile_then_prepares_a_pitch_with_targets():
    load_examples()
    at = start("pitch", timeout=600)
    assert es("pitch.need_profile") in texts(at.info)
    from coach.services import contacts

    contacts.set_profile(name="Lucía", role="fundadora de una app de logística",
                         offer="contactos en retail y datos de rutas", goal="allies")
    at.run()
    assert not at.info
    at.text_input(key="pitch_event").input("Foro Pyme Bogotá")
    at.selectbox(key="pitch_goal").set_value("allies")
    at.radio(key="pitch_seconds").set_value(30)
    submit(at, es("pitch.button"))
    assert not at.error, texts(at.error)
    pitch = at.code[0].value
    assert pitch.strip() and len(pitch.split()) <= 75
    assert "Ana Torres" in texts(at.markdown)  # met at that forum: someone to look for
    assert es("pitch.questions") in texts(at.markdown)


# ------------------------------------------------------------------------ introductions
def test_possible_introductions_on_dashboard_and_card_record_one():
    from coach.services import contacts
    from coach.services.connect import suggest_introductions

    ana = contacts.add_contact(name="Ana Torres", company="Nutrivida", tier="ally",
                               needs="distribuidores de alimentos en la costa Caribe")
    luis = contacts.add_contact(name="Luis Pardo", company="LogiCaribe", tier="radar",
                                offers="red de distribuidores de alimentos en Barranquilla "
                                       "y toda la costa Caribe")
    pairs = suggest_introductions(k=5, lang="es")
    assert pairs, "the fixture pair must match"
    at = start("dashboard")
    assert not at.exception
    assert es("intro.title") in texts(at.markdown)
    assert pairs[0]["reason"] in texts(at.markdown)
    record = [b for b in at.button if b.label == es("intro.record")]
    assert record
    record[0].click().run()
    assert not at.exception
    card_a, card_b = contacts.get_contact(ana["id"]), contacts.get_contact(luis["id"])
    assert [n["kind"] for n in card_a["notes"]] == ["intro"]
    assert [n["kind"] for n in card_b["notes"]] == ["intro"]
    assert suggest_introductions(k=5, lang="es") == []  # already introduced: left out
