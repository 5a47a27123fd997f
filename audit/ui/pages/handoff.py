"""Page script (see `audit.ui.handoff`): kept thin on purpose."""

from audit.ui import handoff

handoff.render()
