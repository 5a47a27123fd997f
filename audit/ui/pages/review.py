"""Page script (see `audit.ui.review`): kept thin on purpose."""

from audit.ui import review

review.render()
