"""The mystery shopper's report (shopper link): made for a phone, every change saved at once as a draft.

The shopper names themself once; their id is in the URL (``p``), and so are
the visit being filled (``v``) and the touchpoints picked for it (``tps``):
a refresh, a dropped mobile connection or another device with the same link
continues where they were. Each detail, reaction, note and measurement is
saved to the draft the moment it changes (nothing waits for a final
button); a measurement that is not a number, a date in the future or a file
that is not a photo is answered next to the field and stores nothing. After
"Submit" the visit is the owner's to review and the shopper can only read it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from audit import services
from audit.i18n import t
from audit.model import (
    Catalog,
    Participant,
    Reaction,
    ShopperVisit,
    Standard,
    StandardKind,
    ValidationError,
    VisitChannel,
    VisitStatus,
)
from audit.photos import MAX_PHOTO_BYTES
from audit.services.access import NotAParticipant, NotYourVisit
from audit.services.permissions import Permission
from audit.shopper_report import observation_from_input, planned, route, to_local, to_utc, touchpoints_for_channel
from audit.ui import common, errors, visit_card
from audit.ui.common import PageContext
from audit.ui.text import plain, shorten

PHOTO_TYPES = ["jpg", "jpeg", "png", "heic", "heif"]
# The uploader's own limit is server.maxUploadSize (.streamlit/config.toml, 10 MB): above our 8 MB photo limit,
# so a photo of 8-10 MB reaches the server and gets our clear message; a bigger one is refused by the
# uploader itself. (A per-widget max_upload_size above the server's limit is not honoured by the upload
# endpoint in Streamlit 1.67: the browser would get a bare HTTP 413.)
EDITABLE = (VisitStatus.DRAFT, VisitStatus.REVISION)
PROBLEMS = "_shopper_problems"  # messages shown next to the field they are about (per browser session)
# Static CSS (never user text): the uploader's own "10MB per file" line would contradict our 8 MB limit,
# which the caption above it states; the uploader's limit is only there so our clear message is shown.
_UPLOADER_CSS = "<style>[class*='st-key-photo-'] [data-testid='stFileUploaderDropzoneInstructions'] {display: none;}</style>"


# ------------------------------------------------------------------ messages


# The shopper's own words for the refusals a phone form meets most, by rule (field and message key).
SHOPPER_WORDS = {
    ("measurement", "rule.negative"): "shopper.error_negative",
    ("measurement", "rule.number"): "shopper.error_number",
    ("measurement", "rule.finite"): "shopper.error_number",
    ("visited_at", "rule.future_visit"): "shopper.error_future",
    ("observations", "rule.need_observation"): "shopper.error_empty",
    ("recommend", "rule.whole_number"): "shopper.error_recommend",
    ("", "store.visit_locked"): "shopper.error_locked",
}


def say(err: BaseException, lang: str) -> str:
    """A refusal in the shopper's words and language (the shared wording otherwise); unexpected errors are logged."""
    key = getattr(err, "key", "")
    field = err.field if isinstance(err, ValidationError) else ""
    words = SHOPPER_WORDS.get((field, key))
    if words is not None and isinstance(err, errors.EXPECTED):
        return t(words, lang)
    return errors.message(err, lang, "shopper")


def _problem(slot: str, text: str) -> None:
    st.session_state.setdefault(PROBLEMS, {})[slot] = text


def _show_problem(slot: str) -> bool:
    text = st.session_state.get(PROBLEMS, {}).pop(slot, None)
    if text:
        st.error(text, icon=":material/error:")
    return bool(text)


def _attempt(slot: str, lang: str, work: Callable[[], Any]) -> Any:
    """Run a save for a callback; a refusal is kept to be shown next to ``slot``."""
    try:
        return work()
    except Exception as err:
        _problem(slot, say(err, lang))
    return None


def _saved_now() -> None:
    st.session_state["_visit_saved_at"] = dt.datetime.now().strftime("%H:%M:%S")


# ------------------------------------------------------------------ page


def render() -> None:
    ctx = common.open_page("shopper", Permission.SHOPPER_VISIT)
    errors.flash()
    person = _person(ctx)
    if person is None:
        return
    wanted = st.query_params.get("v")
    if wanted:
        try:
            visit = services.visits.my_visit(ctx.store, ctx.token, person.id, wanted)
        except NotYourVisit:
            st.warning(t("access.not_your_visit", ctx.lang), icon=":material/lock:")
            _leave_visit()
        else:
            editor(ctx, person, visit)
            return
    visit_list(ctx, person)


def _person(ctx: PageContext) -> Participant | None:
    lang = ctx.lang
    pid = st.query_params.get("p")
    if pid:
        try:
            return services.access.shopper(ctx.store, ctx.access, pid)
        except NotAParticipant:
            st.warning(t("access.not_participant", lang), icon=":material/person_off:")
            del st.query_params["p"]
            st.query_params.pop("v", None)
    st.title(plain(ctx.audit.name))
    st.markdown(t("shopper.join_intro", lang))
    with st.form("join_shopper", border=True):
        name = st.text_input(t("rate.your_name", lang), max_chars=120, placeholder=t("shopper.name_placeholder", lang))
        go = st.form_submit_button(t("shopper.start", lang), type="primary", key="join_go")
    if go:
        try:
            person = services.visits.join_shopper(ctx.store, ctx.token, name)
        except Exception as err:  # refused: show why, keep the form
            errors.show(err, lang, "shopper")
            return None
        st.query_params["p"] = person.id
        st.rerun()
    return None


def _leave_visit() -> None:
    st.query_params.pop("v", None)
    st.query_params.pop("tps", None)


# ------------------------------------------------------------------ the list of my visits


def visit_list(ctx: PageContext, person: Participant) -> None:
    lang = ctx.lang
    zone = visit_card.browser_zone()
    st.title(plain(ctx.audit.name))
    st.caption(t("shopper.you_are", lang, name=plain(person.name)))
    done = st.session_state.pop("_visit_submitted", None)
    if done:
        st.success(t("shopper.submitted", lang), icon=":material/send:")
    mine = services.visits.my_visits(ctx.store, ctx.token, person.id)
    _new_visit(ctx, person, zone, expanded=not mine)
    st.subheader(t("shopper.my_visits", lang), anchor=False)
    if not mine:
        st.caption(t("shopper.no_visits", lang))
    order = {s: i for i, s in enumerate((VisitStatus.REVISION, VisitStatus.DRAFT, VisitStatus.SUBMITTED, VisitStatus.ACCEPTED, VisitStatus.REJECTED))}
    for visit in sorted(mine, key=lambda v: (order[v.status], -v.visited_at.timestamp())):
        with st.container(border=True, key=f"my_visit_{visit.id}"):
            visit_card.heading(visit, lang, zone)
            st.caption(t("shopper.observed_n", lang, n=len(visit.observations)))
            if visit.status in (VisitStatus.REVISION, VisitStatus.REJECTED) and visit.review_note:
                st.markdown(f"**{t('visit.review_note', lang)}:** {plain(visit.review_note)}")
            label = t("shopper.continue", lang) if visit.status in EDITABLE else t("shopper.open", lang)
            st.button(label, key=f"open_{visit.id}", on_click=_open_visit, args=(visit.id,),
                      icon=":material/edit:" if visit.status in EDITABLE else ":material/visibility:")
    _personal_link(ctx, person)


def _open_visit(visit_id: int) -> None:
    st.query_params["v"] = str(visit_id)
    st.query_params.pop("tps", None)


def _target_options(ctx: PageContext) -> list[str]:
    return ["", *ctx.audit.competitors]


def _new_visit(ctx: PageContext, person: Participant, zone: str | None, *, expanded: bool) -> None:
    lang = ctx.lang
    now = to_local(dt.datetime.now(dt.UTC), zone)
    with st.expander(t("shopper.new_visit", lang), icon=":material/add_location_alt:", expanded=expanded):
        with st.form("new_visit", border=False):
            target = st.selectbox(t("shopper.target", lang), _target_options(ctx), key="new_target",
                                  format_func=lambda x: visit_card.target_label(x, lang))
            channel = st.selectbox(t("shopper.channel", lang), [c.value for c in VisitChannel], key="new_channel",
                                   format_func=lambda c: t(f"visit_channel.{c}", lang))
            with st.container(horizontal=True, gap="small"):
                day = st.date_input(t("shopper.date", lang), value=now.date(), format="YYYY-MM-DD", key="new_date")
                time = st.time_input(t("shopper.time", lang), value=now.time().replace(second=0, microsecond=0), step=300,
                                     key="new_time")
            location = st.text_input(t("shopper.location", lang), max_chars=300, placeholder=_place_hint(ctx), key="new_location")
            go = st.form_submit_button(t("shopper.begin", lang), type="primary", icon=":material/play_arrow:", key="new_go")
        if go:
            try:
                visit = services.visits.start_visit(ctx.store, ctx.token, person.id, target=target, channel=channel,
                                           visited_at=to_utc(day, time, zone), location=location)
            except Exception as err:  # refused: say why, nothing was stored
                st.error(say(err, lang), icon=":material/error:")
            else:
                _open_visit(int(visit.id or 0))
                st.rerun()


def _place_hint(ctx: PageContext) -> str:
    if ctx.audit.locations:
        return t("shopper.location_example", ctx.lang, place=shorten(ctx.audit.locations[0], 60))
    return t("shopper.location_placeholder", ctx.lang)


def _personal_link(ctx: PageContext, person: Participant) -> None:
    with st.expander(t("rate.other_device", ctx.lang), icon=":material/devices:"):
        url = common.link(ctx.token, person.id)
        st.caption(t("shopper.other_device_help", ctx.lang))
        st.code(url, language=None, wrap_lines=True)
        common.qr(url, width=180)


# ------------------------------------------------------------------ one visit


def editor(ctx: PageContext, person: Participant, visit: ShopperVisit) -> None:
    lang, clang = ctx.lang, ctx.clang
    zone = visit_card.browser_zone()
    catalog = common.catalog(ctx)
    standards = services.visits.measures(ctx.store, ctx.token)
    st.button(t("shopper.back", lang), icon=":material/arrow_back:", on_click=_leave_visit, key="back_to_list")
    visit_card.heading(visit, lang, zone)
    if visit.status not in EDITABLE:
        st.info(t("shopper.locked", lang), icon=":material/lock:")
        visit_card.details(visit, lang)
        visit_card.observations(visit, catalog, standards, lang, clang, judge=False)
        visit_card.thumbnails(services.visits.my_photos(ctx.store, ctx.token, person.id, visit.id), lang)
        return
    if visit.status is VisitStatus.REVISION:
        st.warning(t("shopper.revision", lang, note=plain(visit.review_note) or "—"), icon=":material/undo:")
    saved = st.session_state.get("_visit_saved_at")
    st.caption(t("shopper.autosave", lang) + (" " + t("rate.saved_at", lang, time=saved) if saved else ""))

    args = (ctx.token, person.id, int(visit.id or 0), lang)
    _details(ctx, visit, zone, args)
    st.subheader(t("shopper.touchpoints", lang), anchor=False)
    _pickers(ctx, visit, catalog, clang)
    shown = planned(visit, _picked(), catalog)
    if not shown:
        st.caption(t("shopper.pick_first", lang))
    by_id = catalog.by_id()
    stored = {o.touchpoint_id: o for o in visit.observations}
    for tp_id in shown:
        observation_card(args, by_id[tp_id], stored.get(tp_id), standards.get(tp_id), clang)
    _photos(ctx, person, visit, catalog, clang, args)
    _recommend(visit, args)
    _submit(visit, args)


def _picked() -> list[str]:
    raw = st.query_params.get("tps") or ""
    return [x for x in raw.split(",") if x][:200]


def _pick(*touchpoint_ids: str) -> None:
    now = _picked()
    for tp_id in touchpoint_ids:
        if tp_id not in now:
            now.append(tp_id)
    st.query_params["tps"] = ",".join(now)


def _unpick(touchpoint_id: str) -> None:
    st.query_params["tps"] = ",".join(x for x in _picked() if x != touchpoint_id)


# ------------------------------------------------------------------ details of the visit


def _details(ctx: PageContext, visit: ShopperVisit, zone: str | None, args: tuple) -> None:
    lang = ctx.lang
    vid = visit.id
    local = to_local(visit.visited_at, zone)
    with st.expander(t("shopper.details", lang), icon=":material/tune:", expanded=not visit.observations):
        _show_problem("details")
        options = _target_options(ctx)
        st.selectbox(
            t("shopper.target", lang), options, index=options.index(visit.target) if visit.target in options else 0,
            format_func=lambda x: visit_card.target_label(x, lang), key=f"v_target:{vid}",
            on_change=_save_detail, args=(*args, "target", zone),
        )
        channels = [c.value for c in VisitChannel]
        st.selectbox(
            t("shopper.channel", lang), channels, index=channels.index(visit.channel.value),
            format_func=lambda c: t(f"visit_channel.{c}", lang), key=f"v_channel:{vid}",
            on_change=_save_detail, args=(*args, "channel", zone),
        )
        with st.container(horizontal=True, gap="small"):
            st.date_input(t("shopper.date", lang), value=local.date(), format="YYYY-MM-DD", key=f"v_date:{vid}",
                          on_change=_save_detail, args=(*args, "date", zone))
            st.time_input(t("shopper.time", lang), value=local.time().replace(second=0, microsecond=0), step=300,
                          key=f"v_time:{vid}", on_change=_save_detail, args=(*args, "time", zone))
        st.text_input(t("shopper.location", lang), value=visit.location, max_chars=300, placeholder=_place_hint(ctx),
                      key=f"v_location:{vid}", on_change=_save_detail, args=(*args, "location", zone))
        st.text_area(t("shopper.scenario", lang), value=visit.scenario, max_chars=5000, height=90,
                     placeholder=t("shopper.scenario_placeholder", lang), key=f"v_scenario:{vid}",
                     on_change=_save_detail, args=(*args, "scenario", zone))


def _save_detail(token: str, pid: str, vid: int, lang: str, part: str, zone: str | None) -> None:
    """Callback: save one detail of the draft now; on a refusal put the stored value back and say why."""
    db = common.store()
    state = st.session_state

    def save() -> Any:  # reading the date and time is inside the attempt: a bad one is a refusal like any other
        changes: dict[str, Any]
        if part in ("date", "time"):
            changes = {"visited_at": to_utc(state.get(f"v_date:{vid}"), state.get(f"v_time:{vid}"), zone)}
        else:
            changes = {part: state.get(f"v_{part}:{vid}") or ""}
        return services.visits.update_visit(db, token, pid, vid, **changes)

    saved = _attempt("details", lang, save)
    if saved is not None:
        _saved_now()
        return
    try:
        current = services.visits.my_visit(db, token, pid, vid)
    except Exception as err:  # nothing to put back (the refusal is shown already); a bug still reaches the log
        if not isinstance(err, errors.EXPECTED):
            errors.unexpected(err, lang, "shopper")
        return
    local = to_local(current.visited_at, zone)
    state[f"v_date:{vid}"] = local.date()
    state[f"v_time:{vid}"] = local.time().replace(second=0, microsecond=0)
    if part in ("target", "channel", "location", "scenario"):
        value = getattr(current, part)
        state[f"v_{part}:{vid}"] = value.value if part == "channel" else value


# ------------------------------------------------------------------ picking touchpoints


def _pickers(ctx: PageContext, visit: ShopperVisit, catalog: Catalog, clang: str) -> None:
    lang = ctx.lang
    vid = visit.id
    if catalog.chains:
        route_key = f"route:{vid}"

        def follow() -> None:
            chosen = st.session_state.get(route_key)
            if chosen:
                _pick(*[tp.id for tp in route(catalog, chosen)])
            st.session_state[route_key] = None

        st.selectbox(
            t("shopper.route", lang), [c.id for c in catalog.chains], index=None, key=route_key, on_change=follow,
            format_func=lambda cid: shorten(next(c.name.get(clang) for c in catalog.chains if c.id == cid), 80),
            placeholder=t("shopper.route_placeholder", lang), help=t("shopper.route_help", lang),
        )
    shown = set(planned(visit, _picked(), catalog))
    fits = [(tp, fit) for tp, fit in touchpoints_for_channel(catalog, visit.channel) if tp.id not in shown]
    labels = {tp.id: ("● " if fit == 2 else "") + shorten(tp.name.get(clang), 70) for tp, fit in fits}
    add_key = f"add_tp:{vid}"

    def added() -> None:
        chosen = st.session_state.get(add_key)
        if chosen:
            _pick(chosen)
        st.session_state[add_key] = None

    st.selectbox(
        t("shopper.add_touchpoint", lang), list(labels), index=None, key=add_key, on_change=added,
        format_func=lambda i: labels.get(i, i), placeholder=t("shopper.add_placeholder", lang),
        help=t("shopper.add_help", lang, channel=t(f"visit_channel.{visit.channel.value}", lang)),
    )


# ------------------------------------------------------------------ one observation


def observation_card(args: tuple, tp: Any, stored: Any, standard: Standard | None, clang: str) -> None:
    _token, _pid, vid, lang = args
    keys = {part: f"obs_{part}:{vid}:{tp.id}" for part in ("reaction", "text", "measurement")}
    if standard is not None and standard.kind is StandardKind.CHECKLIST:
        keys["items"] = str(len(standard.items))
    with st.container(border=True, key=f"obs_{vid}_{tp.id}"):
        st.caption(t(f"category.{tp.category.value}", lang))
        st.markdown(f"**{plain(tp.name.get(clang))}**")
        question = tp.question.get(clang)
        if question:
            st.caption(plain(question))
        st.segmented_control(
            t("shopper.reaction", lang), [r.value for r in Reaction], format_func=lambda v: t(f"reaction.{v}", lang),
            default=stored.reaction.value if stored else None, key=keys["reaction"],
            on_change=_save_observation, args=(*args, tp.id, keys),
        )
        st.text_area(
            t("shopper.what_happened", lang), value=stored.text if stored else "", max_chars=5000, height=80,
            placeholder=t("shopper.what_happened_placeholder", lang), key=keys["text"],
            on_change=_save_observation, args=(*args, tp.id, keys),
        )
        if standard is not None:
            _standard_answer(args, tp.id, keys, stored, standard, clang)
        refused = _show_problem(f"obs:{tp.id}")
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            if refused:
                st.caption(t("shopper.not_saved", lang))
            elif stored is not None:
                st.caption(t("rate.saved", lang))
            else:
                st.caption(t("shopper.needs_reaction", lang))
            st.button(t("shopper.remove", lang), key=f"obs_remove:{vid}:{tp.id}", icon=":material/delete:",
                      on_click=_remove_observation, args=(*args, tp.id), type="tertiary")


def _standard_answer(args: tuple, tp_id: str, keys: dict[str, str], stored: Any, standard: Standard, clang: str) -> None:
    """The control that fits the standard's kind: a number, yes or no, or a checkbox per checklist item."""
    lang = args[3]
    metric = plain(standard.metric.get(clang))
    if standard.kind is StandardKind.YES_NO:
        value = None if stored is None or stored.measurement is None else f"{stored.measurement:g}"
        st.segmented_control(t("shopper.yes_no", lang, metric=metric), ["1", "0"], default=value, key=keys["measurement"],
                             format_func=lambda v: t("shopper.answer_yes" if v == "1" else "shopper.answer_no", lang),
                             on_change=_save_observation, args=(*args, tp_id, keys))
    elif standard.kind is StandardKind.CHECKLIST:
        st.caption(t("shopper.checklist", lang, metric=metric))
        ticked = set(stored.checked or ()) if stored is not None else set()
        for i, item in enumerate(standard.items):
            st.checkbox(plain(item.get(clang)), value=i in ticked, key=f"{keys['measurement']}:{i}",
                        on_change=_save_observation, args=(*args, tp_id, keys))
    else:
        value = "" if stored is None or stored.measurement is None else f"{stored.measurement:g}"
        st.text_input(
            t("shopper.measurement", lang, metric=metric, unit=plain(standard.unit.get(clang)) or "—"),
            value=value, key=keys["measurement"], placeholder=t("shopper.measurement_placeholder", lang),
            on_change=_save_observation, args=(*args, tp_id, keys),
        )


def _save_observation(token: str, pid: str, vid: int, lang: str, tp_id: str, keys: dict[str, str]) -> None:
    state = st.session_state
    db = common.store()
    items = int(keys.get("items", 0))  # a checklist standard: its checkboxes are the answer
    checked = [i for i in range(items) if state.get(f"{keys['measurement']}:{i}")] if items else None

    def work() -> Any:
        observation = observation_from_input(tp_id, state.get(keys["reaction"]), state.get(keys["text"]) or "",
                                             None if items else state.get(keys["measurement"]))
        if observation is None:
            return None  # kept on screen until a reaction is chosen; nothing to store yet
        if checked is not None:
            observation = dataclasses.replace(observation, checked=tuple(checked))
        return services.visits.save_observation(db, token, pid, vid, observation)

    if _attempt(f"obs:{tp_id}", lang, work) is not None:
        _saved_now()


def _remove_observation(token: str, pid: str, vid: int, lang: str, tp_id: str) -> None:
    db = common.store()
    current = _attempt(f"obs:{tp_id}", lang, lambda: services.visits.my_visit(db, token, pid, vid))
    if current is None:
        return
    if any(o.touchpoint_id == tp_id for o in current.observations):
        if _attempt(f"obs:{tp_id}", lang, lambda: services.visits.remove_observation(db, token, pid, vid, tp_id)) is None:
            return
        _saved_now()
    _unpick(tp_id)
    for part in ("reaction", "text", "measurement"):
        st.session_state.pop(f"obs_{part}:{vid}:{tp_id}", None)
    for key in [k for k in st.session_state if str(k).startswith(f"obs_measurement:{vid}:{tp_id}:")]:  # checklist items
        st.session_state.pop(key, None)


# ------------------------------------------------------------------ photos, recommendation, submit


def _photos(ctx: PageContext, person: Participant, visit: ShopperVisit, catalog: Catalog, clang: str, args: tuple) -> None:
    lang = ctx.lang
    vid = visit.id
    st.subheader(t("shopper.photos", lang), anchor=False)
    st.caption(t("shopper.photos_help", lang, limit=MAX_PHOTO_BYTES // (1024 * 1024)))
    st.html(_UPLOADER_CSS)
    _show_problem("photo")
    observed = [o.touchpoint_id for o in visit.observations]
    by_id = catalog.by_id()
    if observed:
        st.selectbox(
            t("shopper.photo_of", lang), ["", *observed], key=f"photo_tp:{vid}",
            format_func=lambda i: shorten(by_id[i].name.get(clang), 70) if i else t("shopper.photo_whole_visit", lang),
        )
    counter = st.session_state.setdefault(f"_photo_n:{vid}", 0)
    key = f"photo:{vid}:{counter}"
    st.file_uploader(t("shopper.photo_upload", lang), type=PHOTO_TYPES, key=key, on_change=_upload, args=(*args, key))
    photos = services.visits.my_photos(ctx.store, ctx.token, person.id, vid)
    if photos:
        with st.container(horizontal=True, gap="small", key=f"my_photos_{vid}"):
            for photo in photos:
                with st.container(width=150, gap="small"):
                    st.image(photo["thumbnail"], width=140)
                    caption = by_id[photo["touchpoint_id"]].name.get(clang) if photo["touchpoint_id"] in by_id else ""
                    if caption:
                        st.caption(plain(shorten(caption, 40)))
                    st.button(t("shopper.remove", lang), key=f"photo_remove:{photo['id']}", icon=":material/delete:",
                              on_click=_remove_photo, args=(*args, photo["id"]), type="tertiary")


def _upload(token: str, pid: str, vid: int, lang: str, key: str) -> None:
    state = st.session_state
    file = state.get(key)
    if file is None:
        return
    data = file.getvalue()
    db = common.store()
    tp_id = state.get(f"photo_tp:{vid}") or None
    try:
        services.visits.add_photo(db, token, pid, vid, data, tp_id)
    except Exception as err:  # a photo refused (shopper.photo_<why>) or anything else: said next to the uploader
        _problem("photo", say(err, lang))
    else:
        _saved_now()
    state[f"_photo_n:{vid}"] = state.get(f"_photo_n:{vid}", 0) + 1  # a fresh, empty uploader


def _remove_photo(token: str, pid: str, vid: int, lang: str, photo_id: int) -> None:
    db = common.store()
    if _attempt("photo", lang, lambda: errors.done(services.visits.remove_photo, db, token, pid, vid, photo_id)):
        _saved_now()


def _recommend(visit: ShopperVisit, args: tuple) -> None:
    token, pid, vid, lang = args
    key = f"v_recommend:{vid}"

    def changed() -> None:
        value = st.session_state.get(key)
        db = common.store()
        if _attempt("recommend", lang, lambda: services.visits.update_visit(db, token, pid, vid, recommend=value)) is not None:
            _saved_now()

    st.pills(
        t("shopper.recommend", lang), list(range(11)), default=visit.recommend, key=key, on_change=changed,
        help=t("shopper.recommend_help", lang),
    )
    _show_problem("recommend")


def _submit(visit: ShopperVisit, args: tuple) -> None:
    token, pid, vid, lang = args

    def send() -> None:
        db = common.store()
        if _attempt("submit", lang, lambda: services.visits.submit_visit(db, token, pid, vid)) is not None:
            st.session_state["_visit_submitted"] = vid
            _leave_visit()

    st.divider()
    _show_problem("submit")
    st.caption(t("shopper.submit_help", lang))
    st.button(t("shopper.submit", lang), type="primary", icon=":material/send:", on_click=send, key=f"submit:{vid}")
