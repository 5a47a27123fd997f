"""The plan goes where the work happens: calendars, task trackers and CRMs.

Pure parts (no I/O): :mod:`~audit.handoff.records` (what is remembered),
:mod:`~audit.handoff.task` (what an action says outside the app),
:mod:`~audit.handoff.calendar` (``.ics``), :mod:`~audit.handoff.trackers`
(Jira and Asana CSV), :mod:`~audit.handoff.deadline` (due day -> deadline in
the audit's time zone), :mod:`~audit.handoff.address` (which URLs may be
called), :mod:`~audit.handoff.push` (what a push does with each action), and
the request/answer shapes of :mod:`~audit.handoff.bitrix24` and
:mod:`~audit.handoff.amocrm` (behind :mod:`~audit.handoff.remote`).

I/O: :mod:`~audit.handoff.vault` (the sealing key, from the environment or a
key file), :mod:`~audit.handoff.client` (one small HTTP client with timeouts,
a size limit, pacing and retries) and the adapters' calls through it. The
guarded operations are in :mod:`audit.services.handoff` and
:mod:`audit.services.push`.
"""
