"""The plan as files: a calendar that imports back with stable UIDs, Jira and Asana CSVs the importers take."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io

import pytest
from handoff_world import planned
from icalendar import Calendar

from audit.handoff.calendar import plan_ics
from audit.handoff.deadline import end_of_day, iso_end_of_day, server_time_zone, unix_end_of_day
from audit.handoff.task import plan_texts
from audit.handoff.trackers import ASANA_COLUMNS, JIRA_COLUMNS, asana_csv, jira_csv
from audit.model import Role, ValidationError
from audit.services import handoff as service
from audit.store import Store

HOSTILE = "=HYPERLINK(\"http://evil.example\",\"click\")"


@pytest.fixture
def db(sqlite_store: Store) -> Store:
    """The audit database of these tests: a SQLite file (conftest's ``sqlite_store``)."""
    return sqlite_store


def events(data: bytes) -> list:
    return Calendar.from_ical(data).walk("VEVENT")


def test_the_calendar_imports_back_with_one_event_per_action_and_stable_uids(db: Store) -> None:
    audit_id, links = planned(db, 7)
    owner = links[Role.OWNER]
    first = events(service.calendar_file(db, owner))
    assert len(first) == 7
    uids = [str(e["uid"]) for e in first]
    assert len(set(uids)) == 7 and all(u.endswith("@touchpoint-audit") for u in uids)
    event = first[0]
    assert event.decoded("dtstart") == dt.date(2025, 6, 1) and event.decoded("dtend") == dt.date(2025, 6, 2)
    assert str(event["summary"]) == "Touchpoint 0: Improve point 0"
    description = str(event["description"])
    assert "Owner: Head of sales" in description and "answer within 1 rings" in description and "Priority: 90.0" in description
    # Edit one action (what, due date, owner) and delete another: the others keep their UIDs, the edited one too.
    actions = db.actions(audit_id)
    changed = dataclasses.replace(actions[2], what="Retrain the phone team", due=dt.date(2025, 7, 1), owner="CEO")
    db.edit_actions(audit_id, save=[changed], delete=[actions[5].id])
    second = events(service.calendar_file(db, owner))
    by_uid = {str(e["uid"]): e for e in second}
    assert set(by_uid) == set(uids) - {uids[5]}
    assert "Retrain the phone team" in str(by_uid[uids[2]]["summary"]) and by_uid[uids[2]].decoded("dtstart") == dt.date(2025, 7, 1)


def test_the_calendar_never_holds_a_link_and_text_cannot_break_out(db: Store) -> None:
    audit_id, links = planned(db, 2)
    action = db.actions(audit_id)[0]
    db.edit_actions(audit_id, save=[dataclasses.replace(action, what="Call back\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:x")])
    data = service.calendar_file(db, links[Role.OWNER])
    assert len(events(data)) == 2
    text = data.decode()
    for token in links.values():
        assert token not in text
    assert "http" not in text and "?t=" not in text


def test_an_action_without_a_due_date_is_not_in_the_calendar(db: Store) -> None:
    audit_id, links = planned(db, 3)
    action = db.actions(audit_id)[1]
    db.edit_actions(audit_id, save=[dataclasses.replace(action, due=None)])
    assert len(events(service.calendar_file(db, links[Role.OWNER]))) == 2


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"))))


def test_jira_and_asana_csvs_have_exactly_the_importers_columns(db: Store) -> None:
    _, links = planned(db, 4)
    jira, asana = service.jira_file(db, links[Role.OWNER]), service.asana_file(db, links[Role.OWNER])
    assert not jira.startswith(b"\xef\xbb\xbf") and not asana.startswith(b"\xef\xbb\xbf")
    jira_rows, asana_rows = read_csv(jira), read_csv(asana)
    assert jira_rows[0] == ["Summary", "Description", "Assignee", "Due date", "Priority", "Labels"] == list(JIRA_COLUMNS)
    assert asana_rows[0] == ["Name", "Description", "Assignee", "Due Date", "Section"] == list(ASANA_COLUMNS)
    assert len(jira_rows) == len(asana_rows) == 5
    assert jira_rows[1] == [
        "Touchpoint 0: Improve point 0", jira_rows[1][1], "Head of sales", "2025-06-01", "High", "touchpoint-audit"]
    assert [r[4] for r in jira_rows[1:]] == ["High", "Medium", "Low", "High"]
    assert asana_rows[2][3] == "2025-06-02" and asana_rows[2][4] == "This month"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_like_text_stays_text_in_both_csvs(db: Store, start: str) -> None:
    audit_id, links = planned(db, 1)
    action = db.actions(audit_id)[0]
    db.edit_actions(audit_id, save=[dataclasses.replace(action, what=start + HOSTILE[1:], owner=start + "cmd|' /C calc'!A0")])
    stored = db.actions(audit_id)[0].owner  # the model trims a leading tab or CR; = + - @ stay
    for data in (service.jira_file(db, links[Role.OWNER]), service.asana_file(db, links[Role.OWNER])):
        row = read_csv(data)[1]
        cells = [c for c in row if c]
        assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells), row
        assert row[2] == ("'" + stored if stored.startswith(("=", "+", "-", "@")) else stored)
        assert row[2].lstrip("'") == stored


def test_team_and_shopper_links_get_no_files(db: Store) -> None:
    _, links = planned(db, 2)
    for role in (Role.TEAM, Role.SHOPPER):
        for make in (service.calendar_file, service.jira_file, service.asana_file):
            with pytest.raises(Exception) as refused:
                make(db, links[role])
            assert type(refused.value).__name__ == "NotAllowed"


def test_texts_follow_the_audits_language(db: Store) -> None:
    audit_id, _ = planned(db, 1, language="ru")
    texts = plan_texts(db.actions(audit_id), db.catalog(audit_id), db.get_audit(audit_id))
    assert texts[0].title.startswith("Точка 0") and "Ответственный: Head of sales" in texts[0].description
    assert plan_ics(texts, db.get_audit(audit_id)).count(b"BEGIN:VEVENT") == 1
    assert jira_csv(texts).count(b"\r\n") >= 2 and asana_csv(texts)


# ------------------------------------------------------------------ deadlines in the audit's time zone


def test_the_deadline_is_the_end_of_the_due_day_in_the_zone_with_daylight_saving() -> None:
    assert iso_end_of_day(dt.date(2025, 6, 30), "Europe/Moscow") == "2025-06-30T23:59:59+03:00"
    assert iso_end_of_day(dt.date(2025, 1, 15), "Europe/Berlin") == "2025-01-15T23:59:59+01:00"
    assert iso_end_of_day(dt.date(2025, 7, 15), "Europe/Berlin") == "2025-07-15T23:59:59+02:00"
    assert unix_end_of_day(dt.date(2025, 6, 30), "UTC") == int(dt.datetime(2025, 6, 30, 23, 59, 59, tzinfo=dt.UTC).timestamp())
    assert end_of_day(dt.date(2025, 6, 30), "Asia/Vladivostok").utcoffset() == dt.timedelta(hours=10)


def test_the_audits_zone_is_stored_and_falls_back_to_the_server(db: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUDIT_TIME_ZONE", "Asia/Yekaterinburg")
    assert server_time_zone() == "Asia/Yekaterinburg"
    audit_id, links = planned(db, 1)
    assert service.overview(db, links[Role.OWNER]).zone == "Asia/Yekaterinburg"
    service.set_time_zone(db, links[Role.OWNER], "Europe/Samara")
    assert db.get_audit(audit_id).time_zone == "Europe/Samara" and service.overview(db, links[Role.OWNER]).zone == "Europe/Samara"
    with pytest.raises(ValidationError, match="time zone"):
        service.set_time_zone(db, links[Role.OWNER], "Mars/Olympus")
    with pytest.raises(ValidationError):
        service.set_time_zone(db, links[Role.OWNER], "../../etc/passwd")
    assert db.get_audit(audit_id).time_zone == "Europe/Samara"
    monkeypatch.setenv("AUDIT_TIME_ZONE", "Not/AZone")
    assert server_time_zone() != "Not/AZone"
    with pytest.raises(Exception) as refused:
        service.set_time_zone(db, links[Role.TEAM], "UTC")
    assert type(refused.value).__name__ == "NotAllowed" and db.get_audit(audit_id).time_zone == "Europe/Samara"
