"""Import contacts from a file (with progress) and export everything as downloads."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import streamlit as st

from coach.ui import state
from coach.ui.i18n import t

st.title(t("data.title"))

from coach.services import contacts  # noqa: E402 - after the first paint on purpose

FORMATS = (None, "linkedin", "vcard", "csv", "json")
EXPORTS = {"json": ("application/json", "json"), "csv": ("text/csv", "csv"),
           "vcard": ("text/vcard", "vcf"), "ics": ("text/calendar", "ics")}

st.subheader(t("data.import"))
st.caption(t("data.import_caption"))
upload = st.file_uploader(t("data.file"), type=["csv", "vcf", "vcard", "json"], key="upload")
fmt = st.selectbox(t("data.format"), FORMATS, key="import_format",
                   format_func=lambda x: t("data.auto") if x is None else t(f"format.{x}"))
if st.button(t("data.import_button"), type="primary", disabled=upload is None,
             key="import_button"):
    bar = st.progress(0.0, text=t("data.reading"))

    def _progress(done: int, total: int) -> None:
        bar.progress(done / max(total, 1), text=t("data.progress", done=done, total=total))

    with state.guard(), tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        result = contacts.import_file(path, fmt, progress=_progress)
        bar.progress(1.0, text=t("data.done"))
        st.success(t("data.result", imported=result["imported"], merged=result["merged"],
                     skipped=len(result["skipped"]), notes=result.get("notes_added", 0)))
        state.warn_if(result)
        if result["skipped"]:
            st.dataframe(result["skipped"], hide_index=True)

st.subheader(t("data.export"))
st.caption(t("data.export_caption"))
cols = st.columns(len(EXPORTS))
for col, (name, (mime, ext)) in zip(cols, EXPORTS.items(), strict=True):
    col.download_button(
        t(f"data.export_{name}"), data=lambda name=name: contacts.export(name),
        file_name=f"coach-{date.today().isoformat()}.{ext}", mime=mime,
        key=f"export_{name}", on_click="ignore", icon=":material/download:")
