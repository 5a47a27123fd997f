"""The plan goes where the work happens: calendars, task trackers and CRMs.

Pure parts (no I/O): :mod:`~audit.handoff.task` (what an action says outside
the app), :mod:`~audit.handoff.calendar` (``.ics``), :mod:`~audit.handoff.trackers`
(Jira and Asana CSV), :mod:`~audit.handoff.deadline` (due day -> deadline in the
audit's time zone), :mod:`~audit.handoff.address` (which URLs may be called),
:mod:`~audit.handoff.vault` (sealing secrets, masking, log redaction), and the
request/answer shapes of :mod:`~audit.handoff.bitrix24` and :mod:`~audit.handoff.amocrm`.

I/O at the edge: :mod:`~audit.handoff.client` (one small HTTP client with
timeouts, a size limit, pacing and retries), :mod:`~audit.handoff.push`
(pushes in steps, resumable) and :mod:`~audit.handoff.service` (guarded by the
owner's link).
"""
