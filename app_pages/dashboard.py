"""Network dashboard: due and dormant contacts, the weekly plan and three charts."""

from __future__ import annotations

from typing import Any

import streamlit as st

from coach.ui import state
from coach.ui.i18n import t

st.title(t("dash.title"))

import pandas as pd  # noqa: E402 - after the first paint on purpose

from coach.services.review import last_contacts, review  # noqa: E402
from coach.ui.intros import introductions_panel  # noqa: E402


def _days_quiet(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Days since the last contact for everyone (quietest first, top 20)."""
    ranked = [r for r in rows if r["days_since"] is not None][:20]
    names = [r["name"] for r in ranked]
    labels = [f"{r['name']} (#{r['contact_id']})" if names.count(r["name"]) > 1 else r["name"]
              for r in ranked]  # namesakes keep their own bar
    return pd.DataFrame({t("dash.days"): [r["days_since"] for r in ranked]},
                        index=pd.Index(labels, name=t("field.name")))


def _table(items: list[dict[str, Any]], columns: dict[str, str]) -> None:
    frame = pd.DataFrame([{label: item.get(key) for key, label in columns.items()}
                          for item in items])
    st.dataframe(frame, hide_index=True, width="stretch")


with state.guard():
    report = review(lang=st.session_state.lang)
    total = sum(report["tiers"].values())
    if not total:
        st.info(t("dash.empty"))
        st.page_link("app_pages/home.py", label=t("dash.go_home"), icon=":material/home:")
        st.stop()
    cols = st.columns(4)
    cols[0].metric(t("home.metric_contacts"), total)
    cols[1].metric(t("home.metric_due"), len(report["due"]))
    cols[2].metric(t("home.metric_dormant"), len(report["dormant"]))
    cols[3].metric(t("home.metric_plan"), t("home.minutes", n=report["plan_minutes"]))

    st.subheader(t("home.this_week"))
    st.caption(report.get("plan_summary", ""))
    for item in report["weekly_plan"]:
        with st.container(border=True):
            st.markdown(f"**{item['name']}** · {t('tier.' + item['tier'])} · "
                        f"{t('home.minutes', n=item['minutes'])}")
            st.write(item["action_text"])
            st.caption(f"{item['reason']} · `{item['card_id']}`")

    due_tab, dormant_tab = st.tabs([t("dash.due", n=len(report["due"])),
                                    t("dash.dormant", n=len(report["dormant"]))])
    with due_tab:
        if report["due"]:
            _table(report["due"], {"name": t("field.name"), "company": t("field.company"),
                                   "last_interaction": t("dash.last"),
                                   "days_overdue": t("dash.overdue"),
                                   "action_text": t("dash.action")})
        else:
            st.caption(t("dash.none_due"))
    with dormant_tab:
        if report["dormant"]:
            _table(report["dormant"], {"name": t("field.name"), "company": t("field.company"),
                                       "last_interaction": t("dash.last"),
                                       "days_since": t("dash.days")})
        else:
            st.caption(t("dash.none_dormant"))

    c1, c2, c3 = st.columns(3)
    with c1:
        st.markdown(f"#### {t('dash.chart_quiet')}")
        quiet = _days_quiet(last_contacts(report["today"]))
        if len(quiet):
            st.bar_chart(quiet, horizontal=True)
        else:
            st.caption(t("dash.none_due"))
    with c2:
        st.markdown(f"#### {t('dash.chart_tiers')}")
        st.bar_chart(pd.DataFrame(
            {t("dash.count"): list(report["tiers"].values())},
            index=pd.Index([t(f"tier.{k}") for k in report["tiers"]], name=t("field.tier"))))
    with c3:
        st.markdown(f"#### {t('dash.chart_bank')}")
        bank = sorted(report["bank"], key=lambda b: -(b["given"] + b["received"]))[:15]
        st.bar_chart(pd.DataFrame(
            {t("value.given"): [b["given"] for b in bank],
             t("value.received"): [b["received"] for b in bank]},
            index=pd.Index([b["name"] for b in bank], name=t("field.name"))),
            stack=False, horizontal=True)
        warnings = [b["warning"] for b in report["bank"] if b.get("warning")]
        if warnings:
            with st.expander(t("dash.bank_warnings", n=len(warnings))):
                for w in warnings:
                    st.markdown(f"- {w}")

    introductions_panel()
