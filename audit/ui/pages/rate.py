"""Page script (see `audit.ui.rate`): kept thin on purpose."""

from audit.ui import rate

rate.render()
