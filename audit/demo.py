"""A realistic demo audit: a team that mostly agrees, sometimes not, and outside evidence.

The numbers are made up but shaped like a real workshop: every touchpoint has a
hidden "true" importance and quality; each rater sees it through their own job
(bias) and mood (noise), so ratings are plausible, not uniform, and some
touchpoints are disputed. The raters work in sales and in service, taking
turns; the two departments see how fast the phone is answered as far apart
as the scales allow (sales: 10 and positive; service: 1 and negative). Mystery shoppers visit us and each competitor;
competitor notes and channel money for a few advertising touchpoints are filled
in. Everything goes through :class:`audit.store.Store`, the same code path the
app uses.
"""

from __future__ import annotations

import datetime as dt
import io
import random

from PIL import Image, ImageDraw

from audit.catalog import bundled
from audit.i18n import numbered, t
from audit.languages import LANGUAGES, supported
from audit.model import (
    Audit,
    ChannelEconomics,
    CompetitorNote,
    Observation,
    Presence,
    Rating,
    Reaction,
    Role,
    ShopperVisit,
    Touchpoint,
    Versus,
    VisitChannel,
    VisitStatus,
)
from audit.photos import check_photo
from audit.store import Store

# Demo texts are message keys (demo.*) in every language's file: lists are numbered keys.
NAMES = {lang: numbered("demo.rater", lang) for lang in LANGUAGES}
SHOPPERS = {lang: numbered("demo.shopper", lang) for lang in LANGUAGES}
BUSINESS = {lang: t("demo.business", lang) for lang in LANGUAGES}
COMPETITORS = {lang: numbered("demo.competitor", lang) for lang in LANGUAGES}
COMMENTS = {lang: {r: numbered(f"demo.comment_{r.value}", lang) for r in Reaction} for lang in LANGUAGES}
IDEAS = {lang: numbered("demo.idea", lang) for lang in LANGUAGES}
SCENARIO = {lang: t("demo.scenario", lang) for lang in LANGUAGES}
BORROW = {lang: t("demo.borrow", lang) for lang in LANGUAGES}
DEPARTMENTS = ("sales", "service")  # two departments in the demo room, in turn
SPLIT = "staff-phone-answer-speed"  # the touchpoint the two departments see as far apart as the scales allow

CHANNEL_BY_CATEGORY = {
    "office": VisitChannel.IN_PERSON,
    "product": VisitChannel.IN_PERSON,
    "technology": VisitChannel.WEBSITE,
    "staff": VisitChannel.PHONE,
}


def _demo_photo(rng: random.Random) -> bytes:
    """A small made-up picture (a shop front: wall, window, door) as JPEG bytes."""
    wall = tuple(rng.randint(150, 220) for _ in range(3))
    image = Image.new("RGB", (640, 480), wall)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 380, 640, 480), fill=(90, 90, 95))
    draw.rectangle((60, 140, 330, 360), fill=(170, 205, 230), outline=(60, 60, 60), width=6)
    draw.rectangle((400, 160, 540, 380), fill=(120, 70, 40), outline=(50, 30, 20), width=6)
    draw.rectangle((60, 40, 580, 110), fill=(40, 60, 140))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def _reaction(quality: float, rng: random.Random) -> Reaction:
    """Quality in [-1, 1] plus a rater's noise -> a reaction."""
    seen = quality + rng.gauss(0, 0.45)
    if seen > 0.3:
        return Reaction.POSITIVE
    if seen < -0.3:
        return Reaction.NEGATIVE
    return Reaction.NEUTRAL


def _measurement(tp: Touchpoint, quality: float, rng: random.Random) -> float | None:
    if tp.standard is None:
        return None
    threshold = tp.standard.threshold or 1.0
    # Good touchpoints usually meet their standard, bad ones usually miss it.
    factor = max(0.2, 1.0 - quality * 0.6 + rng.gauss(0, 0.25))
    value = threshold * factor
    return round(value) if threshold >= 3 else round(value, 1)


def create_demo(
    store: Store, *, catalog_id: str = "retail", raters: int = 8, seed: int = 1, language: str = "en"
) -> tuple[Audit, dict[Role, str]]:
    """Create the demo audit; returns it and its owner/team/shopper links."""
    if not 1 <= raters <= 200:
        raise ValueError("raters: must be from 1 to 200")
    rng = random.Random(seed)
    catalog = bundled(catalog_id)
    lang = supported(language)
    audit, links = store.create_audit(
        BUSINESS[lang], catalog, language=lang, locations=["Main street 1"], competitors=COMPETITORS[lang]
    )
    truth = {tp.id: (min(10, max(1, rng.gauss(6.5, 2.0))), max(-1.0, min(1.0, rng.gauss(0.15, 0.55)))) for tp in catalog.touchpoints}
    disputed = set(rng.sample([tp.id for tp in catalog.touchpoints], k=max(1, len(catalog.touchpoints) // 10)))
    names = NAMES[lang]
    split = next((tp.id for tp in catalog.touchpoints if tp.id == SPLIT), None)
    for index in range(raters):
        name = names[index % len(names)] + (f" {index // len(names) + 1}" if index >= len(names) else "")
        department = DEPARTMENTS[index % len(DEPARTMENTS)]
        person = store.add_participant(audit.id, name, Role.TEAM, department=department)
        bias = rng.gauss(0, 0.8)
        diligence = rng.uniform(0.75, 1.0)  # share of the catalog this person gets through
        for tp in catalog.touchpoints:
            skipped = rng.random() > diligence
            if skipped and tp.id != split:
                continue
            importance, quality = truth[tp.id]
            if tp.id in disputed:  # the room splits on these
                quality = quality + (0.9 if index % 2 else -0.9)
                importance = importance + (2 if index % 2 else -2)
            if rng.random() < 0.03 and tp.id != split:
                store.save_rating(Rating(audit.id, person.id, tp.id, not_applicable=True))
                continue
            reaction = _reaction(quality, rng)
            if tp.id == split:  # sales take every call as a sale; service hears the complaints behind them
                reaction = Reaction.POSITIVE if department == "sales" else Reaction.NEGATIVE
            presence = Presence.HAVE if quality > -0.8 or rng.random() < 0.7 else Presence.MISSING
            comment = rng.choice(COMMENTS[lang][reaction]) if rng.random() < 0.12 else ""
            idea = rng.choice(IDEAS[lang]) if reaction is Reaction.NEGATIVE and rng.random() < 0.3 else ""
            given = round(min(10, max(1, importance + bias + rng.gauss(0, 1.1))))
            if tp.id == split:
                given = 10 if department == "sales" else 1
            store.save_rating(
                Rating(audit.id, person.id, tp.id, importance=given, reaction=reaction, presence=presence, comment=comment, idea=idea)
            )
    _shopper_evidence(store, audit, catalog.touchpoints, truth, rng, lang)
    return audit, links


def _shopper_evidence(
    store: Store, audit: Audit, touchpoints: tuple[Touchpoint, ...], truth: dict[str, tuple[float, float]],
    rng: random.Random, lang: str,
) -> None:
    shoppers = [store.add_participant(audit.id, name, Role.SHOPPER) for name in SHOPPERS[lang]]
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    targets = ["", *audit.competitors]
    for number, target in enumerate(targets * 2):
        shopper = shoppers[number % len(shoppers)]
        picked = rng.sample(list(touchpoints), k=min(8, len(touchpoints)))
        edge = 0.0 if not target else rng.choice([-0.5, 0.3, 0.6])  # competitors differ
        observations = []
        for tp in picked:
            quality = truth[tp.id][1] + edge
            # Shoppers are harsher than the team on some touchpoints: blind spots.
            if not target and rng.random() < 0.3:
                quality -= 0.8
            reaction = _reaction(quality, rng)
            observations.append(
                Observation(tp.id, reaction, rng.choice(COMMENTS[lang][reaction]), _measurement(tp, quality, rng))
            )
        channel = CHANNEL_BY_CATEGORY[picked[0].category.value]
        visit = store.save_visit(
            ShopperVisit(
                None, audit.id, shopper.id, now - dt.timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 8)), channel,
                target=target, location="Main street 1" if not target else "", recommend=rng.randint(3, 10),
                scenario=SCENARIO[lang],
                observations=tuple(observations), status=VisitStatus.SUBMITTED,
            )
        )
        if number >= len(targets) + 1:  # waiting for review, with a photo checked and cleaned like a shopper's upload
            photo = check_photo(_demo_photo(rng))
            store.add_photo(int(visit.id or 0), photo.mime, photo.data, photo.thumbnail, observations[0].touchpoint_id)
        if number < len(targets) + 1:
            store.review_visit(audit.id, visit.id, VisitStatus.ACCEPTED)  # type: ignore[arg-type]
    for competitor in audit.competitors:
        for tp in rng.sample(list(touchpoints), k=min(12, len(touchpoints))):
            versus = rng.choice([Versus.BETTER, Versus.SAME, Versus.WORSE])
            borrow = BORROW[lang] if versus is Versus.BETTER else ""
            store.save_competitor_note(
                CompetitorNote(audit.id, competitor, tp.id, versus, _reaction(truth[tp.id][1], rng), borrow, "demo")
            )
    ads = [tp for tp in touchpoints if "ad" in tp.id.split("-") or "ads" in tp.id or "advert" in tp.id][:3]
    for tp in ads:
        spend = rng.choice([30_000, 60_000, 90_000])
        leads = rng.randint(20, 80)
        customers = max(1, leads // rng.randint(3, 6))
        store.save_economics(audit.id, ChannelEconomics(tp.id, spend, leads, customers, customers * rng.choice([6_000, 9_000, 12_000])))
