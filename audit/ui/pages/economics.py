"""Page script (see `audit.ui.economics`): kept thin on purpose."""

from audit.ui import economics

economics.render()
