"""The method's closed lists of choices: categories, stages, reactions, statuses, kinds.

Each is a ``StrEnum`` whose values are what is stored and exported. They are
re-exported by :mod:`audit.model`, so ``from audit.model import Reaction`` keeps working.
"""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    OFFICE = "office"
    PRODUCT = "product"
    TECHNOLOGY = "technology"
    STAFF = "staff"


class Stage(StrEnum):
    BEFORE = "before"
    DURING = "during"
    AFTER = "after"


class Channel(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"


class Audience(StrEnum):
    POTENTIAL = "potential"
    CURRENT = "current"
    FORMER = "former"


class Attention(StrEnum):
    SHORT = "short"
    LONG = "long"


class Lifetime(StrEnum):
    ONE_OFF = "one-off"
    RECURRING = "recurring"


class Reaction(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"

    @property
    def score(self) -> int:
        """Performance value of one reaction: +1, 0 or -1."""
        return {"positive": 1, "neutral": 0, "negative": -1}[self.value]


class Presence(StrEnum):
    HAVE = "have"
    MISSING = "missing"
    NOT_NEEDED = "not-needed"


class Role(StrEnum):
    OWNER = "owner"
    TEAM = "team"
    SHOPPER = "shopper"


class Comparison(StrEnum):
    """How a measurement is compared with a standard's threshold."""

    AT_MOST = "<="
    LESS = "<"
    AT_LEAST = ">="
    MORE = ">"
    EQUAL = "=="


class StandardKind(StrEnum):
    """What a shopper answers for a standard: a number, yes or no, or which items of a short checklist were met."""

    NUMBER = "number"
    YES_NO = "yes_no"  # the answer is 1 (yes) or 0 (no); met on yes
    CHECKLIST = "checklist"  # the answer is the share of items met (0-1); met from the threshold share up


MAX_CHECKLIST = 10  # items of a checklist standard




class VisitChannel(StrEnum):
    IN_PERSON = "in-person"
    PHONE = "phone"
    WEBSITE = "website"
    CHAT = "chat"
    EMAIL = "email"
    SOCIAL = "social"
    DELIVERY = "delivery"


class VisitStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    REVISION = "revision"


class Versus(StrEnum):
    """How a competitor does at a touchpoint compared with us."""

    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


class ActionKind(StrEnum):
    FIX_NOW = "fix now"
    IMPROVE = "improve"
    STANDARD = "set or enforce a standard"
    AMPLIFY = "keep and amplify"
    RETHINK = "remove or rethink"
    ADD = "add the missing touchpoint"


class Horizon(StrEnum):
    WEEK = "this week"
    MONTH = "this month"
    QUARTER = "this quarter"


class ActionStatus(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in progress"
    DONE = "done"
