"""The due follow-ups as an iCalendar file: one all-day VEVENT per person, with a VALARM
reminder, so any calendar app shows who to write to and why."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from icalendar import Alarm, Calendar, Event

PRODID = "-//coach//networking coach//ES"


def export(state: dict[str, Any]) -> str:
    review = state.get("review") or {}
    today = date.fromisoformat(review.get("today") or date.today().isoformat())
    stamp = datetime.fromisoformat(state.get("exported_at") or datetime.now().isoformat())
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "coach: follow-ups" if review.get("lang") == "en"
            else "coach: seguimientos")
    for item in review.get("due") or []:
        cal.add_component(_event(item, today, stamp))
    return cal.to_ical().decode("utf-8")


def _event(item: dict[str, Any], today: date, stamp: datetime) -> Event:
    day = max(date.fromisoformat(item["due_on"]), today)
    event = Event()
    event.add("uid", f"coach-follow-up-{item['contact_id']}-{item['due_on']}@coach.local")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", f"{item['name']}: {item['action_text']}")
    event.add("description", f"{item.get('reason', '')}\ncard: {item['card_id']}".strip())
    event.add("categories", ["coach", item.get("tier", "")])
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", item["action_text"])
    alarm.add("trigger", timedelta(hours=9))
    event.add_component(alarm)
    return event
